"""The editors' panel: editors publish; writers never can, whatever the door."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.accounts.factories import PASSWORD, EditorFactory, UserFactory, WriterFactory
from tests.articles.factories import (
    ArticleFactory,
    CategoryFactory,
    DraftFactory,
    admin_article_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer_client(client):
    writer = WriterFactory()
    client.force_login(writer)
    client.user = writer
    return client


@pytest.fixture
def editor_client(client):
    editor = EditorFactory()
    client.force_login(editor)
    client.user = editor
    return client


def test_editor_publishes_a_new_article_through_the_form(editor_client):
    category = CategoryFactory()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        admin_article_form(
            category,
            status="published",
            author=editor_client.user.pk,
            published_at_0="",
            published_at_1="",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Article.objects.get(slug="a-headline")
    assert story.status == "published"
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_editor_schedules_a_story_for_later(editor_client):
    category = CategoryFactory()
    later = timezone.localtime() + timezone.timedelta(days=1)
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        admin_article_form(
            category,
            status="published",
            author=editor_client.user.pk,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    story = Article.objects.get(slug="a-headline")
    assert story.is_scheduled
    assert not Article.objects.published().exists()


def test_writer_creates_a_draft_as_its_author(writer_client):
    category = CategoryFactory()
    response = writer_client.post(
        reverse("admin:articles_article_add"), admin_article_form(category)
    )
    assert response.status_code == 302
    story = Article.objects.get(slug="a-headline")
    assert story.author == writer_client.user
    assert story.status == "draft"


def test_writer_cannot_publish_through_the_form(writer_client):
    category = CategoryFactory()
    response = writer_client.post(
        reverse("admin:articles_article_add"), admin_article_form(category, status="published")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Article.objects.exists()


def test_writer_cannot_publish_own_draft_by_forged_post(writer_client):
    story = DraftFactory(author=writer_client.user)
    response = writer_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        admin_article_form(
            story.category,
            title=story.title,
            slug=story.slug,
            status="published",
            published_at_0="2020-01-01",
            published_at_1="00:00:00",
            author=writer_client.user.pk,
        ),
    )
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.status == "draft"
    assert story.published_at is None


def test_writer_cannot_publish_by_bulk_action(writer_client):
    story = DraftFactory(author=writer_client.user)
    response = writer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
    )
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.status == "draft"


def test_writer_submits_a_draft_for_review_by_bulk_action(writer_client):
    story = DraftFactory(author=writer_client.user)
    writer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_selected_for_review", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == "review"


def test_writer_cannot_see_or_edit_another_writers_draft(writer_client):
    other = DraftFactory(author=WriterFactory())
    url = reverse("admin:articles_article_change", args=[other.pk])
    assert writer_client.get(url).status_code == 302  # "does not exist" redirect
    writer_client.post(url, admin_article_form(other.category, title="Hijacked", slug=other.slug))
    other.refresh_from_db()
    assert other.title != "Hijacked"
    changelist = writer_client.get(reverse("admin:articles_article_changelist"))
    assert other.title not in changelist.content.decode()


def test_editor_bulk_publishes_and_unpublishes(editor_client):
    drafts = DraftFactory.create_batch(2)
    url = reverse("admin:articles_article_changelist")
    editor_client.post(
        url, {"action": "publish_selected", "_selected_action": [d.pk for d in drafts]}
    )
    assert Article.objects.published().count() == 2
    editor_client.post(
        url, {"action": "unpublish_selected", "_selected_action": [d.pk for d in drafts]}
    )
    assert Article.objects.published().count() == 0


def test_a_reader_cannot_reach_the_admin(client):
    reader = UserFactory()
    client.login(username=reader.username, password=PASSWORD)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editor_changelist_shows_filters_and_scheduled_state(editor_client):
    ArticleFactory(
        title="Tomorrow's story", published_at=timezone.now() + timezone.timedelta(days=1)
    )
    ArticleFactory(title="Today's story")  # a second section and author, so filters show
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled" in html
    assert "By status" in html
    assert "By section" in html
    assert "By author" in html
