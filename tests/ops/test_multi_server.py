"""Two gunicorn app servers sharing one PostgreSQL database and one Redis, as behind a
load balancer: whatever a reader does through one is true on the other."""

import re
import time

import pytest
from django.urls import Resolver404, resolve

from .conftest import (
    TAG,
    Browser,
    app_env,
    app_servers,
    clone_database,
    drop_database,
    random_text,
)


@pytest.fixture(scope="module")
def fleet(template_database, redis_db, static_root, tmp_path_factory):
    name = f"ops_fleet_{TAG}"
    database_url = clone_database(template_database, name)
    env = app_env(
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        CACHE_KEY_PREFIX=f"ops-fleet-{TAG}",
        STATIC_ROOT=static_root,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        ACCOUNTS_LOGIN_MAX_FAILURES="3",
        COMMENTS_RATE_LIMIT_PER_MINUTE="3",
    )
    try:
        with app_servers(2, env, prefix="fleet") as servers:
            yield servers
    finally:
        drop_database(name)


def test_both_servers_report_ready_on_postgresql_and_redis(fleet):
    for server in fleet:
        response = Browser().get(server.url + "/healthz")
        assert response.status_code == 200, server.log_tail()
        body = response.json()
        assert body["status"] == "ok"
        assert body["checks"]["database"]["status"] == "ok"
        assert body["checks"]["cache"]["status"] == "ok"


def test_a_session_made_on_one_server_is_valid_on_the_other(fleet):
    a, b = fleet
    browser = Browser()
    browser.login(a.url, "ops-reader")
    profile = browser.get(b.url + "/accounts/profile/")
    assert profile.status_code == 200, "B does not know A's session"
    assert "ops-reader" in profile.text


def test_failed_sign_ins_are_counted_across_both_servers(fleet):
    a, b = fleet
    # ACCOUNTS_LOGIN_MAX_FAILURES=3: two failures on A and one on B use it up.
    statuses = []
    for server in (a, b, a, b):
        response = Browser().post(
            server.url + "/accounts/login/", {"username": "ops-other", "password": "wrong"}
        )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429], "each server counted on its own"


def test_publishing_through_one_server_is_visible_on_the_other_at_once(fleet):
    a, b = fleet
    reader = Browser()
    # Warm whatever B caches: the front page and the (still unpublished) story.
    assert "Ops embargoed story" not in reader.get(b.url + "/").text
    assert reader.get(b.url + "/articles/ops-embargoed/").status_code == 404

    editor = Browser()
    editor.login(a.url, "ops-editor")
    listing = editor.get(a.url + "/admin/articles/article/")
    pk = re.search(r'/admin/articles/article/(\d+)/change/[^"]*">Ops embargoed story', listing.text)
    assert pk, "the admin list does not show the draft"
    response = editor.post(
        a.url + "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": pk.group(1), "index": "0"},
    )
    assert response.status_code == 302, response.text[:500]

    assert reader.get(b.url + "/articles/ops-embargoed/").status_code == 200
    assert "Ops embargoed story" in reader.get(b.url + "/").text


def comments_are_routed():
    try:
        resolve("/articles/ops-live/comments/")
    except Resolver404:
        return False
    return True


def test_a_comment_posted_through_one_server_is_seen_through_the_other(fleet):
    if not comments_are_routed():
        pytest.skip("comments are not built yet: no POST /articles/<slug>/comments/")
    a, b = fleet
    text = random_text("Posted through A")
    commenter = Browser()
    commenter.login(a.url, "ops-reader")
    response = commenter.post(a.url + "/articles/ops-live/comments/", {"body": text})
    assert response.status_code in (302, 303), response.text[:500]
    assert text in Browser().get(b.url + "/articles/ops-live/").text


def test_the_comment_rate_limit_counts_across_both_servers(fleet):
    if not comments_are_routed():
        pytest.skip("comments are not built yet: no POST /articles/<slug>/comments/")
    a, b = fleet
    commenter = Browser()
    commenter.login(a.url, "ops-commenter")
    if time.time() % 60 > 45:  # the limit's window is the clock minute: start in a fresh one
        time.sleep(61 - time.time() % 60)
    # COMMENTS_RATE_LIMIT_PER_MINUTE=3: two comments on A and one on B use it up.
    statuses = [
        commenter.post(
            server.url + "/articles/ops-live/comments/", {"body": random_text(f"Comment {n}")}
        ).status_code
        for n, server in enumerate((a, b, a, b))
    ]
    assert all(status in (302, 303) for status in statuses[:3]), statuses
    assert statuses[3] == 429, "each server counted on its own"
