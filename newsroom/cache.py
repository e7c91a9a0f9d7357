"""A Redis cache that degrades to "no cache" when Redis is unreachable.

Django's RedisCache raises on connection errors, which would turn a Redis
outage into a site outage. Here every operation that cannot reach Redis
answers as a cache miss instead, logs one warning, and skips Redis for a few
seconds (a small circuit breaker) so a page with many cache calls does not pay
a connection timeout for each of them.

Misses are the safe answer for every caller: pages render uncached, cached_db
sessions fall back to the database, and rate limits fail open (a Redis outage
must not lock every reader out).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("newsroom.cache")

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover - redis is a runtime requirement
    UNREACHABLE = (OSError,)


def _fallback(value):
    """Wrap a cache method: on an unreachable Redis, return `value` (or call it)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._is_tripped():
                return value(*args, **kwargs) if callable(value) else value
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._trip(method.__name__, exc)
                return value(*args, **kwargs) if callable(value) else value

        return wrapper

    return decorate


def _get_default(key, default=None, version=None):
    return default


def _incr_missing(*args, **kwargs):
    # What Django raises for a missing key: callers (the rate limiter) already handle it.
    raise ValueError("Cache unavailable: key not found")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis per call, rebuilding ~170 response
    callbacks each time (a tenth of a millisecond); one per connection pool will do."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that treats an outage as a miss.

    OPTIONS may carry `retry_after` (seconds to skip Redis after a failure,
    default 5); the rest goes to redis-py as usual (e.g. socket timeouts).
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0

    def _is_tripped(self):
        return time.monotonic() < self._down_until

    def _trip(self, operation, exc):
        self._down_until = time.monotonic() + self.retry_after
        logger.warning(
            "Redis unreachable during cache.%s (%s: %s); serving uncached for %.0f s",
            operation,
            type(exc).__name__,
            exc,
            self.retry_after,
        )

    get = _fallback(_get_default)(RedisCache.get)
    # "Added": callers that use add() as a lock proceed rather than all being refused.
    add = _fallback(True)(RedisCache.add)
    set = _fallback(None)(RedisCache.set)
    touch = _fallback(False)(RedisCache.touch)
    delete = _fallback(False)(RedisCache.delete)
    get_many = _fallback(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _fallback(False)(RedisCache.has_key)
    incr = _fallback(_incr_missing)(RedisCache.incr)
    set_many = _fallback(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _fallback(None)(RedisCache.delete_many)
    clear = _fallback(False)(RedisCache.clear)
