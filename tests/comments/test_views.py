"""The discussion under a story: reading, writing, and every bad input."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentBan, Report
from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory, DraftFactory
from tests.comments.factories import CommentFactory, bulk_discussion

pytestmark = pytest.mark.django_db


class Nesting(HTMLParser):
    """Maps each rendered comment id to the id of the comment it is nested under."""

    def __init__(self):
        super().__init__()
        self.stack = []  # one entry per open <li>: the comment id it holds
        self.parents = {}
        self.order = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "comment-item" in (attrs.get("class") or ""):
            self.stack.append(None)
        elif tag == "article" and (attrs.get("id") or "").startswith("comment-"):
            pk = int(attrs["id"].split("-")[1])
            self.stack[-1] = pk
            self.parents[pk] = self.stack[-2] if len(self.stack) > 1 else None
            self.order.append(pk)

    def handle_endtag(self, tag):
        if tag == "li" and self.stack:
            self.stack.pop()


def nesting(response):
    parser = Nesting()
    parser.feed(response.content.decode())
    return parser


def post_url(article):
    return f"{article.get_absolute_url()}comments/"


@pytest.fixture
def reader(client):
    user = UserFactory(display_name="Rita Reader")
    client.force_login(user)
    return user


# --- Reading ------------------------------------------------------------------


def test_the_discussion_shows_the_count_and_each_comment_with_its_parts(client):
    story = ArticleFactory()
    comment = CommentFactory(article=story, author=UserFactory(display_name="Ann Author"))
    CommentFactory(article=story, status="removed")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "1 comment</h2>" in html
    assert f'id="comment-{comment.pk}"' in html
    assert "Ann Author" in html and f'href="/author/{comment.author.username}/"' in html
    assert (
        f'<time datetime="{timezone.localtime(comment.created_at).isoformat(timespec="seconds")}"'
        in html
    )
    assert f'href="{story.get_absolute_url()}comments/{comment.pk}/"' in html  # permalink
    assert f"?reply_to={comment.pk}#reply-form" in html
    assert "Sign in to join the discussion" in html


def test_replies_render_nested_under_the_comment_they_answer(client):
    root = CommentFactory()
    reply = CommentFactory(parent=root)
    nested = CommentFactory(parent=reply)
    second = CommentFactory(parent=root)
    other = CommentFactory(article=root.article)
    tree = nesting(client.get(root.article.get_absolute_url()))
    assert tree.order == [root.pk, reply.pk, nested.pk, second.pk, other.pk]
    assert tree.parents == {
        root.pk: None,
        reply.pk: root.pk,
        nested.pk: reply.pk,
        second.pk: root.pk,
        other.pk: None,
    }


def test_at_the_depth_limit_a_reply_says_whom_it_answers(client, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    root = CommentFactory()
    child = CommentFactory(parent=root, author=UserFactory(display_name="Deep Dan"))
    beside = CommentFactory(parent=child)
    response = client.get(root.article.get_absolute_url())
    assert nesting(response).parents[beside.pk] == root.pk
    assert "↪ @Deep Dan" in response.content.decode()


def test_comment_text_is_plain_text_with_paragraphs_and_safe_links(client):
    comment = CommentFactory(
        body='<img src=x onerror="alert(1)">\n\nSecond para\nline two https://example.com/x'
    )
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<p>Second para<br>\nline two " in html
    assert '<a href="https://example.com/x" rel="nofollow ugc noopener">' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("oldest", ["a", "b", "c"]), ("newest", ["c", "b", "a"]), ("replies", ["b", "c", "a"])],
)
def test_top_level_threads_sort_three_ways_replies_stay_in_order(client, sort, expected):
    story = ArticleFactory()
    now = timezone.now()
    roots = {}
    for offset, name in enumerate("abc"):
        roots[name] = CommentFactory(
            article=story, created_at=now - timezone.timedelta(minutes=10 - offset)
        )
    first = CommentFactory(parent=roots["b"])
    second = CommentFactory(parent=roots["b"])
    CommentFactory(parent=roots["c"])
    tree = nesting(client.get(f"{story.get_absolute_url()}?sort={sort}"))
    top = [pk for pk in tree.order if tree.parents[pk] is None]
    assert top == [roots[name].pk for name in expected]
    assert tree.order.index(first.pk) < tree.order.index(second.pk)


def test_an_unknown_sort_falls_back_to_oldest_first(client):
    comment = CommentFactory()
    assert client.get(comment.article.get_absolute_url() + "?sort=evil'").status_code == 200


def test_threads_paginate_with_all_their_replies(client, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    story = ArticleFactory()
    roots = [CommentFactory(article=story) for _ in range(3)]
    replies = [CommentFactory(parent=roots[2]) for _ in range(4)]
    page1 = nesting(client.get(story.get_absolute_url()))
    assert page1.order == [roots[0].pk, roots[1].pk]
    page2 = nesting(client.get(story.get_absolute_url() + "?page=2"))
    assert page2.order == [roots[2].pk] + [r.pk for r in replies]
    for bad in ("0", "99", "x"):
        assert client.get(story.get_absolute_url() + f"?page={bad}").status_code == 200


def test_a_permalink_lands_on_the_right_page_at_the_right_place(client, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    story = ArticleFactory()
    roots = [CommentFactory(article=story) for _ in range(5)]
    reply = CommentFactory(parent=roots[4])
    response = client.get(reply.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}?page=3#comment-{reply.pk}"
    first = client.get(roots[0].get_absolute_url())
    assert first["Location"] == f"{story.get_absolute_url()}#comment-{roots[0].pk}"


def test_a_permalink_to_a_comment_on_another_story_is_a_404(client):
    comment = CommentFactory()
    other = ArticleFactory()
    assert client.get(f"{other.get_absolute_url()}comments/{comment.pk}/").status_code == 404


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(client):
    root = CommentFactory(body="Original words")
    reply = CommentFactory(parent=root)
    services.delete_comment(comment=root, user=root.author)
    response = client.get(root.article.get_absolute_url())
    html = response.content.decode()
    assert "[deleted]" in html and "Original words" not in html
    assert nesting(response).parents[reply.pk] == root.pk
    assert "1 comment</h2>" in html


def test_a_deleted_comment_without_replies_disappears(client):
    comment = CommentFactory()
    services.delete_comment(comment=comment, user=comment.author)
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' not in html
    assert "[deleted]" not in html


def test_removed_and_spam_comments_are_hidden_or_placeholders(client):
    removed = CommentFactory(status="removed", body="Nasty")
    reply = CommentFactory(article=removed.article, parent=None)
    Comment.objects.filter(pk=reply.pk).update(
        parent=removed, thread=removed, depth=1, path=removed.path + f"{reply.pk:010d}"
    )
    spam = CommentFactory(article=removed.article, status="spam", body="Buy now")
    html = client.get(removed.article.get_absolute_url()).content.decode()
    assert "[removed]" in html and "Nasty" not in html
    assert f'id="comment-{spam.pk}"' not in html and "Buy now" not in html


def test_a_comment_by_a_deleted_account_shows_deleted_user(client):
    comment = CommentFactory()
    comment.author.delete()
    assert "[deleted user]" in client.get(comment.article.get_absolute_url()).content.decode()


def test_the_author_sees_their_pending_comment_marked_and_nobody_else_does(client):
    pending = CommentFactory(status="pending", body="Awaiting words")
    url = pending.article.get_absolute_url()
    assert "Awaiting words" not in client.get(url).content.decode()
    other = Client()
    other.force_login(UserFactory())
    assert "Awaiting words" not in other.get(url).content.decode()
    client.force_login(pending.author)
    html = client.get(url).content.decode()
    assert "Awaiting words" in html and "awaiting moderation" in html


def test_reply_to_renders_the_reply_form_in_place_without_javascript(client, reader):
    root = CommentFactory()
    later = CommentFactory(article=root.article)
    html = client.get(f"{root.article.get_absolute_url()}?reply_to={root.pk}").content.decode()
    form_at = html.index('id="reply-form"')
    assert html.index(f'id="comment-{root.pk}"') < form_at < html.index(f'id="comment-{later.pk}"')
    assert f'name="parent" value="{root.pk}"' in html


def test_reply_to_for_a_visitor_offers_sign_in_returning_to_the_same_spot(client):
    root = CommentFactory()
    html = client.get(f"{root.article.get_absolute_url()}?reply_to={root.pk}").content.decode()
    next_url = f"{root.article.get_absolute_url()}%3Freply_to%3D{root.pk}%23reply-form"
    assert f"/accounts/login/?next={next_url}" in html


@pytest.mark.parametrize("reply_to", ["abc", "999999", "-1"])
def test_a_bad_reply_to_is_ignored_with_a_note(client, reply_to):
    comment = CommentFactory()
    response = client.get(f"{comment.article.get_absolute_url()}?reply_to={reply_to}")
    assert response.status_code == 200


def test_closed_discussions_say_so_and_offer_no_form(client, reader):
    story = ArticleFactory(comments_enabled=False)
    CommentFactory(article=story)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Comments are closed" in html and 'class="comment-form"' not in html


def test_a_banned_reader_can_read_but_gets_no_form(client, reader):
    CommentBan.objects.create(user=reader)
    story = ArticleFactory()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "can no longer post comments" in html and 'class="comment-form"' not in html


# --- Query counts ---------------------------------------------------------------


def page_queries(client, url):
    """Queries for a cold render: nothing remembered from an earlier request."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_article_page_costs_the_same_queries_for_3_or_3000_comments(client, signed_in):
    small, large, empty = ArticleFactory(), ArticleFactory(), ArticleFactory()
    authors = UserFactory.create_batch(20)
    bulk_discussion(small, authors, threads=1, replies_per_thread=2)
    bulk_discussion(large, authors, threads=300, replies_per_thread=9)
    assert Comment.objects.filter(article=large).count() == 3000
    if signed_in:
        client.force_login(authors[0])
        CommentFactory(article=large, author=authors[0], status="pending")
    counts = [page_queries(client, a.get_absolute_url()) for a in (empty, small, large)]
    # The counts ride on the article query; one more query fetches a page of threads.
    assert counts[1] == counts[2] == counts[0] + 1
    # Article (with counts), tags, related, sections, comments; signed in: + the session
    # (read from the database, the cache being cold) and the user.
    assert counts[2] <= (7 if signed_in else 5)
    assert page_queries(client, large.get_absolute_url() + "?sort=replies&page=4") == counts[2]


def test_a_page_of_3000_comments_shows_50_threads_with_all_their_replies(client):
    story = ArticleFactory()
    bulk_discussion(story, UserFactory.create_batch(5), threads=300, replies_per_thread=9)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "3,000 comments" in html or "3000 comments" in html
    assert html.count('class="comment"') == 500
    assert 'aria-label="Comment pages"' in html


# --- Writing ------------------------------------------------------------------


def test_a_reader_comments_and_lands_on_the_new_comment(client, reader):
    story = ArticleFactory()
    response = client.post(post_url(story), {"body": "Well reported."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}#comment-{comment.pk}"
    assert comment.author == reader and comment.parent is None
    page = client.get(response["Location"]).content.decode()
    assert "Well reported." in page and "Your comment is posted." in page


def test_a_reader_replies_and_lands_on_the_reply_on_its_page(client, reader, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    story = ArticleFactory()
    CommentFactory(article=story)
    parent = CommentFactory(article=story)
    response = client.post(post_url(story), {"body": "Replying.", "parent": str(parent.pk)})
    reply = Comment.objects.get(parent=parent)
    assert response["Location"] == f"{story.get_absolute_url()}?page=2#comment-{reply.pk}"
    assert nesting(client.get(response["Location"])).parents[reply.pk] == parent.pk


def test_get_on_the_post_url_goes_back_to_the_discussion(client):
    story = ArticleFactory()
    response = client.get(post_url(story))
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url() + "#comments"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        ("   \n\t ", "Write something before posting."),
        ("x" * 5001, "at most 5,000 characters"),
    ],
)
def test_bad_bodies_get_a_400_with_a_clear_message_and_the_text_kept(client, reader, body, message):
    story = ArticleFactory()
    response = client.post(post_url(story), {"body": body})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    if body.strip():
        assert body in html
    assert not Comment.objects.exists()


def test_the_length_limit_counts_a_line_break_once(client, reader, settings):
    settings.COMMENTS_MAX_LENGTH = 5
    response = client.post(post_url(ArticleFactory()), {"body": "ab\r\ncd"})
    assert response.status_code == 302


@pytest.mark.parametrize("case", ["missing", "other_story", "not_a_number", "removed", "spam"])
def test_bad_parents_get_a_400_with_a_clear_message_and_the_text_kept(client, reader, case):
    story = ArticleFactory()
    parent = {
        "missing": "987654",
        "other_story": lambda: str(CommentFactory().pk),
        "not_a_number": "12abc",
        "removed": lambda: str(CommentFactory(article=story, status="removed").pk),
        "spam": lambda: str(CommentFactory(article=story, status="spam").pk),
    }[case]
    parent = parent() if callable(parent) else parent
    response = client.post(post_url(story), {"body": "My careful reply", "parent": parent})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your comment was not posted" in html
    assert "My careful reply" in html
    assert not Comment.objects.filter(body="My careful reply").exists()


def test_a_reply_with_an_error_is_shown_again_under_its_parent(client, reader):
    story = ArticleFactory()
    parent = CommentFactory(article=story)
    later = CommentFactory(article=story)
    response = client.post(post_url(story), {"body": "  ", "parent": str(parent.pk)})
    html = response.content.decode()
    assert response.status_code == 400
    at = html.index('id="reply-form"')
    assert html.index(f'id="comment-{parent.pk}"') < at < html.index(f'id="comment-{later.pk}"')


def test_a_closed_story_refuses_a_comment_with_403_and_keeps_the_text(client, reader):
    story = ArticleFactory(comments_enabled=False)
    response = client.post(post_url(story), {"body": "Too late?"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Comments are closed" in html and "Too late?" in html
    assert not Comment.objects.exists()


def test_an_unpublished_story_is_a_404_to_a_post(client, reader):
    draft = DraftFactory()
    assert client.post(post_url(draft), {"body": "Early"}).status_code == 404
    scheduled = ArticleFactory(published_at=timezone.now() + timezone.timedelta(days=1))
    assert client.post(post_url(scheduled), {"body": "Early"}).status_code == 404
    assert not Comment.objects.exists()


def test_an_anonymous_post_is_a_403_with_sign_in_and_the_text_kept(client):
    story = ArticleFactory()
    response = client.post(post_url(story), {"body": "Who am I?"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Sign in to join the discussion" in html and "Who am I?" in html
    assert not Comment.objects.exists()


def test_a_post_without_a_csrf_token_is_a_403():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    story = ArticleFactory()
    assert client.post(post_url(story), {"body": "Forged"}).status_code == 403
    assert not Comment.objects.exists()


def test_a_banned_reader_is_refused_with_403(client, reader):
    CommentBan.objects.create(user=reader)
    response = client.post(post_url(ArticleFactory()), {"body": "Let me in"})
    assert response.status_code == 403
    assert "can no longer post comments" in response.content.decode()


def test_an_unverified_reader_is_refused_when_verification_is_required(client, settings):
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = True
    client.force_login(UserFactory(email_verified=False))
    response = client.post(post_url(ArticleFactory()), {"body": "Hello"})
    assert response.status_code == 403
    assert "Confirm your e-mail" in response.content.decode()


def test_a_double_submit_is_saved_once_and_both_land_on_it(client, reader):
    story = ArticleFactory()
    first = client.post(post_url(story), {"body": "Click click"})
    second = client.post(post_url(story), {"body": "Click click"})
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_too_many_comments_a_minute_get_a_429_with_the_text_kept(client, reader, settings):
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 2
    story = ArticleFactory()
    for number in range(2):
        assert client.post(post_url(story), {"body": f"Number {number}"}).status_code == 302
    response = client.post(post_url(story), {"body": "Number three"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "too fast" in html and "Number three" in html


def test_a_first_comment_under_premoderation_says_it_awaits_moderation(client, reader, settings):
    settings.COMMENTS_PREMODERATE_FIRST = True
    story = ArticleFactory()
    response = client.post(post_url(story), {"body": "Hello, first time"})
    page = client.get(response["Location"]).content.decode()
    assert "awaiting moderation" in page
    assert "Hello, first time" not in Client().get(story.get_absolute_url()).content.decode()


# --- Edit, delete, report -------------------------------------------------------


def test_the_author_edits_within_the_window(client, reader):
    comment = CommentFactory(author=reader, body="Teh typo")
    url = f"/comments/{comment.pk}/edit/"
    assert "Teh typo" in client.get(url).content.decode()
    response = client.post(url, {"body": "The typo"})
    assert response.status_code == 302
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert "The typo" in html and "edited" in html


def test_an_edit_with_a_bad_body_keeps_the_text_and_says_why(client, reader, settings):
    settings.COMMENTS_MAX_LENGTH = 5
    comment = CommentFactory(author=reader, body="Short")
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Far too long"})
    assert response.status_code == 400
    assert "Far too long" in response.content.decode()


def test_editing_after_the_window_is_refused_but_delete_is_offered(client, reader):
    comment = CommentFactory(
        author=reader, created_at=timezone.now() - timezone.timedelta(minutes=20)
    )
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Changed"})
    assert response.status_code == 403
    assert "time to edit" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body != "Changed"
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert f"/comments/{comment.pk}/edit/" not in page
    assert f"/comments/{comment.pk}/delete/" in page


def test_nobody_edits_or_deletes_someone_elses_comment(client, reader):
    comment = CommentFactory()
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Mine"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    comment.refresh_from_db()
    assert comment.deleted_at is None


def test_edit_delete_and_report_ask_visitors_to_sign_in(client):
    comment = CommentFactory()
    for action in ("edit", "delete", "report"):
        response = client.get(f"/comments/{comment.pk}/{action}/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_author_deletes_their_comment_after_confirming(client, reader):
    comment = CommentFactory(author=reader, body="Hasty words")
    assert "Hasty words" in client.get(f"/comments/{comment.pk}/delete/").content.decode()
    response = client.post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    assert "Hasty words" not in client.get(response["Location"]).content.decode()


def test_a_reader_reports_a_comment_once_and_is_thanked(client, reader):
    comment = CommentFactory()
    url = f"/comments/{comment.pk}/report/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "abuse"})
    assert response.status_code == 302
    assert Report.objects.filter(comment=comment, reporter=reader, reason="abuse").exists()
    again = client.post(url, {"reason": "spam"})
    assert again.status_code == 409
    assert "already reported" in again.content.decode()


def test_a_report_needs_a_known_reason(client, reader):
    comment = CommentFactory()
    assert client.post(f"/comments/{comment.pk}/report/", {"reason": "boring"}).status_code == 400
    assert not Report.objects.exists()


def test_reports_at_the_threshold_hide_the_comment_pending_review(client, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    comment = CommentFactory(body="Contested")
    for _ in range(2):
        reporter = Client()
        reporter.force_login(UserFactory())
        reporter.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert "Contested" not in client.get(comment.article.get_absolute_url()).content.decode()


def test_an_anonymous_reply_keeps_the_text_for_the_reader_to_copy(client):
    parent = CommentFactory()
    response = client.post(
        post_url(parent.article), {"body": "Lost words?", "parent": str(parent.pk)}
    )
    assert response.status_code == 403
    assert "Lost words?" in response.content.decode()
