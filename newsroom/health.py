"""/healthz: liveness, and readiness of the database(s) and the cache, as JSON.

    GET /healthz        readiness: 200 {"status": "ok"}; 503 {"status": "unavailable"}
                        when a database does not answer; 200 {"status": "degraded"}
                        when only the cache is down (pages are served uncached).
    GET /healthz?live   liveness only (the process answers), no I/O at all.
    GET /healthz/live   the same.

HealthCheckMiddleware answers these paths first, before sessions, CSRF,
authentication, host validation and the HTTPS redirect: a load balancer can
poll every second by IP over plain HTTP, and a check never touches a session.
"""

import os
import time
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse

from newsroom.db_router import replica_aliases

HEALTH_PATHS = ("/healthz", "/healthz/", "/healthz/live", "/healthz/live/")


def _timed(check):
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:
        return {
            "status": "unavailable",
            "error": type(exc).__name__,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_database(alias):
    def check():
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:
            # Drop the broken connection so the next request reconnects by itself.
            connection.close()
            raise

    return check


class CacheUnavailable(Exception):
    pass


_CACHE_KEY = f"healthz:{os.getpid()}"


def _check_cache():
    nonce = uuid.uuid4().hex
    cache.set(_CACHE_KEY, nonce, 10)
    if cache.get(_CACHE_KEY) != nonce:
        # ResilientRedisCache answers a miss rather than raising when Redis is down.
        raise CacheUnavailable


def _response(payload, status):
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request):
    """Readiness (or liveness with ?live or /live) as JSON."""
    if "live" in request.GET or request.path.rstrip("/").endswith("/live"):
        return _response({"status": "ok", "checks": {}}, 200)
    checks = {"database": _timed(_check_database("default"))}
    for alias in replica_aliases():
        checks[f"database_{alias}"] = _timed(_check_database(alias))
    checks["cache"] = _timed(_check_cache)
    databases_ok = all(
        result["status"] == "ok" for name, result in checks.items() if name.startswith("database")
    )
    if not databases_ok:
        return _response({"status": "unavailable", "checks": checks}, 503)
    status = "ok" if checks["cache"]["status"] == "ok" else "degraded"
    return _response({"status": status, "checks": checks}, 200)


class HealthCheckMiddleware:
    """Answer /healthz before any other middleware does work (put it first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in HEALTH_PATHS and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
