"""E-mail verification links and who may comment."""

import time
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from accounts.verification import verification_path
from comments.rules import may_comment as can_comment
from tests.accounts.factories import UserFactory
from tests.accounts.helpers import last_link

pytestmark = pytest.mark.django_db


def test_a_verification_link_works_once(client):
    user = UserFactory(email="v@example.com")
    path = verification_path(user)
    assert client.get(path).status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    response = client.get(path)
    assert response.status_code == 400
    assert "no longer works" in response.content.decode()


def test_a_verification_link_expires(client, settings):
    settings.ACCOUNTS_VERIFICATION_MAX_AGE = 60
    user = UserFactory()
    path = verification_path(user)
    later = time.time() + 120
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(path)
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_a_verification_link_dies_when_the_email_changes(client):
    user = UserFactory(email="old@example.com")
    path = verification_path(user)
    user.email = "new@example.com"
    user.save()
    assert client.get(path).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


@pytest.mark.parametrize("path", ["/accounts/verify/Mg/forged/", "/accounts/verify/!!/x:y:z/"])
def test_a_forged_verification_link_is_a_400(client, path):
    UserFactory()
    assert client.get(path).status_code == 400


def test_a_reader_can_ask_for_a_new_link(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/verify/resend/")
    assert response.status_code == 302
    assert mail.outbox[-1].to == [user.email]
    client.get(last_link("/accounts/verify/"))
    user.refresh_from_db()
    assert user.email_verified


def test_resending_links_is_throttled(client, settings):
    settings.ACCOUNTS_PASSWORD_RESET_MAX_PER_IP = 2
    client.force_login(UserFactory())
    assert client.post("/accounts/verify/resend/").status_code == 302
    assert client.post("/accounts/verify/resend/").status_code == 302
    response = client.post("/accounts/verify/resend/")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert len(mail.outbox) == 2


def test_resend_is_post_only(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/verify/resend/").status_code == 405


def test_anonymous_readers_may_not_comment(settings):
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = False
    assert not can_comment(AnonymousUser())
    assert not can_comment(None)


def test_unverified_readers_may_comment_only_when_the_setting_allows(settings):
    user = UserFactory(email_verified=False)
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = True
    assert not can_comment(user)
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = False
    assert can_comment(user)


def test_verified_readers_may_comment_and_inactive_ones_may_not(settings):
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = True
    user = UserFactory(email_verified=True)
    assert can_comment(user)
    user.is_active = False
    assert not can_comment(user)
