import pytest
from django.utils import timezone

from tests.accounts.factories import EditorFactory, UserFactory, WriterFactory
from tests.articles.factories import ArticleFactory, DraftFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_front_page_lists_published_stories_newest_first(client):
    older = ArticleFactory(
        title="Older story", published_at=timezone.now() - timezone.timedelta(days=2)
    )
    newer = ArticleFactory(title="Newer story")
    DraftFactory(title="Secret draft")
    html = client.get("/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert "Secret draft" not in html


def test_front_page_query_count_does_not_grow_with_stories(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(30)
    # Sections for the navigation, the lead story, the count for pagination, one page of
    # stories, and the section blocks (one window-function query).
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", ""])
def test_bad_page_numbers_land_on_a_real_page(client, page):
    ArticleFactory.create_batch(3)
    assert client.get(f"/?page={page}").status_code == 200


def test_article_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    story = ArticleFactory(tags=TagFactory.create_batch(8))
    # Session-less anonymous read: the article with author and section, its tags,
    # related stories, sections.
    with django_assert_max_num_queries(4):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert story.title in response.content.decode()


def test_draft_is_a_404_for_readers_and_anonymous_visitors(client):
    draft = DraftFactory()
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_scheduled_story_is_a_404_until_its_time(client):
    story = ArticleFactory(published_at=timezone.now() + timezone.timedelta(hours=2))
    assert client.get(story.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("staff_factory", [EditorFactory, WriterFactory])
def test_staff_preview_a_draft_with_a_visible_banner(client, staff_factory):
    draft = DraftFactory()
    client.force_login(staff_factory())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — not published" in html
    assert 'name="robots" content="noindex"' in html


def test_published_story_has_no_preview_banner(client):
    story = ArticleFactory()
    client.force_login(EditorFactory())
    assert "Preview — not published" not in client.get(story.get_absolute_url()).content.decode()


def test_article_page_has_canonical_link_and_open_graph_title(client):
    story = ArticleFactory(title="Rates hold steady")
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{story.get_absolute_url()}">' in html
    assert '<meta property="og:title" content="Rates hold steady">' in html


def test_syndicated_story_points_canonical_at_the_original(client):
    story = ArticleFactory(
        source_name="The Gazette", source_url="https://gazette.example.com/original"
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="https://gazette.example.com/original">' in html
    assert "Continue reading on The Gazette" in html
