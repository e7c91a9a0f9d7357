import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import ArticleFactory, DraftFactory

pytestmark = pytest.mark.django_db


def test_published_door_shows_only_live_published_stories():
    live = ArticleFactory()
    DraftFactory()
    ArticleFactory(status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(published_at=timezone.now() + timezone.timedelta(days=1))  # scheduled

    assert list(Article.objects.published()) == [live]


def test_scheduled_story_appears_once_its_time_comes_without_any_job():
    story = ArticleFactory(published_at=timezone.now() + timezone.timedelta(minutes=5))
    assert not Article.objects.published().exists()
    assert story.is_scheduled

    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert list(Article.objects.published()) == [story]


def test_publishing_without_a_time_stamps_it_now():
    story = DraftFactory()
    story.status = Article.Status.PUBLISHED
    story.save()
    assert story.published_at is not None
    assert story.published_at <= timezone.now()


def test_body_is_sanitized_on_save():
    story = ArticleFactory(
        body=(
            '<p onclick="steal()">Hello <script>alert(1)</script><strong>world</strong></p>'
            '<a href="javascript:alert(1)">bad link</a><a href="https://example.com">good</a>'
            "<h2>Heading</h2><blockquote><p>Quote</p></blockquote><ul><li>item</li></ul>"
            '<img src="x" onerror="alert(1)">'
        )
    )
    story.refresh_from_db()
    assert "<script" not in story.body
    assert "onclick" not in story.body
    assert "onerror" not in story.body
    assert "javascript:" not in story.body
    assert '<a href="https://example.com"' in story.body
    for kept in ("<strong>world</strong>", "<h2>Heading</h2>", "<blockquote>", "<li>item</li>"):
        assert kept in story.body


def test_reading_time_follows_the_word_count():
    short = ArticleFactory(body="<p>" + "word " * 100 + "</p>")
    long = ArticleFactory(body="<p>" + "word " * 2300 + "</p>")
    assert short.reading_time == 1
    assert long.reading_time == 10


def test_hero_image_needs_alt_text():
    story = ArticleFactory.build(hero_alt="")
    story.hero_image.name = "articles/x.jpg"
    with pytest.raises(ValidationError) as error:
        story.clean()
    assert "hero_alt" in error.value.message_dict


def test_database_refuses_hero_image_without_alt_text():
    story = ArticleFactory()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=story.pk).update(hero_image="articles/x.jpg", hero_alt="")


def test_syndicated_story_needs_its_source_name():
    story = ArticleFactory.build(source_url="https://example.com/original", source_name="")
    with pytest.raises(ValidationError) as error:
        story.full_clean(exclude=["author", "category"])
    assert "source_name" in error.value.message_dict
