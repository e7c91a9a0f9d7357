"""Site search: PostgreSQL full-text search, or a plain icontains fallback on SQLite.

On PostgreSQL the query matches `Article.search_vector` (kept by a trigger and
GIN-indexed, see migration 0003) with `websearch_to_tsquery`, which accepts
anything a reader types (quotes, `-`, `OR`, stray operators) without a syntax
error; results are ranked and carry a highlighted snippet. On SQLite every word
must appear in the headline, dek or body.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_FALLBACK_WORDS = 8
# Sentinels that cannot occur in sanitized HTML: the snippet is escaped, then they become <mark>.
_START, _STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_query(raw):
    """What we search for: control characters (NUL breaks PostgreSQL) dropped, length capped."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_articles(queryset, query):
    """Filter and order `queryset` (already published) by `query`; the caller paginates."""
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            queryset.filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                snippet=SearchHeadline(
                    "body",
                    search_query,
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    words = [word.strip("\"'()+-*~|&!:") for word in query.split()]
    condition = Q()
    for word in [w for w in words if w][:MAX_FALLBACK_WORDS]:
        condition &= Q(title__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
    if not condition:
        return queryset.none()
    return queryset.filter(condition)


def highlight(snippet):
    """A PostgreSQL headline as safe HTML: tags stripped, text escaped, matches in <mark>."""
    text = escape(strip_tags(snippet or ""))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308
