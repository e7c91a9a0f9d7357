"""The strict CSP does not break the editors: the admin and its rich-text editor work under it."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from articles.models import Article
from tests.accounts.factories import EditorFactory
from tests.articles.factories import ArticleFactory, CategoryFactory
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def watch(page):
    """Console errors and CSP violations (reported to the console), and page errors."""
    seen = {"csp": [], "errors": []}

    def on_console(message):
        if "Content Security Policy" in message.text:
            seen["csp"].append(message.text)
        elif message.type == "error" and "Failed to load resource" not in message.text:
            seen["errors"].append(message.text)  # (the admin has no favicon: a 404, not ours)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def test_an_editor_writes_and_saves_an_article_with_no_csp_violation(page, context, live_server):
    assert settings.SECURE_CSP, "the CSP is enforced, not report-only"
    sign_in(context, live_server, EditorFactory())
    category = CategoryFactory(name="Politics", slug="politics")
    seen = watch(page)

    page.goto(f"{live_server.url}/admin/articles/article/add/", wait_until="load")
    page.fill("#id_title", "Budget passes after a long night")
    page.locator("#id_title").blur()
    # prepopulate.js fills the slug (wait_for_function would need eval, which the CSP forbids).
    expect(page.locator("#id_slug")).to_have_value("budget-passes-after-a-long-night")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("The vote came at dawn.")
    page.keyboard.press("Enter")
    page.keyboard.type("Both sides claimed victory.")
    page.select_option("#id_category", str(category.pk))
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/", wait_until="load")

    article = Article.objects.get(slug="budget-passes-after-a-long-night")
    assert "The vote came at dawn." in article.body
    assert "Both sides claimed victory." in article.body
    # Open it again: the editor loads the saved body.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/", wait_until="load")
    body = page.locator(".ProseMirror[contenteditable=true]").inner_text()
    assert "The vote came at dawn." in body
    assert seen["csp"] == []
    assert seen["errors"] == []


def test_the_public_article_page_and_front_page_report_no_csp_violation(page):
    story = ArticleFactory(slug="calm-day", title="A calm day")
    seen = watch(page)
    for path in (story.get_absolute_url(), "/", "/search/?q=calm", "/accounts/login/"):
        page.goto(page.base_url + path, wait_until="load")
        page.wait_for_timeout(50)
    assert seen["csp"] == []
    # The watcher works: an injected inline script is blocked and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(100)
    assert seen["csp"] and page.evaluate("() => window.ran") is None
