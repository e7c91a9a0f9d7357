"""Floods: comment, sign-in, sign-up and report limits hold, per account and per IP.

The accounts' own throttle tests (windows expiring, successful sign-in clearing
failures) live in tests/accounts/test_throttling.py.
"""

import pytest
from django.test import RequestFactory

from accounts.models import User
from comments.models import Comment, Report
from newsroom.ratelimit import client_ip
from tests.accounts.factories import PASSWORD, UserFactory
from tests.articles.factories import ArticleFactory
from tests.comments.factories import CommentFactory

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_limits(settings):
    """Small limits, so floods hit them fast (the package conftest opens them wide)."""
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 3
    settings.COMMENTS_RATE_LIMIT_PER_IP_PER_MINUTE = 5
    settings.ACCOUNTS_SIGNUP_MAX_PER_IP = 3
    settings.ACCOUNTS_LOGIN_MAX_FAILURES = 3
    settings.ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP = 6
    settings.TRUSTED_CLIENT_IP_HEADER = ""


# --- Where the client IP comes from -----------------------------------------------------


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_unless_the_setting_trusts_it(settings):
    settings.TRUSTED_CLIENT_IP_HEADER = ""
    assert client_ip(request_from("10.0.0.9", "203.0.113.7")) == "10.0.0.9"


def test_the_trusted_header_names_the_client_behind_the_proxy(settings):
    settings.TRUSTED_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_ip(request_from("10.0.0.9", "203.0.113.7")) == "203.0.113.7"
    # Without the header (a health check from the balancer itself): the socket's address.
    assert client_ip(request_from("10.0.0.9")) == "10.0.0.9"
    assert client_ip(request_from("10.0.0.9", " ")) == "10.0.0.9"


def test_a_forwarded_for_forged_by_the_client_is_not_believed(settings):
    """The proxy appends the address it saw; what the client sent comes first."""
    settings.TRUSTED_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = request_from("10.0.0.9", "1.2.3.4, 6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_a_rotating_forged_forwarded_for_does_not_escape_the_sign_in_limit(client, settings):
    settings.TRUSTED_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    statuses = [
        client.post(
            "/accounts/login/",
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        ).status_code
        for n in range(10)
    ]
    assert statuses[:6] == [200] * 6 and statuses[6:] == [429] * 4


def test_without_the_setting_a_forged_header_cannot_escape_the_sign_up_limit(client):
    statuses = []
    for n in range(5):
        statuses.append(
            client.post(
                "/accounts/signup/",
                {
                    "username": f"flood{n}",
                    "email": f"flood{n}@example.com",
                    "password1": "a long passphrase 1",
                    "password2": "a long passphrase 1",
                },
                REMOTE_ADDR="192.0.2.1",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            ).status_code
        )
        client.logout()
    assert statuses == [302, 302, 302, 429, 429]
    assert User.objects.filter(username__startswith="flood").count() == 3


# --- Sign-in and sign-up -------------------------------------------------------------------


def test_sign_in_guesses_for_one_account_get_a_429_with_a_clear_message(client):
    UserFactory(username="target")
    for _ in range(3):
        wrong = {"username": "target", "password": "wrong"}
        assert client.post("/accounts/login/", wrong).status_code == 200
    # Even the right password is refused now, from any address.
    response = client.post(
        "/accounts/login/", {"username": "target", "password": PASSWORD}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_sign_in_guesses_across_accounts_are_limited_per_ip(client):
    statuses = [
        client.post(
            "/accounts/login/", {"username": f"u{n}", "password": "x"}, REMOTE_ADDR="192.0.2.5"
        ).status_code
        for n in range(8)
    ]
    assert statuses == [200] * 6 + [429] * 2
    other = client.post(
        "/accounts/login/", {"username": "u0", "password": "x"}, REMOTE_ADDR="192.0.2.6"
    )
    assert other.status_code == 200  # another address is not punished


def test_sign_ups_are_limited_per_ip_with_a_clear_message(client):
    for n in range(4):
        response = client.post(
            "/accounts/signup/",
            {
                "username": f"burst{n}",
                "email": f"burst{n}@example.com",
                "password1": "a long passphrase 1",
                "password2": "a long passphrase 1",
            },
        )
        client.logout()
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert User.objects.filter(username__startswith="burst").count() == 3


# --- Comments and reports ----------------------------------------------------------------


def test_comment_floods_get_a_429_per_account_with_the_text_kept():
    story = ArticleFactory()
    url = f"{story.get_absolute_url()}comments/"
    first = signed_in(UserFactory())
    statuses = [first.post(url, {"body": f"Message {n}"}).status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    refused = first.post(url, {"body": "Still typing this"})
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "too fast" in html and "Still typing this" in html
    assert Comment.objects.count() == 3
    # The limit is the account's: someone else on another address still comments.
    second = signed_in(UserFactory())
    assert second.post(url, {"body": "Hello"}, REMOTE_ADDR="192.0.2.77").status_code == 302


def test_comment_floods_from_many_accounts_on_one_ip_get_a_429_per_ip():
    story = ArticleFactory()
    url = f"{story.get_absolute_url()}comments/"
    sock_puppets = [signed_in(UserFactory()) for _ in range(4)]
    statuses = [
        puppet.post(url, {"body": f"Puppet {n} {i}"}, REMOTE_ADDR="192.0.2.50").status_code
        for n, puppet in enumerate(sock_puppets)
        for i in range(2)
    ]
    assert statuses == [302] * 5 + [429] * 3
    assert Comment.objects.count() == 5
    elsewhere = sock_puppets[3].post(url, {"body": "From home"}, REMOTE_ADDR="192.0.2.51")
    assert elsewhere.status_code == 302


def test_report_floods_from_many_accounts_on_one_ip_get_a_429_per_ip():
    story = ArticleFactory()
    comments = [CommentFactory(article=story) for _ in range(7)]
    statuses = []
    for comment in comments:
        reporter = signed_in(UserFactory())
        response = reporter.post(
            f"/comments/{comment.pk}/report/", {"reason": "spam"}, REMOTE_ADDR="192.0.2.60"
        )
        statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429] * 2
    assert "Too many reports" in response.content.decode()
    assert Report.objects.count() == 5


def test_report_floods_get_a_429_per_account(monkeypatch):
    from comments import services
    from newsroom.ratelimit import Limit

    monkeypatch.setattr(services, "REPORT_LIMIT", Limit(3, 60))
    story = ArticleFactory()
    comments = [CommentFactory(article=story) for _ in range(5)]
    reporter = signed_in(UserFactory())
    statuses = [
        reporter.post(f"/comments/{c.pk}/report/", {"reason": "spam"}).status_code for c in comments
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Report.objects.count() == 3
    other = signed_in(UserFactory())
    response = other.post(
        f"/comments/{comments[4].pk}/report/", {"reason": "spam"}, REMOTE_ADDR="192.0.2.70"
    )
    assert response.status_code == 302


def test_password_reset_floods_get_a_429_per_ip(client, settings):
    settings.ACCOUNTS_PASSWORD_RESET_MAX_PER_IP = 2
    statuses = [
        client.post("/accounts/password_reset/", {"email": f"a{n}@example.com"}).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


def test_any_username_makes_a_safe_cache_key(client):
    """Rate-limit keys are hashed: no typed username can make a key memcached refuses."""
    import warnings

    from django.core.cache import CacheKeyWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        for username in ("has space", "ünïcødé\u2028", "x" * 300, "<tag>\n\t"):
            response = client.post("/accounts/login/", {"username": username, "password": "x"})
            assert response.status_code == 200
