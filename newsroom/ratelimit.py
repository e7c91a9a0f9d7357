"""Cache-backed rate limits, shared by sign-in, sign-up, comments and reports.

A fixed window per key: simple, cheap (one cache round trip) and, with Redis
as the cache, shared by every app server.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one key."""

    count: int
    seconds: int


def now():
    """The clock the windows follow (tests align it to a window's start)."""
    return time.time()


def _window_key(scope: str, key: str, limit: Limit) -> str:
    window = int(now() // limit.seconds)
    # Keys can be typed usernames: hashed, so any text makes a short, cache-safe key.
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"rl:{scope}:{digest}:{window}"


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
        # A proxy appends the address it saw, so only the last entry is ours to trust:
        # the first ones are whatever the client sent ("X-Forwarded-For: 1.2.3.4").
        forwarded = forwarded.split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
