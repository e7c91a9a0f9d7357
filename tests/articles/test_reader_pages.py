"""The readers' side: pages, share row, structured data, listings and query counts."""

import html
import json
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory, CategoryFactory, DraftFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
TRICKY_TITLE = 'Rates & "growth" #1: Ελλάδα, 東京 и Москва'


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def hrefs(document, css_class):
    return [
        html.unescape(href)
        for href in re.findall(rf'class="share-link {css_class}" href="([^"]+)"', document)
    ]


def test_front_page_leads_with_the_newest_featured_story(client):
    featured = ArticleFactory(
        title="The featured one",
        featured=True,
        published_at=timezone.now() - timezone.timedelta(days=1),
    )
    ArticleFactory(title="A newer ordinary story")
    document = page(client, "/")
    lead = document.split('aria-label="Lead story"')[1].split("</section>")[0]
    assert featured.title in lead
    assert "A newer ordinary story" not in lead


def test_front_page_leads_with_the_newest_story_when_none_is_featured(client):
    ArticleFactory(title="Yesterday", published_at=timezone.now() - timezone.timedelta(days=1))
    ArticleFactory(title="Today")
    lead = page(client, "/").split('aria-label="Lead story"')[1].split("</section>")[0]
    assert "Today" in lead and "Yesterday" not in lead


def test_front_page_shows_a_block_per_section_and_never_a_draft(client):
    politics = CategoryFactory(name="Politics", slug="politics")
    science = CategoryFactory(name="Science", slug="science")
    ArticleFactory.create_batch(4, category=politics)
    ArticleFactory.create_batch(2, category=science)  # one may lead; the other still has a block
    DraftFactory(category=science, title="Unfinished draft")
    document = page(client, "/")
    assert 'id="section-politics"' in document
    assert 'id="section-science"' in document
    assert "Unfinished draft" not in document


def test_front_page_with_no_stories_still_renders(client):
    assert "No stories yet" in page(client, "/")


@pytest.mark.parametrize("number", ["abc", "99999", "-5", "1.5", "%00"])
def test_listings_survive_any_page_number(client, number):
    category = CategoryFactory()
    ArticleFactory.create_batch(3, category=category)
    for url in ("/", category.get_absolute_url(), "/search/?q=story"):
        separator = "&" if "?" in url else "?"
        assert client.get(f"{url}{separator}page={number}").status_code == 200


def test_article_page_shows_byline_times_hero_tags_and_reading_time(client):
    author = UserFactory(display_name="Ada Reporter")
    story = ArticleFactory(
        author=author,
        tags=[TagFactory(name="Climate", slug="climate")],
        published_at=timezone.now() - timezone.timedelta(days=2),
    )
    document = page(client, story.get_absolute_url())
    assert f'<a href="/author/{author.username}/" rel="author">Ada Reporter</a>' in document
    published = story.published_at.replace(microsecond=0).isoformat()
    assert f'Published <time datetime="{published}">' in document
    assert "Updated <time datetime=" in document  # saved two days after its publication time
    assert 'href="/tag/climate/"' in document
    assert "1 min read" in document
    for landmark in ("<header", "<nav", "<main", "<article", "<footer"):
        assert landmark in document
    assert 'href="#main"' in document  # skip link


def test_a_story_edited_at_publication_shows_no_update_time(client):
    story = ArticleFactory(published_at=timezone.now())
    assert "Updated <time" not in page(client, story.get_absolute_url())


def test_related_stories_share_section_or_tags_and_exclude_the_story_and_drafts(client):
    tag = TagFactory()
    story = ArticleFactory(tags=[tag])
    same_tag = ArticleFactory(title="Shares a tag", tags=[tag])
    same_section = ArticleFactory(title="Same section", category=story.category)
    ArticleFactory(title="Unrelated story")
    DraftFactory(title="Related draft", category=story.category, tags=[tag])
    related = page(client, story.get_absolute_url()).split('id="related-heading"')[1]
    assert same_tag.title in related and same_section.title in related
    assert "Unrelated story" not in related
    assert "Related draft" not in related
    assert related.count(f'href="{story.get_absolute_url()}"') == 0
    assert related.index(same_tag.title) < related.index(same_section.title)  # more in common


def article_page_queries(client, story):
    with CaptureQueriesContext(connection) as context:
        page(client, story.get_absolute_url())
    return [query["sql"] for query in context.captured_queries]


def test_article_page_query_count_is_fixed_however_many_tags_and_related(client):
    bare = ArticleFactory(category=CategoryFactory())
    tags = TagFactory.create_batch(12)
    rich = ArticleFactory(tags=tags)
    for _ in range(10):
        ArticleFactory(category=rich.category, tags=tags[:3])
    bare_queries = article_page_queries(client, bare)
    rich_queries = article_page_queries(client, rich)
    assert len(rich_queries) == len(bare_queries)
    # Ours: the article (author, section), its tags, related stories in one query, the
    # sections. The discussion (comments app) pins its own queries.
    ours = [sql for sql in rich_queries if "comments_comment" not in sql]
    assert len(ours) <= 4, ours


def test_syndicated_story_shows_an_excerpt_and_links_to_the_original(client):
    story = ArticleFactory(
        dek="The gist of it.",
        body="<p>The full text we may not republish.</p>",
        source_name="The Gazette",
        source_url="https://gazette.example.com/original?a=1&b=2",
    )
    document = page(client, story.get_absolute_url())
    assert "The gist of it." in document
    assert "The full text we may not republish." not in document
    link = re.search(
        r'<a [^>]*href="https://gazette.example.com/original\?a=1&amp;b=2"[^>]*>', document
    )
    assert link and 'rel="noopener"' in link.group(0)
    assert "Continue reading on The Gazette" in document
    assert (
        '<link rel="canonical" href="https://gazette.example.com/original?a=1&amp;b=2">' in document
    )


def test_share_links_carry_the_absolute_url_and_the_encoded_title(client):
    story = ArticleFactory(title=TRICKY_TITLE, slug="rates-growth")
    document = page(client, story.get_absolute_url())
    url = f"{SITE_URL}/articles/rates-growth/"

    (whatsapp,) = hrefs(document, "share-whatsapp")
    (linkedin,) = hrefs(document, "share-linkedin")
    (x,) = hrefs(document, "share-x")
    assert whatsapp.startswith("https://wa.me/?text=")
    assert parse_qs(urlsplit(whatsapp).query) == {"text": [f"{TRICKY_TITLE} {url}"]}
    assert parse_qs(urlsplit(linkedin).query) == {"url": [url]}
    assert parse_qs(urlsplit(x).query) == {"text": [TRICKY_TITLE], "url": [url]}
    # Nothing raw: & # " and spaces are all percent-encoded inside the parameters.
    assert quote(TRICKY_TITLE, safe="") in x
    assert "%26" in x and "%23" in x and "%22" in x and " " not in x
    assert f'data-share-url="{url}"' in document


def test_share_row_works_without_javascript(client):
    document = page(client, ArticleFactory().get_absolute_url())
    row = document.split('class="share-row"')[1].split("</section>")[0]
    for name in ("WhatsApp", "LinkedIn", "X/Twitter"):
        assert f">{name}<" in row
    assert '<button type="button" class="share-link share-copy" hidden>Copy link</button>' in row


def test_article_has_open_graph_twitter_and_news_article_json_ld(client):
    story = ArticleFactory(title="Rates hold steady", tags=[TagFactory(name="Economy")])
    document = page(client, story.get_absolute_url())
    assert '<meta property="og:title" content="Rates hold steady">' in document
    assert '<meta property="og:type" content="article">' in document
    assert '<meta name="twitter:card" content="summary">' in document
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', document, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Rates hold steady"
    assert data["mainEntityOfPage"]["@id"] == f"{SITE_URL}{story.get_absolute_url()}"
    assert data["author"][0]["name"] == story.author.public_name
    assert data["keywords"] == ["Economy"]


def test_a_headline_cannot_break_out_of_the_json_ld_script(client):
    story = ArticleFactory(title="</script><script>alert(1)</script><!--")
    document = page(client, story.get_absolute_url())
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', document, re.S).group(1)
    assert "<" not in raw and ">" not in raw
    assert json.loads(raw)["headline"] == story.title
    assert "<script>alert(1)" not in document


def test_pages_carry_no_inline_scripts_or_event_handlers(client):
    story = ArticleFactory(source_name="Gazette", source_url="https://gazette.example.com/x")
    for url in ("/", story.get_absolute_url(), "/search/?q=x", story.category.get_absolute_url()):
        document = page(client, url)
        for script in re.findall(r"<script\b[^>]*>", document):
            assert "src=" in script or 'type="application/ld+json"' in script, script
        assert not re.search(r"\son[a-z]+=", document), url
        assert 'style="' not in document, url


def test_theme_toggle_is_in_every_header_and_the_theme_attribute_is_on_html(client):
    story = ArticleFactory()
    for url in ("/", story.get_absolute_url(), "/search/", story.author.get_absolute_url()):
        document = page(client, url)
        assert '<html lang="en" data-bs-theme="auto">' in document
        assert 'id="theme-toggle" aria-pressed="false"' in document
        assert "Dark Mode" in document
        head = document.split("<body")[0]
        assert "/static/js/theme.js" in head  # runs before <body> is parsed


def test_category_tag_and_author_listings(client, django_assert_max_num_queries):
    category = CategoryFactory(name="Science", slug="science", description="Discoveries.")
    tag = TagFactory(name="Space", slug="space")
    author = UserFactory(username="ada", display_name="Ada Lovelace", bio="Writes about engines.")
    ArticleFactory.create_batch(15, category=category, tags=[tag], author=author)
    DraftFactory(category=category, title="Secret draft", author=author, tags=[tag])
    for url, heading in [
        ("/category/science/", "Science"),
        ("/tag/space/", "Space"),
        ("/author/ada/", "Ada Lovelace"),
    ]:
        # Sections, the object, the page count, one page of stories.
        with django_assert_max_num_queries(4):
            document = page(client, url)
        assert heading in document
        assert "Secret draft" not in document
        assert 'rel="next"' in document  # 15 stories, 12 a page
    author_page = page(client, "/author/ada/")
    assert "Writes about engines." in author_page
    assert (
        '<span class="avatar avatar-lg avatar-initials" aria-hidden="true">AL</span>' in author_page
    )
    assert 'href="/feeds/category/science/"' in page(client, "/category/science/")


@pytest.mark.parametrize("url", ["/category/nope/", "/tag/nope/", "/author/nobody/"])
def test_unknown_listing_is_a_themed_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()
    assert 'id="theme-toggle"' in response.content.decode()


def test_500_page_renders_without_context_processors_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        document = render_to_string("500.html")
    assert "Something went wrong" in document
    assert 'data-bs-theme="auto"' in document
