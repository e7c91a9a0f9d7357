"""Comments in Chromium: comment and reply (dark mode), without JavaScript, and by keyboard."""

import re

import pytest

from comments.models import Comment
from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.comments.factories import CommentFactory
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _open_discussions(settings):
    settings.COMMENTS_PREMODERATE_FIRST = False
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = False


def nested_under(page, child_pk, parent_pk):
    """True when the reply's <li> sits inside the parent comment's <li>."""
    return page.evaluate(
        """([child, parent]) => {
            const item = document.getElementById('comment-' + child).closest('li');
            const up = item.parentElement.closest('li');
            return !!up && up.querySelector(':scope > article').id === 'comment-' + parent;
        }""",
        [child_pk, parent_pk],
    )


def test_a_reader_comments_and_replies_in_dark_mode_and_sees_the_reply_nested(browser, live_server):
    story = ArticleFactory(title="Tram line extended")
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    sign_in(context, live_server, UserFactory(display_name="Dana Dark"))
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"

    page.get_by_label("Your comment").fill("Long overdue.\n\nThe old line was packed.")
    page.get_by_role("button", name="Comment", exact=True).click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    comment = Comment.objects.get()
    assert page.url.endswith(f"#comment-{comment.pk}")
    assert page.locator(f"#comment-{comment.pk} .comment-body p").count() == 2

    page.locator(f"#comment-{comment.pk} .comment-reply-link").click()
    reply_box = page.get_by_label("Reply to Dana Dark")
    assert reply_box.is_visible()
    assert "reply_to" not in page.url  # opened inline, no page load
    reply_box.fill("Replying to myself, in the dark.")
    page.get_by_role("button", name="Reply", exact=True).click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(parent=comment)
    assert page.url.endswith(f"#comment-{reply.pk}")
    assert page.locator(f"#comment-{reply.pk}").is_visible()
    assert nested_under(page, reply.pk, comment.pk)
    context.close()


def test_the_reply_flow_works_with_javascript_disabled(browser, live_server):
    root = CommentFactory(author=UserFactory(display_name="Nora NoScript"), body="First!")
    context = browser.new_context(java_script_enabled=False)
    sign_in(context, live_server, UserFactory())
    page = context.new_page()
    page.goto(live_server.url + root.article.get_absolute_url())
    page.locator(f"#comment-{root.pk} .comment-reply-link").click()
    page.wait_for_url(re.compile(rf"\?reply_to={root.pk}#reply-form$"))
    page.get_by_label("Reply to Nora NoScript").fill("Server-rendered reply.")
    page.locator("#reply-form").get_by_role("button", name="Reply").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(parent=root)
    assert page.locator(f"#comment-{reply.pk}").get_by_text("Server-rendered reply.").is_visible()
    html = page.content()  # JavaScript is off: read the nesting from the markup
    replies_at = html.index('<ol class="comment-replies">')
    assert (
        html.index(f'id="comment-{root.pk}"') < replies_at < html.index(f'id="comment-{reply.pk}"')
    )
    context.close()


def test_a_reader_replies_with_the_keyboard_alone(page, context, live_server):
    root = CommentFactory(author=UserFactory(display_name="Kim Keys"))
    sign_in(context, live_server, UserFactory())
    page.goto(live_server.url + root.article.get_absolute_url())
    page.locator(f"#comment-{root.pk} .comment-permalink").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('comment-reply-link')"):
            break
    page.keyboard.press("Enter")
    assert (
        page.evaluate(
            "document.activeElement.getAttribute('aria-label') || "
            "document.activeElement.labels[0].textContent"
        )
        == "Reply to Kim Keys"
    )
    page.keyboard.press("Escape")  # closes, focus back on Reply
    assert page.locator(".js-reply").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('comment-reply-link')")
    page.keyboard.press("Enter")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")  # to the Reply button
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(parent=root)
    assert reply.body == "Typed without a mouse."
    assert nested_under(page, reply.pk, root.pk)
