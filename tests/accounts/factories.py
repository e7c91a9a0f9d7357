import importlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def ensure_editorial_groups():
    """The groups the data migrations make; a transactional test's flush drops them."""
    if Group.objects.filter(name__in=["Editors", "Writers", "Moderators"]).count() == 3:
        return
    from django.apps import apps

    for module in (
        "articles.migrations.0002_editorial_groups",
        "comments.migrations.0002_moderator_permissions",
    ):
        migration = importlib.import_module(module)
        (getattr(migration, "create_groups", None) or migration.grant)(apps, None)


def _staff_in(group_name):
    def add(obj, create, extracted, **kwargs):
        if create:
            ensure_editorial_groups()
            obj.groups.add(Group.objects.get(name=group_name))

    return add


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True
    in_group = factory.PostGeneration(_staff_in("Editors"))


class WriterFactory(UserFactory):
    username = factory.Sequence(lambda n: f"writer{n}")
    is_staff = True
    in_group = factory.PostGeneration(_staff_in("Writers"))
