"""Whole-page caching with exact invalidation.

A cached page is stored under a key that includes the current *version token*
of everything it shows ("site", "articles", "comments", "article:<slug>").
Writes bump the tokens they affect (newsroom/invalidation.py), so the next
read misses and renders afresh while every other read is a cache hit. Time
can change a page too (a scheduled story going live): entries never outlive
the next scheduled publication.

Two kinds of reader are served from the cache:

- anonymous readers (no session cookie) get the very same bytes, with an
  ETag and `Cache-Control: public` so a CDN may hold them briefly;
- signed-in readers whose view of a page is the generic one (the page's
  `signed_in_variant` says so, e.g. "has not commented on this story") share
  one copy per variant, in which the only personal parts — the account menu
  and CSRF tokens — are cut out and filled in per request. Everyone else
  (staff, readers with their own comments or a pending message) gets a fresh
  render.
"""

import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

VERSION_PREFIX = "ver:"
# Bump the format number whenever the cached entry's shape changes, so servers
# running a new release never read entries an old one wrote (and vice versa).
PAGE_PREFIX = "page:3:"
ANONYMOUS = "anonymous"

# The personal parts of a signed-in page (see templates/base.html).
PERSONAL_START, PERSONAL_END = "<!--personal-->", "<!--/personal-->"
PERSONAL_SLOT = "<!--personal-slot-->"
PERSONAL_REGION = re.compile(re.escape(PERSONAL_START) + ".*?" + re.escape(PERSONAL_END), re.S)
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_SLOT = "@@csrf-token@@"
PERSONAL_SLOT_BYTES, CSRF_SLOT_BYTES = PERSONAL_SLOT.encode(), CSRF_SLOT.encode()


class LocalPages:
    """This process's most recently used pages, so a hit costs no second cache trip.

    Keys include the version tokens, so an entry can only be served while it
    is current; the shared cache holds the same entries for other processes.
    """

    def __init__(self, size):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[-1] < time.time():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def set(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


local_pages = LocalPages(size=256)


def _token():
    return str(time.time_ns())


def bump(*names):
    """Invalidate every cached page that shows one of these things."""
    cache.set_many({VERSION_PREFIX + name: _token() for name in names}, timeout=None)


def version_tokens(names, extra_key=None):
    """The current token of each name (made on first use), in one cache round trip.

    With `extra_key`, also returns that key's cached value, fetched in the same trip.
    """
    keys = [VERSION_PREFIX + name for name in names]
    found = cache.get_many(keys + [extra_key] if extra_key else keys)
    missing = {key: _token() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    tokens = [found[key] for key in keys]
    return (tokens, found.get(extra_key)) if extra_key else tokens


def reader_kind(request, signed_in_variant):
    """ANONYMOUS, "signed-in" (a reader who may share a copy) or None (personal render)."""
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return None
    if "messages" in request.COOKIES:
        return None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ANONYMOUS
    if signed_in_variant is None:
        return None
    user = request.user
    if not user.is_authenticated or user.is_staff:
        return None
    return "signed-in"


def signed_in_tokens(request, names, signed_in_variant, args, kwargs):
    """Version tokens and this reader's variant; the variant is remembered per page version.

    Working out a variant costs a query; it can only change when the page's
    versions do (a new comment, a ban, an account change bump them), so it is
    cached beside them and fetched in the same round trip.
    """
    variant_key = f"variant:{request.user.pk}:{request.path}"
    tokens, remembered = version_tokens(names, extra_key=variant_key)
    fingerprint = "|".join(tokens)
    if remembered is not None and remembered[0] == fingerprint:
        return tokens, remembered[1]
    variant = signed_in_variant(request, *args, **kwargs)
    cache.set(variant_key, (fingerprint, variant), settings.PAGE_CACHE_SECONDS)
    return tokens, variant


def page_cache(versions, signed_in_variant=None, timeout=None):
    """Serve a view's page from the cache under its version tokens.

    `versions(request, **kwargs)` names what the page shows. `signed_in_variant
    (request, **kwargs)` returns a name for signed-in readers who may share a
    copy, or None. `timeout()` may shorten an entry's life (seconds).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            kind = reader_kind(request, signed_in_variant)
            if kind is not None:
                names = versions(request, **kwargs)
                if kind == ANONYMOUS:
                    variant, tokens = ANONYMOUS, version_tokens(names)
                else:
                    tokens, variant = signed_in_tokens(
                        request, names, signed_in_variant, args, kwargs
                    )
            if kind is None or variant is None:
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, ["Cookie"])
                return response
            anonymous = variant == ANONYMOUS
            fingerprint = "|".join([variant, request.get_full_path(), *tokens])
            digest = hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()
            etag = f'W/"{digest}"'  # weak: the gzip and plain bodies are one page
            if anonymous and request.headers.get("If-None-Match") == etag:
                return _not_modified(etag)
            key = PAGE_PREFIX + digest
            cached = local_pages.get(key)
            if cached is None:
                cached = cache.get(key)
                if cached is not None:
                    local_pages.set(key, cached)
            if cached is not None:
                content, gzipped, content_type, last_modified, _expires = cached
                if not anonymous:
                    content = personalize(content, request)
                elif gzipped and "gzip" in request.headers.get("Accept-Encoding", ""):
                    content = gzipped
                response = HttpResponse(content, content_type=content_type)
                if content is gzipped:
                    response.headers["Content-Encoding"] = "gzip"
                response.headers["X-Page-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if response.status_code != 200:
                    patch_vary_headers(response, ["Cookie"])
                    return response
                if anonymous:
                    # A page that set a cookie or rendered a CSRF token is this reader's own.
                    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                        patch_vary_headers(response, ["Cookie"])
                        return response
                    shareable = response.content
                else:
                    shareable = depersonalize(response.content.decode())
                last_modified = time.time()
                if shareable is not None:
                    life = min(settings.PAGE_CACHE_SECONDS, timeout() if timeout else 1e9)
                    if life >= 1:
                        entry = (
                            shareable,
                            # Compressed once here, not per request (anonymous copies only).
                            gzip.compress(shareable, 6) if anonymous else None,
                            response["Content-Type"],
                            last_modified,
                            time.time() + life,
                        )
                        cache.set(key, entry, int(life))
                        local_pages.set(key, entry)
                        if entry[1] and "gzip" in request.headers.get("Accept-Encoding", ""):
                            response.content = entry[1]  # the first reader gets it compressed too
                            response.headers["Content-Encoding"] = "gzip"
                response.headers["X-Page-Cache"] = "miss"
            if anonymous:
                response.headers["ETag"] = etag
                response.headers["Last-Modified"] = http_date(last_modified)
                response.headers["Cache-Control"] = (
                    f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}, "
                    f"s-maxage={settings.PAGE_CACHE_CDN_SECONDS}"
                )
            else:
                response.headers["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
            return response

        return wrapper

    return decorator


def depersonalize(html):
    """Cut the account menu and CSRF tokens out of a signed-in page, or None if unsure."""
    if html.count(PERSONAL_START) != 1:
        return None
    html = PERSONAL_REGION.sub(PERSONAL_SLOT, html)
    # Bytes: filling the slots in per request then needs no 300 kB re-encoding.
    return CSRF_VALUE.sub(rf"\g<1>{CSRF_SLOT}\g<2>", html).encode()


def personalize(page, request):
    menu = render_to_string("partials/account_menu.html", request=request)
    page = page.replace(PERSONAL_SLOT_BYTES, (PERSONAL_START + menu + PERSONAL_END).encode(), 1)
    return page.replace(CSRF_SLOT_BYTES, get_token(request).encode())


def _not_modified(etag):
    response = HttpResponseNotModified()
    response.headers["ETag"] = etag
    patch_vary_headers(response, ["Cookie"])
    return response
