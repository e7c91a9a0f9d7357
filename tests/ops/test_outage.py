"""Failing gracefully: the database goes away (through a TCP proxy we cut) and comes
back; Redis is unreachable throughout. The real PostgreSQL is never stopped."""

import html
import time

import pytest

from .conftest import (
    TAG,
    Browser,
    TCPProxy,
    app_env,
    app_servers,
    clone_database,
    drop_database,
    free_port,
    pg_url,
)


@pytest.fixture(scope="module")
def outage(template_database, static_root, tmp_path_factory):
    name = f"ops_outage_{TAG}"
    clone_database(template_database, name)
    proxy = TCPProxy()
    env = app_env(
        DATABASE_URL=pg_url(name, port=proxy.port),
        DATABASE_CONNECT_TIMEOUT="2",
        # Nothing listens here: the cache is down for the whole module.
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        STATIC_ROOT=static_root,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        WEB_CONCURRENCY="1",
    )
    try:
        with app_servers(1, env, prefix="outage") as (server,):
            yield server, proxy
    finally:
        if proxy.running:
            proxy.down()
        drop_database(name)


def test_pages_are_served_uncached_when_redis_is_down(outage):
    server, _ = outage
    browser = Browser()
    assert browser.get(server.url + "/").status_code == 200
    assert browser.get(server.url + "/articles/ops-live/").status_code == 200
    # Sessions fall back to the database; signing in still works.
    browser.login(server.url, "ops-reader")
    assert browser.get(server.url + "/accounts/profile/").status_code == 200

    health = browser.get(server.url + "/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["cache"]["status"] == "unavailable"


def test_a_database_outage_is_a_themed_503_and_the_site_recovers_by_itself(outage):
    server, proxy = outage
    reader = Browser()
    reader.login(server.url, "ops-reader")
    text = 'My unsaved <script>alert("x")</script> thoughts & "quotes"'

    proxy.down()
    try:
        page = reader.get(server.url + "/")
        assert page.status_code == 503
        assert page.headers["Retry-After"]
        assert "We’ll be right back" in page.text
        assert "/static/css/newsroom." in page.text, "not in the site's theme"
        assert "data-bs-theme" in page.text
        assert "Traceback" not in page.text and "OperationalError" not in page.text

        health = Browser().get(server.url + "/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert health.json()["checks"]["database"]["status"] == "unavailable"
        assert Browser().get(server.url + "/healthz?live").status_code == 200

        posted = reader.post(server.url + "/articles/ops-live/comments/", {"body": text})
        assert posted.status_code == 503
        assert html.escape(text, quote=False) in posted.text or html.escape(text) in posted.text
        assert "<script>alert" not in posted.text
        assert "<textarea" in posted.text
    finally:
        proxy.up()

    # Back without a restart: the broken connection is dropped and a new one made.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if reader.get(server.url + "/").status_code == 200:
            break
        time.sleep(0.2)
    assert reader.get(server.url + "/").status_code == 200
    assert reader.get(server.url + "/accounts/profile/").status_code == 200
    assert Browser().get(server.url + "/healthz").json()["checks"]["database"]["status"] == "ok"
