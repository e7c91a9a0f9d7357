"""Each accounts flow end to end with the test client."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.helpers import last_link

pytestmark = pytest.mark.django_db
User = get_user_model()

NEW_PASSWORD = "purple monkey dishwasher 42"
NEWER_PASSWORD = "seventeen quiet lanterns"


def signup(client, **overrides):
    data = {
        "username": "alice",
        "email": "alice@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_a_reader_signs_up_verifies_signs_in_changes_and_resets_the_password_then_leaves(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(username="alice")
    assert not user.email_verified
    # Signed in straight after sign-up.
    assert client.get("/accounts/profile/").status_code == 200

    # Verify the address from the e-mailed link.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    response = client.get(last_link("/accounts/verify/"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified

    # Sign out (POST), then in again with the e-mail address in another case.
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 302
    response = client.post(
        "/accounts/login/", {"username": "ALICE@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200

    # Change the password.
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.post("/accounts/logout/")

    # Forget it and reset it.
    mail.outbox.clear()
    response = client.post("/accounts/password_reset/", {"email": "Alice@Example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    response = client.get(last_link("/accounts/reset/"), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEWER_PASSWORD, "new_password2": NEWER_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/done/"
    assert client.login(username="alice", password=NEWER_PASSWORD)

    # Delete the account, re-entering the password.
    response = client.post("/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 400
    assert User.objects.filter(username="alice").exists()
    response = client.post("/accounts/delete/", {"password": NEWER_PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert client.get("/accounts/profile/").status_code == 302


def test_signup_pages_render_with_crispy_fields(client):
    response = client.get("/accounts/signup/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in html
    assert 'id="div_id_username"' in html  # crispy-bootstrap5's field wrapper


def test_signup_errors_sit_beside_fields_and_keep_input_but_never_passwords(client):
    response = signup(client, email="not-an-email", password2="something else entirely")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="alice"' in html
    assert 'value="not-an-email"' in html
    assert PASSWORD not in html
    assert "is-invalid" in html
    assert not User.objects.filter(username="alice").exists()


def test_signup_refuses_a_weak_password_with_django_validators(client):
    response = signup(client, password1="password", password2="password")
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["Alice", "ALICE", "alice"])
def test_signup_refuses_a_username_that_differs_only_in_case(client, username):
    UserFactory(username="alice")
    response = signup(client, username=username, email="other@example.com")
    assert "That username is taken" in response.content.decode()
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_signup_refuses_an_email_that_differs_only_in_case(client):
    UserFactory(username="bob", email="shared@example.com")
    response = signup(client, email="SHARED@Example.COM")
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert not User.objects.filter(username="alice").exists()


def test_database_refuses_case_duplicates_even_without_the_form():
    from django.db import IntegrityError, transaction

    UserFactory(username="carol", email="carol@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="CAROL", email="c2@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="carol2", email="Carol@Example.com")
    # Accounts made without an e-mail (staff in the admin) do not clash with each other.
    User.objects.create(username="staff1", email="")
    User.objects.create(username="staff2", email="")


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "http://evil.example.com/accounts/",
        "javascript:alert(1)",
        "/\\evil.example.com",
    ],
)
def test_signup_ignores_an_off_site_next(client, next_url):
    response = client.post(
        "/accounts/signup/?next=" + next_url,
        {
            "username": "alice",
            "email": "alice@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": next_url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com"]
)
def test_login_ignores_an_off_site_next(client, next_url):
    UserFactory(username="dave")
    response = client.post(
        "/accounts/login/", {"username": "dave", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signup_and_login_return_to_the_page_they_came_from(client):
    response = signup(client, next="/articles/some-story/")
    assert response["Location"] == "/articles/some-story/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "next": "/articles/some-story/#comments"},
    )
    assert response["Location"] == "/articles/some-story/#comments"


def test_login_accepts_the_username_in_any_case(client):
    UserFactory(username="erin")
    response = client.post("/accounts/login/", {"username": "ERIN", "password": PASSWORD})
    assert response.status_code == 302


def test_a_failed_login_says_so_and_keeps_the_username_not_the_password(client):
    UserFactory(username="frank")
    response = client.post("/accounts/login/", {"username": "frank", "password": "nope-nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "do not match an account" in html
    assert 'value="frank"' in html
    assert "nope-nope" not in html


def test_logout_by_get_is_refused(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert client.get("/accounts/profile/").status_code == 200


def test_password_reset_never_reveals_whether_an_email_is_registered(client):
    UserFactory(username="gina", email="gina@example.com")
    known = client.post("/accounts/password_reset/", {"email": "gina@example.com"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    done = client.get(known["Location"])
    assert "If an account uses that address" in done.content.decode()


def test_a_used_password_reset_link_no_longer_works(client):
    UserFactory(username="hank", email="hank@example.com")
    client.post("/accounts/password_reset/", {"email": "hank@example.com"})
    link = last_link("/accounts/reset/")
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = client.get(link, follow=True)
    assert not response.context["validlink"]
    assert "This link no longer works" in response.content.decode()


def test_header_shows_sign_in_and_sign_up_with_next_for_anonymous_readers(client):
    html = client.get("/search/?q=bridge").content.decode()
    assert 'href="/accounts/login/?next=/search/%3Fq%3Dbridge"' in html
    assert 'href="/accounts/signup/?next=/search/%3Fq%3Dbridge"' in html


def test_account_pages_do_not_send_readers_back_to_themselves(client):
    html = client.get("/accounts/password_reset/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert "next=/accounts/" not in html


def test_header_shows_who_is_signed_in_with_initials_and_a_sign_out_button(client):
    client.force_login(UserFactory(username="ivy", display_name="Ivy Quinn"))
    html = client.get("/accounts/profile/").content.decode()
    assert "Ivy Quinn" in html
    assert '<span class="avatar avatar-initials avatar-sm" aria-hidden="true">IQ</span>' in html
    assert 'action="/accounts/logout/"' in html


def test_a_reader_cannot_reach_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_in_the_editors_group_still_reach_the_admin(client):
    from tests.accounts.factories import EditorFactory

    editor = EditorFactory()
    response = client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_authenticated_visit_to_signup_goes_to_the_profile(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/signup/")
    assert response["Location"] == "/accounts/profile/"
