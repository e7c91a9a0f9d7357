import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Category, Tag

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Article.objects.values_list("slug", "status", "title")),
        Category.objects.count(),
        Tag.objects.count(),
        sorted(get_user_model().objects.values_list("username", flat=True)),
    )


def test_seed_demo_is_idempotent_and_covers_every_state():
    call_command("seed_demo", stdout=None)
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first

    statuses = {status for _, status, _ in first[0]}
    assert statuses == {"draft", "review", "published"}
    assert Article.objects.count() >= 30
    assert Article.objects.exclude(source_url="").exists()
    assert Article.objects.exclude(hero_image="").count() >= 3
    assert (
        Article.objects.filter(status="published")
        .exclude(pk__in=Article.objects.published())
        .exists()
    ), "one story is scheduled"
    User = get_user_model()
    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert User.objects.get(username="writer").groups.filter(name="Writers").exists()
    assert not User.objects.get(username="reader").is_staff


def test_seed_demo_adds_archive_articles_in_bulk():
    call_command("seed_demo", articles=250)
    call_command("seed_demo", articles=250)
    assert Article.objects.filter(slug__startswith="archive-").count() == 250
    assert Article.objects.published().filter(slug__startswith="archive-").count() == 250
