"""The readers' site in Chromium: dark mode, the share row, phone layout, accessibility."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from tests.articles.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db(transaction=True)

LIGHT_BG = "rgb(255, 255, 255)"
DARK_BG = "rgb(33, 37, 41)"
TITLE = 'Rates & "growth" #1: Ελλάδα, 東京 и Москва'

# Records the theme and background the moment <body> exists, and again at DOMContentLoaded.
FIRST_PAINT_PROBE = """
(() => {
  new MutationObserver((_, observer) => {
    if (!document.body) return;
    observer.disconnect();
    window.__themeAtBody = document.documentElement.getAttribute("data-bs-theme");
  }).observe(document, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", () => {
    window.__bgAtDCL = getComputedStyle(document.body).backgroundColor;
  });
})();
"""


@pytest.fixture
def story(db):
    return ArticleFactory(
        title=TITLE,
        slug="rates-growth",
        dek="Markets steady as the central bank holds.",
        body="<p>" + "A sentence about the economy and the weather. " * 60 + "</p>",
        tags=TagFactory.create_batch(3),
        source_name="",
    )


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh contexts (colour scheme, viewport, permissions) against the live server."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.base_url = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()


def theme_of(page):
    return page.evaluate("document.documentElement.getAttribute('data-bs-theme')")


def background_of(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize(("scheme", "background"), [("dark", DARK_BG), ("light", LIGHT_BG)])
def test_site_follows_the_os_theme_with_and_without_javascript(new_page, story, scheme, background):
    page = new_page(color_scheme=scheme)
    page.goto(page.base_url + "/")
    assert theme_of(page) == scheme
    assert background_of(page) == background
    pressed = page.locator("#theme-toggle").get_attribute("aria-pressed")
    assert pressed == ("true" if scheme == "dark" else "false")

    no_js = new_page(color_scheme=scheme, java_script_enabled=False)
    no_js.goto(no_js.base_url + story.get_absolute_url())
    assert background_of(no_js) == background


def test_toggle_switches_the_theme_and_the_choice_survives_reload_and_navigation(new_page, story):
    page = new_page(color_scheme="light")
    page.goto(page.base_url + "/")
    toggle = page.get_by_role("button", name="Dark Mode")
    assert toggle.get_attribute("aria-pressed") == "false"

    toggle.click()
    assert theme_of(page) == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert background_of(page) == DARK_BG

    page.reload()
    assert theme_of(page) == "dark"
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(f"**{story.get_absolute_url()}")
    assert theme_of(page) == "dark"
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"

    page.get_by_role("button", name="Dark Mode").click()
    page.reload()
    assert theme_of(page) == "light"
    assert page.evaluate("localStorage.getItem('newsroom-theme')") == "light"


@pytest.mark.parametrize(
    ("stored", "os_scheme", "background"), [("dark", "light", DARK_BG), ("light", "dark", LIGHT_BG)]
)
def test_first_paint_already_has_the_stored_theme_which_beats_the_os(
    new_page, story, stored, os_scheme, background
):
    page = new_page(color_scheme=os_scheme)
    page.add_init_script(f"localStorage.setItem('newsroom-theme', '{stored}');")
    page.add_init_script(FIRST_PAINT_PROBE)
    page.goto(page.base_url + story.get_absolute_url())
    assert page.evaluate("window.__themeAtBody") == stored
    assert page.evaluate("window.__bgAtDCL") == background


def test_share_links_carry_the_encoded_article_url_and_title(new_page, story):
    page = new_page()
    page.goto(page.base_url + story.get_absolute_url())
    url = f"{settings.SITE_URL}{story.get_absolute_url()}"
    x = page.get_by_role("link", name="X/Twitter").get_attribute("href")
    assert parse_qs(urlsplit(x).query) == {"text": [TITLE], "url": [url]}
    linkedin = page.get_by_role("link", name="LinkedIn").get_attribute("href")
    assert parse_qs(urlsplit(linkedin).query) == {"url": [url]}
    whatsapp = page.get_by_role("link", name="WhatsApp").get_attribute("href")
    assert parse_qs(urlsplit(whatsapp).query) == {"text": [f"{TITLE} {url}"]}


def test_copy_link_puts_the_url_on_the_clipboard(new_page, story):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(page.base_url + story.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied to the clipboard.").wait_for()
    url = f"{settings.SITE_URL}{story.get_absolute_url()}"
    assert page.evaluate("navigator.clipboard.readText()") == url


def test_copy_link_shows_the_url_to_copy_when_the_clipboard_refuses(new_page, story):
    page = new_page()
    page.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: {writeText: () => "
        "Promise.reject(new Error('denied'))}});"
    )
    page.goto(page.base_url + story.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()
    field = page.locator(".share-fallback input")
    field.wait_for(state="visible")
    assert field.input_value() == f"{settings.SITE_URL}{story.get_absolute_url()}"


def test_phone_layout_has_no_horizontal_scroll(new_page, story):
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    for path in (
        "/",
        story.get_absolute_url(),
        story.category.get_absolute_url(),
        "/search/?q=economy",
    ):
        page.goto(page.base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_front_and_article_pages_have_no_serious_accessibility_violations(new_page, story, scheme):
    from axe_playwright_python.sync_playwright import Axe

    ArticleFactory.create_batch(3, category=story.category)
    page = new_page(color_scheme=scheme, bypass_csp=True)
    axe = Axe()
    for path in ("/", story.get_absolute_url()):
        page.goto(page.base_url + path)
        assert theme_of(page) == scheme
        results = axe.run(page)
        serious = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not serious, results.generate_report()
