"""Template helpers for the readers' pages: absolute URLs, the share row, JSON-LD."""

import json
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end a <script> element or start an HTML comment, as JSON escapes.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def absolute(path):
    """SITE_URL + path: the address a reader shares, feeds and crawlers see."""
    if path.startswith(("https://", "http://")):  # e.g. media on object storage
        return path
    return f"{settings.SITE_URL}{path}"


@register.simple_tag
def site_name():
    """SITE_NAME from settings, for templates rendered without context processors (500.html)."""
    return settings.SITE_NAME


@register.filter
def iso(value):
    """A datetime as HTML's <time datetime> wants it: ISO 8601, whole seconds, with offset."""
    return value.replace(microsecond=0).isoformat() if value else ""


def share_links(article):
    """Share URLs for WhatsApp, LinkedIn and X, each with the page's address URL-encoded."""
    url = absolute(article.get_absolute_url())
    return {
        "url": url,
        "whatsapp": "https://wa.me/?"
        + urlencode({"text": f"{article.title} {url}"}, quote_via=quote),
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?"
        + urlencode({"url": url}, quote_via=quote),
        "x": "https://x.com/intent/tweet?"
        + urlencode({"text": article.title, "url": url}, quote_via=quote),
    }


@register.inclusion_tag("articles/_share_row.html")
def share_row(article):
    return {"article": article, "share": share_links(article)}


def article_json_ld(article):
    """The schema.org NewsArticle for an article, as a dict."""
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.excerpt[:300],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "datePublished": iso(article.published_at) or None,
        "dateModified": iso(article.updated_at) or None,
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": [
            {
                "@type": "Person",
                "name": article.author.public_name,
                "url": absolute(article.author.get_absolute_url()),
            }
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute("/")},
    }
    if article.hero_image:
        data["image"] = [absolute(article.hero_image.url)]
    if article.is_syndicated:
        data["isBasedOn"] = article.source_url
    return data


@register.simple_tag
def json_ld(article):
    """A <script type="application/ld+json"> that no headline can break out of."""
    payload = json.dumps(article_json_ld(article), ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308
    )
