"""Cache-backed rate limits, shared by sign-in, sign-up, comments and reports.

A fixed window per key: simple, cheap (one cache round trip) and, with Redis
as the cache, shared by every app server.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one key."""

    count: int
    seconds: int


def _window_key(scope: str, key: str, limit: Limit) -> str:
    window = int(time.time() // limit.seconds)
    return f"rl:{scope}:{key}:{window}"


def hit(scope: str, key: str, limit: Limit) -> bool:
    """Count one hit; return False when the key is over its limit in this window."""
    cache_key = _window_key(scope, key, limit)
    if cache.add(cache_key, 1, timeout=limit.seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=limit.seconds)
        return True
    return count <= limit.count


def is_limited(scope: str, key: str, limit: Limit) -> bool:
    """True when the key has used up its hits in this window (counts nothing)."""
    return (cache.get(_window_key(scope, key, limit)) or 0) >= limit.count


def reset(scope: str, key: str, limit: Limit) -> None:
    cache.delete(_window_key(scope, key, limit))


def client_ip(request) -> str:
    """The client's address; behind a proxy, only from the header we were told to trust."""
    header = getattr(settings, "TRUSTED_CLIENT_IP_HEADER", "")
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            # X-Forwarded-For: client, proxy1, proxy2 — the first is the client.
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
