"""Create the editorial groups: Editors, Writers and Moderators."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "delete_article"),
    ("articles", "view_article"),
    ("articles", "publish_article"),
    ("articles", "add_category"),
    ("articles", "change_category"),
    ("articles", "delete_category"),
    ("articles", "view_category"),
    ("articles", "add_tag"),
    ("articles", "change_tag"),
    ("articles", "delete_tag"),
    ("articles", "view_tag"),
    ("accounts", "view_user"),
]
WRITER_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "view_category"),
    ("articles", "view_tag"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in (
        ("Editors", EDITOR_PERMISSIONS),
        ("Writers", WRITER_PERMISSIONS),
        ("Moderators", []),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Writers", "Moderators"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
