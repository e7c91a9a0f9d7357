"""Search, RSS feeds, the sitemap and robots.txt."""

import xml.etree.ElementTree as ET  # noqa: S405 (our own responses, in tests)

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory, CategoryFactory, DraftFactory

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(xml):
    return ET.fromstring(xml)  # noqa: S314 (our own responses)


HOSTILE_QUERIES = [
    "",
    "   ",
    "x" * 10_240,
    "word " * 2_000,
    '"trade deal" -tariffs',
    '"unterminated',
    "a & b | !c <-> (d:* ",
    "OR AND NOT",
    "' OR 1=1 --",
    "%_\\",
    "\x00trade\x01",
    "Москва 東京 Ελλάδα مرحبا",
    "🙂🙂",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_never_fails_whatever_is_typed(client, query):
    ArticleFactory(title="Trade deal signed in Москва")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_finds_published_stories_by_headline_dek_and_body(client):
    ArticleFactory(title="Harbour bridge reopens")
    ArticleFactory(title="Other", dek="The harbour is busy")
    ArticleFactory(title="Third", body="<p>Boats in the harbour.</p>")
    ArticleFactory(title="Unrelated")
    DraftFactory(title="Harbour draft")
    ArticleFactory(title="Harbour tomorrow", published_at=timezone.now() + timezone.timedelta(1))
    document = client.get("/search/", {"q": "harbour"}).content.decode()
    assert "3 results for “harbour”" in document
    assert "Harbour draft" not in document and "Harbour tomorrow" not in document


def test_search_finds_non_latin_words(client):
    ArticleFactory(title="Новости из Москвы")
    assert "Новости из Москвы" in client.get("/search/", {"q": "Москвы"}).content.decode()


def test_search_without_matches_says_so(client):
    ArticleFactory(title="Harbour bridge reopens")
    document = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "No results for “zeppelin”" in document


def test_search_pagination_keeps_the_query(client, django_assert_max_num_queries, settings):
    ArticleFactory.create_batch(14, title="Harbour story")
    # Sections, the result count, one page of results.
    with django_assert_max_num_queries(3):
        document = client.get("/search/", {"q": "harbour"}).content.decode()
    assert 'href="?q=harbour&amp;page=2"' in document


def test_latest_feed_lists_live_stories_with_absolute_links(client):
    story = ArticleFactory(title="Fresh & new")
    DraftFactory(title="Draft story")
    response = client.get("/feeds/latest/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response.content).find("channel")
    items = channel.findall("item")
    # Feed readers read the title as HTML, so it is escaped once more (Django's default).
    assert [item.findtext("title") for item in items] == ["Fresh &amp; new"]
    assert items[0].findtext("link") == f"{SITE_URL}{story.get_absolute_url()}"
    assert channel.findtext("link") == f"{SITE_URL}/"


def test_section_feed_lists_only_that_section(client):
    science = CategoryFactory(slug="science", name="Science")
    ArticleFactory(title="Stars", category=science)
    ArticleFactory(title="Elsewhere")
    response = client.get("/feeds/category/science/")
    titles = [i.findtext("title") for i in parse(response.content).iter("item")]
    assert titles == ["Stars"]
    assert client.get("/feeds/category/nope/").status_code == 404


def test_sitemap_lists_every_live_story_with_lastmod(client):
    stories = ArticleFactory.create_batch(3)
    DraftFactory(slug="secret-draft")
    ArticleFactory(slug="scheduled", published_at=timezone.now() + timezone.timedelta(days=1))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse(response.content)
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("s:url", SITEMAP_NS)
    }
    for story in stories:
        assert entries[f"{SITE_URL}{story.get_absolute_url()}"]
    assert not any("secret-draft" in loc or "scheduled" in loc for loc in entries)


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()
