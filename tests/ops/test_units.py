"""The operations pieces in-process: /healthz, request ids, JSON logs, the Redis cache
that degrades to no cache, the replica router and the 503 page."""

import json
import logging
import socket

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from newsroom import db_router, ratelimit
from newsroom.logging import JSONFormatter, RequestIDFilter, request_id_var
from newsroom.middleware import DatabaseUnavailableMiddleware, RequestIDMiddleware, server_error


@pytest.mark.django_db
def test_healthz_reports_database_and_cache_as_json_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies and "Cookie" not in response.get("Vary", "")


def test_liveness_does_no_io_and_answers_any_host(client):
    # No django_db mark: any query would raise.
    for path in ("/healthz?live", "/healthz/live"):
        response = client.get(path, headers={"host": "10.0.0.7:8000"})
        assert response.status_code == 200
        assert response.json()["status"] == "ok"


def test_a_sane_request_id_is_kept_and_echoed_and_an_unsafe_one_replaced():
    seen = {}

    def view(request):
        seen["id"] = request_id_var.get()
        return HttpResponse()

    middleware = RequestIDMiddleware(view)
    response = middleware(RequestFactory().get("/", headers={"x-request-id": "lb-42.a:b"}))
    assert response["X-Request-ID"] == "lb-42.a:b" == seen["id"]

    for bad in ("has space", "x" * 200, "<script>", ""):
        response = middleware(RequestFactory().get("/", headers={"x-request-id": bad}))
        assert response["X-Request-ID"] != bad
        assert len(response["X-Request-ID"]) == 32
    assert request_id_var.get() == "-", "the id leaked out of the request"


def test_json_log_lines_carry_the_request_id_and_the_exception():
    token = request_id_var.set("req-1")
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            record = logging.LogRecord(
                "newsroom", logging.ERROR, __file__, 1, "failed %s", ("x",), None
            )
            import sys

            record.exc_info = sys.exc_info()
        record.status_code = 500
        RequestIDFilter().filter(record)
        line = json.loads(JSONFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "failed x"
    assert line["request_id"] == "req-1"
    assert line["level"] == "ERROR" and line["status_code"] == 500
    assert "ValueError: boom" in line["exception"]


@pytest.fixture
def redis_down(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "retry_after": 5},
        }
    }


def test_an_unreachable_redis_is_a_cache_miss_not_an_error(redis_down, caplog):
    assert cache.get("k", "default") == "default"
    cache.set("k", 1)
    assert cache.get_or_set("k", lambda: "computed") == "computed"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")
    # Rate limits fail open: a Redis outage must not lock every reader out.
    limit = ratelimit.Limit(1, 60)
    assert all(ratelimit.hit("test", "reader", limit) for _ in range(3))
    assert not ratelimit.is_limited("test", "reader", limit)
    warnings = [r for r in caplog.records if r.name == "newsroom.cache"]
    assert len(warnings) == 1, "one warning, then Redis is skipped for a few seconds"


@pytest.mark.django_db
def test_healthz_says_degraded_but_ready_when_only_the_cache_is_down(redis_down, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"]["status"] == "unavailable"


def test_the_router_reads_from_replicas_and_writes_and_migrates_on_the_primary(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    router = db_router.PrimaryReplicaRouter()
    assert router.db_for_read(None) == "replica1"
    assert router.db_for_write(None) == "default"
    with db_router.use_primary():
        assert router.db_for_read(None) == "default"
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica1", "articles") is False


def test_a_write_pins_the_client_to_the_primary_for_the_window(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.READ_YOUR_WRITES_SECONDS = 7
    pinned = []

    def view(request):
        pinned.append(db_router.is_pinned())
        return HttpResponse()

    middleware = db_router.ReadYourWritesMiddleware(view)
    factory = RequestFactory()
    assert db_router.PIN_COOKIE not in middleware(factory.get("/")).cookies
    response = middleware(factory.post("/articles/x/comments/"))
    assert response.cookies[db_router.PIN_COOKIE]["max-age"] == 7
    request = factory.get("/")
    request.COOKIES[db_router.PIN_COOKIE] = "1"
    middleware(request)
    assert pinned == [False, True, True]
    assert db_router.is_pinned() is False


def test_a_database_error_in_a_view_is_a_503_that_keeps_the_readers_text():
    request = RequestFactory().post("/articles/x/comments/", {"body": "<b>Mine</b> & yours"})
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(
        request, OperationalError("connection refused")
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "&lt;b&gt;Mine&lt;/b&gt; &amp; yours</textarea>" in page
    assert "connection refused" not in page


def test_other_errors_are_left_to_the_500_page():
    request = RequestFactory().get("/")
    assert (
        DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, KeyError("x"))
        is None
    )
    try:
        raise RuntimeError("wrapped") from OperationalError("gone")
    except RuntimeError:
        assert server_error(request).status_code == 503
    try:
        raise KeyError("x")
    except KeyError:
        assert server_error(request).status_code == 500
