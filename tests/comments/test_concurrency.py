"""Twenty readers reply to one thread at once, each clicking twice: every reply saved once."""

import http.client
import re
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client

from comments.models import Comment
from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.comments.factories import CommentFactory

POSTERS = 20
# Forty connections arrive at once; the live server's listen backlog (10) would reset some
# before Django saw them. Set at import, before pytest-django starts the live server.
ThreadedWSGIServer.request_queue_size = max(ThreadedWSGIServer.request_queue_size, 128)
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _request(host, port, method, path, cookies, body=None):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read().decode()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";")[0]
    conn.close()
    return response.status, content


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posters_on_one_thread_are_each_saved_exactly_once(live_server, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer anyway")
    # Forty posts from one address in a second: not a flood here, twenty readers.
    settings.COMMENTS_RATE_LIMIT_PER_IP_PER_MINUTE = 1000
    story = ArticleFactory()
    root = CommentFactory(article=story)
    url = urlsplit(live_server.url)
    path = story.get_absolute_url()
    posters = []
    for _ in range(POSTERS):
        client = Client()
        client.force_login(UserFactory())
        posters.append(
            {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    barrier = threading.Barrier(POSTERS * 2)
    results, errors = [], []

    def post(index, cookies):
        phase = "get"
        try:
            jar = dict(cookies)
            status, page = _request(url.hostname, url.port, "GET", path, jar)
            assert status == 200, status
            token = TOKEN_RE.search(page).group(1)  # the CSRF cookie came with the page
            body = urlencode(
                {"csrfmiddlewaretoken": token, "body": f"Reply {index}", "parent": root.pk}
            )
            phase = "wait"
            barrier.wait(timeout=30)  # everybody clicks at once, each poster twice
            phase = "post"
            status, _ = _request(url.hostname, url.port, "POST", f"{path}comments/", jar, body)
            results.append(status)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(f"{index} {phase}: {error!r}")
            barrier.abort()

    threads = [
        threading.Thread(target=post, args=(index, cookies))
        for index, cookies in enumerate(posters)
        for _click in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert results.count(302) == POSTERS * 2
    replies = Comment.objects.filter(parent=root)
    assert replies.count() == POSTERS
    assert sorted(replies.values_list("body", flat=True)) == sorted(
        f"Reply {index}" for index in range(POSTERS)
    )
    assert set(replies.values_list("thread_id", flat=True)) == {root.pk}
    assert len(set(replies.values_list("path", flat=True))) == POSTERS
    page = Client().get(story.get_absolute_url()).content.decode()
    assert f"{POSTERS + 1} comments" in page
