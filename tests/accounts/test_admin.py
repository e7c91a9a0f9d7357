import pytest
from django.contrib.auth import get_user_model

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(client):
    boss = User.objects.create_superuser("boss", "boss@example.com", "x-admin-password-1")
    client.force_login(boss)
    return client


def test_admin_refuses_an_email_taken_in_another_case_with_a_message(admin_client):
    UserFactory(username="one", email="one@example.com")
    two = UserFactory(username="two", email="two@example.com")
    page = admin_client.get(f"/admin/accounts/user/{two.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "email": "ONE@example.com",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "groups": [],
            "user_permissions": [],
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("avatar", None)
    response = admin_client.post(f"/admin/accounts/user/{two.pk}/change/", data)
    assert response.status_code == 200
    assert "An account with this e-mail address already exists." in response.content.decode()


def test_admin_refuses_a_new_username_that_differs_only_in_case(admin_client):
    UserFactory(username="taken")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "TAKEN",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert User.objects.filter(username__iexact="taken").count() == 1


def test_an_avatar_uploaded_in_the_admin_gets_square_renditions(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.accounts.test_profile import image_bytes

    user = UserFactory(username="pictured")
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    for key in ("date_joined", "last_login", "avatar"):
        data.pop(key, None)
    data.update(
        {
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "groups": [],
            "user_permissions": [],
            "avatar": SimpleUploadedFile("face.jpg", image_bytes()),
        }
    )
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert set(user.avatar_renditions) == {"64", "128", "256"}
