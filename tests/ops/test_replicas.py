"""The replica router on two real PostgreSQL databases standing in for a primary and its
replica. They are not replicating: each holds a different title for the same story, so
a page shows which database it was read from."""

import time

import pytest

from .conftest import (
    TAG,
    Browser,
    app_env,
    app_servers,
    clone_database,
    drop_database,
    pg_connect,
)
from .test_multi_server import comments_are_routed


@pytest.fixture(scope="module")
def replicated(template_database, redis_db, static_root, tmp_path_factory):
    primary, replica = f"ops_primary_{TAG}", f"ops_replica_{TAG}"
    urls = {name: clone_database(template_database, name) for name in (primary, replica)}
    for name, title in ((primary, "Read from the primary"), (replica, "Read from the replica")):
        with pg_connect(name) as conn:
            conn.execute("UPDATE articles_article SET title = %s WHERE slug = 'ops-live'", [title])
    env = app_env(
        DATABASE_URL=urls[primary],
        DATABASE_REPLICA_URLS=urls[replica],
        READ_YOUR_WRITES_SECONDS="2",
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        CACHE_KEY_PREFIX=f"ops-replica-{TAG}",
        PAGE_CACHE="0",  # show the database each request reads, not a cached page
        STATIC_ROOT=static_root,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    try:
        with app_servers(1, env, prefix="replicated") as (server,):
            yield server, primary, replica
    finally:
        drop_database(primary)
        drop_database(replica)


def _last_login(dbname, username):
    with pg_connect(dbname) as conn:
        row = conn.execute(
            "SELECT last_login FROM accounts_user WHERE username = %s", [username]
        ).fetchone()
    return row[0]


def test_readers_read_from_the_replica(replicated):
    server, _, _ = replicated
    page = Browser().get(server.url + "/articles/ops-live/")
    assert page.status_code == 200
    assert "Read from the replica" in page.text
    assert "Read from the primary" not in page.text


def test_health_checks_the_primary_and_the_replica(replicated):
    server, _, _ = replicated
    checks = Browser().get(server.url + "/healthz").json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["database_replica1"]["status"] == "ok"


def test_writes_go_to_the_primary_and_the_writer_reads_it_back_for_a_short_window(replicated):
    server, primary, replica = replicated
    browser = Browser()
    browser.login(server.url, "ops-other")  # a POST: it writes last_login and the session

    assert _last_login(primary, "ops-other") is not None
    assert _last_login(replica, "ops-other") is None, "a write went to the replica"

    # Right after writing, this reader reads from the primary...
    assert "Read from the primary" in browser.get(server.url + "/articles/ops-live/").text
    # ...while everyone else still reads from the replica.
    assert "Read from the replica" in Browser().get(server.url + "/articles/ops-live/").text
    # READ_YOUR_WRITES_SECONDS=2 later, the writer is back on the replica.
    time.sleep(2.2)
    assert "Read from the replica" in browser.get(server.url + "/articles/ops-live/").text


def test_a_new_comment_is_on_the_redirected_page_though_only_the_primary_has_it(replicated):
    if not comments_are_routed():
        pytest.skip("comments are not built yet: no POST /articles/<slug>/comments/")
    server, primary, replica = replicated
    browser = Browser()
    browser.login(server.url, "ops-reader")
    text = f"Read your own writes {TAG}"
    response = browser.post(server.url + "/articles/ops-live/comments/", {"body": text})
    assert response.status_code in (302, 303), response.text[:500]
    location = response.headers["Location"]
    if location.startswith("/"):
        location = server.url + location
    assert text in browser.get(location).text

    def count(dbname):
        with pg_connect(dbname) as conn:
            query = "SELECT count(*) FROM comments_comment WHERE body = %s"
            return conn.execute(query, [text]).fetchone()[0]

    assert (count(primary), count(replica)) == (1, 0)
