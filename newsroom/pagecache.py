"""Whole-page caching for anonymous readers, with exact invalidation.

A cached page is stored under a key that includes the current *version token*
of everything it shows ("site", "articles", "article:<slug>"). Writes bump the
tokens they affect (see `bump`), so the next read misses and renders afresh,
while every other read is a cache hit. Nothing is ever served stale by a
timeout guess, except where a page says so (listing comment counts).

Only requests without a session cookie are served from the cache: signed-in
readers, and anyone with a pending message, get their own render.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

VERSION_PREFIX = "ver:"
PAGE_PREFIX = "page:"


def _token():
    return str(time.time_ns())


def bump(*names):
    """Invalidate every cached page that shows one of these things."""
    cache.set_many({VERSION_PREFIX + name: _token() for name in names}, timeout=None)


def version_tokens(names):
    keys = [VERSION_PREFIX + name for name in names]
    found = cache.get_many(keys)
    missing = {key: _token() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return [found[key] for key in keys]


def is_cacheable_request(request):
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def anonymous_page_cache(versions, timeout=None):
    """Cache a view's page for anonymous readers under its version tokens.

    `versions(request, **kwargs)` names what the page shows, e.g.
    ["site", "articles", f"article:{slug}"].
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_cacheable_request(request):
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, ["Cookie"])
                return response
            names = versions(request, **kwargs)
            fingerprint = "|".join([request.get_full_path(), *version_tokens(names)])
            digest = hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()
            etag = f'"{digest}"'
            if request.headers.get("If-None-Match") == etag:
                return _not_modified(etag)
            key = PAGE_PREFIX + digest
            cached = cache.get(key)
            if cached is not None:
                content, content_type, last_modified = cached
                response = HttpResponse(content, content_type=content_type)
                response.headers["X-Page-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                # A page that set a cookie or rendered a CSRF token is this reader's own.
                personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                if response.status_code != 200 or personal:
                    patch_vary_headers(response, ["Cookie"])
                    return response
                last_modified = time.time()
                cache.set(
                    key,
                    (response.content, response["Content-Type"], last_modified),
                    timeout or settings.PAGE_CACHE_SECONDS,
                )
                response.headers["X-Page-Cache"] = "miss"
            response.headers["ETag"] = etag
            response.headers["Last-Modified"] = http_date(last_modified)
            response.headers["Cache-Control"] = (
                f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}, "
                f"s-maxage={settings.PAGE_CACHE_CDN_SECONDS}"
            )
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapper

    return decorator


def _not_modified(etag):
    response = HttpResponseNotModified()
    response.headers["ETag"] = etag
    patch_vary_headers(response, ["Cookie"])
    return response
