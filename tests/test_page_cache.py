"""The page cache: hits for every reader who may share a page, exact invalidation."""

import time

import pytest
from django.utils import timezone

from comments import services
from comments.models import Comment
from tests.accounts.factories import EditorFactory, UserFactory
from tests.articles.factories import ArticleFactory
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE = True
    settings.COMMENTS_PREMODERATE_FIRST = False
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = False


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write's on-commit hooks (cache invalidation), as a real request would."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.fixture
def story(commit):
    return commit(ArticleFactory, title="Harbour plan approved")


def test_anonymous_readers_share_one_cached_copy_at_no_sql_cost(
    client, story, django_assert_num_queries
):
    first = client.get(story.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(story.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "Cookie" in second["Vary"]


def test_a_new_comment_appears_at_once_for_anonymous_readers(client, story, commit):
    client.get(story.get_absolute_url())
    commit(services.post_comment, article=story, author=UserFactory(), body="First!")
    response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "First!" in response.content.decode()


def test_moderation_removes_a_comment_from_cached_pages_at_once(client, story, commit):
    comment = commit(CommentFactory, article=story, body="Rude words")
    assert "Rude words" in client.get(story.get_absolute_url()).content.decode()
    commit(services.moderate_comment, comment=comment, moderator=EditorFactory(), action="remove")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REMOVED
    assert "Rude words" not in client.get(story.get_absolute_url()).content.decode()


def test_editing_a_story_refreshes_its_page_and_the_listings(client, story, commit):
    client.get(story.get_absolute_url())
    client.get("/")
    story.title = "Harbour plan rejected"
    commit(story.save)
    assert "Harbour plan rejected" in client.get(story.get_absolute_url()).content.decode()
    assert "Harbour plan rejected" in client.get("/").content.decode()


def test_listing_comment_counts_follow_new_comments(client, story, commit):
    client.get("/")
    commit(services.post_comment, article=story, author=UserFactory(), body="Counted")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"


def test_conditional_get_answers_304_until_the_page_changes(client, story, commit):
    etag = client.get(story.get_absolute_url())["ETag"]
    response = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    commit(CommentFactory, article=story)
    assert client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_scheduled_story_goes_live_on_time_through_the_cache(client, commit):
    commit(ArticleFactory, title="Already out")
    commit(
        ArticleFactory,
        title="Embargoed until soon",
        published_at=timezone.now() + timezone.timedelta(seconds=2),
    )
    assert "Embargoed until soon" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    time.sleep(2.5)
    assert "Embargoed until soon" in client.get("/").content.decode()


def test_signed_in_readers_share_a_copy_with_their_own_name_and_csrf_token(
    client, story, django_assert_max_num_queries
):
    alice, bob = UserFactory(display_name="Alice Example"), UserFactory(display_name="Bob Example")
    client.force_login(alice)
    first = client.get(story.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    alice_html = first.content.decode()
    assert "Alice Example" in alice_html
    client.logout()

    client.force_login(bob)
    # Session and user, then the one "is this reader's view their own?" query.
    with django_assert_max_num_queries(3):
        second = client.get(story.get_absolute_url())
    bob_html = second.content.decode()
    assert second["X-Page-Cache"] == "hit"
    assert "private" in second["Cache-Control"]
    assert "Bob Example" in bob_html and "Alice Example" not in bob_html
    assert "@@csrf-token@@" not in bob_html
    token = bob_html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        f"{story.get_absolute_url()}comments/", {"body": "Posted from a cached page"}
    )
    assert response.status_code == 302, "the filled-in CSRF token is valid"
    assert token


def test_a_returning_signed_in_reader_costs_only_their_session_and_account(
    client, story, django_assert_max_num_queries
):
    client.force_login(UserFactory())
    client.get(story.get_absolute_url())
    with django_assert_max_num_queries(2):
        response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"


def test_a_ban_takes_the_reader_off_the_shared_copy_at_once(client, story, commit):
    reader = UserFactory()
    client.force_login(reader)
    assert 'class="comment-form' in client.get(story.get_absolute_url()).content.decode()
    commit(services.ban_user, user=reader, moderator=EditorFactory(), reason="Abuse")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "can no longer post comments" in html
    assert 'class="comment-form' not in html


def test_a_reader_with_comments_on_the_story_gets_their_own_render(client, story, commit):
    reader = UserFactory()
    commit(CommentFactory, article=story, author=reader, body="My own words")
    client.force_login(UserFactory())
    client.get(story.get_absolute_url())  # a shared copy now exists
    client.logout()
    client.force_login(reader)
    response = client.get(story.get_absolute_url())
    assert "X-Page-Cache" not in response, "rendered for this reader alone"
    assert "/edit/" in response.content.decode()


def test_signed_in_readers_never_get_the_anonymous_copy(client, story):
    client.get(story.get_absolute_url())
    client.force_login(UserFactory(display_name="Carol Example"))
    response = client.get(story.get_absolute_url())
    assert "Carol Example" in response.content.decode()


def test_staff_previews_bypass_the_cache(client, commit):
    draft = commit(ArticleFactory, status="draft", published_at=None)
    client.force_login(EditorFactory())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_anonymous_hits_are_served_compressed_to_readers_who_accept_gzip(client, story):
    import gzip

    plain = client.get(story.get_absolute_url()).content
    response = client.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["X-Page-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain
    assert len(response.content) < len(plain) / 2


def test_the_first_anonymous_reader_also_gets_a_compressed_page(client, story):
    import gzip

    response = client.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert b"Harbour plan approved" in gzip.decompress(response.content)
