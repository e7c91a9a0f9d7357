"""The page cache never hands one reader's page, name, token or draft to another."""

import re

import pytest
from django.test import Client

from comments.models import Comment
from tests.accounts.factories import EditorFactory, UserFactory
from tests.articles.factories import ArticleFactory, DraftFactory
from tests.comments.factories import CommentFactory

from .conftest import signed_in
from .payloads import assert_no_script

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 600


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_signed_in_readers_sharing_a_cached_story_each_get_their_own_name_and_token():
    story = ArticleFactory(slug="shared")
    alice = UserFactory(username="alice", display_name="Alice Aardvark")
    bob = UserFactory(username="bob", display_name="Bob Bobolink")
    first, first_html = page(signed_in(alice), story.get_absolute_url())
    second, second_html = page(signed_in(bob), story.get_absolute_url())
    assert second.headers.get("X-Page-Cache") == "hit"  # the shared copy was used
    assert "Alice Aardvark" in first_html and "Alice Aardvark" not in second_html
    assert "Bob Bobolink" in second_html
    alice_tokens, bob_tokens = set(TOKEN.findall(first_html)), set(TOKEN.findall(second_html))
    assert bob_tokens and not (alice_tokens & bob_tokens)
    assert "@@csrf-token@@" not in second_html and "personal-slot" not in second_html
    assert second["Cache-Control"].startswith("private")
    assert_no_script(second_html, "shared copy")


def test_anonymous_cached_pages_carry_no_token_session_or_name():
    story = ArticleFactory(slug="open")
    reader = UserFactory(display_name="Private Person")
    page(signed_in(reader), story.get_absolute_url())
    for url in (story.get_absolute_url(), "/", "/search/?q=open"):
        visitor = Client()
        response, html = page(visitor, url)
        again, _ = page(Client(), url)
        assert "csrfmiddlewaretoken" not in html
        assert "Private Person" not in html
        assert not again.cookies or "sessionid" not in again.cookies
        assert "Cookie" in response["Vary"]


def test_a_staff_preview_of_a_draft_is_never_served_to_anyone_else():
    draft = DraftFactory(slug="embargoed", title="Embargoed scoop")
    editor = signed_in(EditorFactory())
    assert "Embargoed scoop" in page(editor, draft.get_absolute_url())[1]
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert signed_in(UserFactory()).get(draft.get_absolute_url()).status_code == 404
    assert "Embargoed scoop" not in Client().get("/").content.decode()


def test_a_pending_comment_and_its_notice_stay_with_their_author(settings):
    settings.COMMENTS_PREMODERATE_FIRST = True
    story = ArticleFactory(slug="moderated")
    CommentFactory(article=story, body="An approved comment.")
    newcomer = signed_in(UserFactory())
    other = signed_in(UserFactory())
    page(other, story.get_absolute_url())  # warms the shared copy
    response = newcomer.post(f"{story.get_absolute_url()}comments/", {"body": "Held words kiwi"})
    assert response.status_code == 302
    assert Comment.objects.get(body="Held words kiwi").status == Comment.Status.PENDING
    own = newcomer.get(response["Location"]).content.decode()
    assert "Held words kiwi" in own and "awaiting moderation" in own
    for client in (other, Client(), signed_in(UserFactory())):
        html = page(client, story.get_absolute_url())[1]
        assert "Held words kiwi" not in html and "awaiting moderation" not in html


def test_the_csp_header_is_sent_on_cache_hits_too():
    story = ArticleFactory(slug="headers")
    Client().get(story.get_absolute_url())
    hit = Client().get(story.get_absolute_url())
    assert "object-src 'none'" in hit["Content-Security-Policy"]
    assert hit["X-Content-Type-Options"] == "nosniff"
