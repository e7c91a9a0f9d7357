"""Sign-in, sign-up and password-reset throttles: N allowed, the next refused with a 429."""

import time
from unittest import mock

import pytest
from django.core import mail

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.ACCOUNTS_LOGIN_MAX_FAILURES = 3
    settings.ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP = 5
    settings.ACCOUNTS_LOGIN_WINDOW_SECONDS = 600
    settings.ACCOUNTS_SIGNUP_MAX_PER_IP = 2
    settings.ACCOUNTS_SIGNUP_WINDOW_SECONDS = 600
    settings.ACCOUNTS_PASSWORD_RESET_MAX_PER_IP = 2
    settings.ACCOUNTS_PASSWORD_RESET_WINDOW_SECONDS = 600
    return settings


def later(seconds):
    """Move newsroom.ratelimit's clock forward."""
    return mock.patch("newsroom.ratelimit.time.time", return_value=time.time() + seconds)


WRONG = "wrong password"


def login(client, username, password=WRONG, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_sign_in_is_refused_for_a_username_after_too_many_failures(client, limits):
    UserFactory(username="target")
    for _ in range(3):
        assert login(client, "target").status_code == 200
    # The 4th attempt is refused even with the right password, without checking it.
    response = login(client, "TARGET", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Too many attempts" in html
    assert 'value="TARGET"' in html
    assert PASSWORD not in html
    # Another IP is refused too: the limit follows the username.
    assert login(client, "target", PASSWORD, ip="10.9.9.9").status_code == 429


def test_sign_in_is_allowed_again_after_the_window(client, limits):
    UserFactory(username="target")
    for _ in range(3):
        login(client, "target")
    assert login(client, "target", PASSWORD).status_code == 429
    with later(601):
        assert login(client, "target", PASSWORD).status_code == 302


def test_sign_in_is_refused_for_an_ip_guessing_many_usernames(client, limits):
    for n in range(5):
        assert login(client, f"guess{n}").status_code == 200
    UserFactory(username="victim")
    assert login(client, "victim", PASSWORD).status_code == 429
    assert login(client, "victim", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_successful_sign_in_clears_the_username_failures(client, limits):
    UserFactory(username="forgetful")
    login(client, "forgetful")
    login(client, "forgetful")
    assert login(client, "forgetful", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    login(client, "forgetful")
    login(client, "forgetful")
    assert login(client, "forgetful", PASSWORD).status_code == 302


def signup(client, n, ip="10.0.0.1"):
    return client.post(
        "/accounts/signup/",
        {
            "username": f"new{n}",
            "email": f"new{n}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR=ip,
    )


def test_sign_up_is_throttled_per_ip_then_allowed_after_the_window(client, limits):
    assert signup(client, 1).status_code == 302
    client.post("/accounts/logout/")
    assert signup(client, 2).status_code == 302
    client.post("/accounts/logout/")
    response = signup(client, 3)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html
    assert 'value="new3"' in html
    assert PASSWORD not in html
    assert signup(client, 4, ip="10.0.0.2").status_code == 302
    client.post("/accounts/logout/")
    with later(601):
        assert signup(client, 5).status_code == 302


def test_password_reset_requests_are_throttled_per_ip(client, limits):
    UserFactory(username="pat", email="pat@example.com")
    for _ in range(2):
        response = client.post("/accounts/password_reset/", {"email": "pat@example.com"})
        assert response.status_code == 302
    response = client.post("/accounts/password_reset/", {"email": "pat@example.com"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert len(mail.outbox) == 2
    with later(601):
        assert (
            client.post("/accounts/password_reset/", {"email": "pat@example.com"}).status_code
            == 302
        )
