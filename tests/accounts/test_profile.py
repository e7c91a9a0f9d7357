"""The profile page: name, bio, e-mail, avatar, reply notifications; deleting the account."""

import io
import struct
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.helpers import last_link

pytestmark = pytest.mark.django_db
User = get_user_model()


def image_bytes(size=(600, 400), fmt="JPEG", exif=None):
    image = Image.new("RGB", size, (30, 90, 200))
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def forged_png_bomb(width=100_000, height=100_000):
    """A valid 1×1 PNG whose header claims a gigantic canvas (CRC fixed up)."""
    data = bytearray(image_bytes((1, 1), "PNG"))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def profile_data(user, **overrides):
    return {
        "display_name": user.display_name,
        "bio": user.bio,
        "email": user.email,
        "notify_on_reply": "on" if user.notify_on_reply else "",
        **overrides,
    }


@pytest.fixture
def reader(client):
    user = UserFactory(username="reader1", display_name="Rita Reader", email_verified=True)
    client.force_login(user)
    return user


def test_profile_form_has_the_contract_fields(client, reader):
    html = client.get("/accounts/profile/").content.decode()
    for name in ("display_name", "bio", "email", "avatar", "notify_on_reply"):
        assert f'name="{name}"' in html
    assert 'enctype="multipart/form-data"' in html


def test_profile_saves_name_bio_and_reply_notifications(client, reader):
    response = client.post(
        "/accounts/profile/",
        profile_data(reader, display_name="Rita R.", bio="Reads everything.", notify_on_reply=""),
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert (reader.display_name, reader.bio, reader.notify_on_reply) == (
        "Rita R.",
        "Reads everything.",
        False,
    )
    assert reader.email_verified  # the address did not change


def test_changing_the_email_needs_a_new_verification(client, reader):
    client.post("/accounts/profile/", profile_data(reader, email="rita@news.example"))
    reader.refresh_from_db()
    assert reader.email == "rita@news.example"
    assert not reader.email_verified
    assert mail.outbox[-1].to == ["rita@news.example"]
    client.get(last_link("/accounts/verify/"))
    reader.refresh_from_db()
    assert reader.email_verified


def test_profile_refuses_an_email_taken_in_another_case_and_keeps_the_input(client, reader):
    UserFactory(username="other", email="taken@example.com")
    response = client.post(
        "/accounts/profile/",
        profile_data(reader, email="TAKEN@example.com", bio="My unsaved bio"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "An account with this e-mail address already exists." in html
    assert "My unsaved bio" in html
    reader.refresh_from_db()
    assert reader.email == "reader1@example.com"


def test_a_rejected_profile_edit_does_not_show_in_the_header(client, reader):
    response = client.post(
        "/accounts/profile/", profile_data(reader, display_name="Unsaved Name", email="bad")
    )
    assert response.status_code == 400
    assert response.context["user"].public_name == "Rita Reader"


def test_avatar_upload_is_square_cropped_into_small_renditions_without_exif(client, reader):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    upload = SimpleUploadedFile("me.jpg", image_bytes((600, 400), exif=exif), "image/jpeg")
    response = client.post("/accounts/profile/", profile_data(reader, avatar=upload))
    assert response.status_code == 302
    reader.refresh_from_db()
    assert set(reader.avatar_renditions) == {"64", "128", "256"}
    for size, name in reader.avatar_renditions.items():
        with default_storage.open(name) as fh:
            image = Image.open(fh)
            assert image.size == (int(size), int(size))
    with reader.avatar.open("rb") as fh:
        assert not Image.open(fh).getexif()
    assert reader.avatar_url.endswith("-128.webp")
    html = client.get("/accounts/profile/").content.decode()
    assert f'src="{reader.avatar_url}"' in html


def test_replacing_and_clearing_the_avatar_removes_old_files(client, reader):
    client.post(
        "/accounts/profile/",
        profile_data(reader, avatar=SimpleUploadedFile("a.png", image_bytes(fmt="PNG"))),
    )
    reader.refresh_from_db()
    first = [reader.avatar.name, *reader.avatar_renditions.values()]
    client.post(
        "/accounts/profile/",
        profile_data(reader, avatar=SimpleUploadedFile("b.jpg", image_bytes())),
    )
    reader.refresh_from_db()
    assert not any(default_storage.exists(name) for name in first)
    second = [reader.avatar.name, *reader.avatar_renditions.values()]
    client.post("/accounts/profile/", profile_data(reader, **{"avatar-clear": "on"}))
    reader.refresh_from_db()
    assert not reader.avatar
    assert reader.avatar_url == ""
    assert not any(default_storage.exists(name) for name in second)


def test_a_text_file_posing_as_an_avatar_is_refused_with_a_message(client, reader):
    fake = SimpleUploadedFile("me.jpg", b"definitely not a picture", "image/jpeg")
    response = client.post("/accounts/profile/", profile_data(reader, avatar=fake, bio="kept"))
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()
    reader.refresh_from_db()
    assert not reader.avatar


def test_an_avatar_decompression_bomb_is_refused(client, reader):
    bomb = SimpleUploadedFile("bomb.png", forged_png_bomb(), "image/png")
    response = client.post("/accounts/profile/", profile_data(reader, avatar=bomb))
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    reader.refresh_from_db()
    assert not reader.avatar


def test_an_avatar_over_the_pixel_limit_is_refused(client, reader, settings):
    settings.IMAGE_MAX_PIXELS = 100_000
    big = SimpleUploadedFile("big.png", image_bytes((400, 400), "PNG"), "image/png")
    response = client.post("/accounts/profile/", profile_data(reader, avatar=big))
    assert response.status_code == 400
    assert "megapixels" in response.content.decode()


def test_profile_needs_a_signed_in_reader(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_an_author_of_articles_is_told_to_ask_an_editor_instead_of_deleting(client):
    from tests.articles.factories import ArticleFactory

    story = ArticleFactory()
    client.force_login(story.author)
    page = client.get("/accounts/delete/")
    assert "ask an editor" in page.content.decode()
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 409
    assert User.objects.filter(pk=story.author.pk).exists()


def test_deleting_the_account_removes_the_avatar_files(client, reader):
    client.post(
        "/accounts/profile/",
        profile_data(reader, avatar=SimpleUploadedFile("a.jpg", image_bytes())),
    )
    reader.refresh_from_db()
    files = [reader.avatar.name, *reader.avatar_renditions.values()]
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()
    assert not any(default_storage.exists(name) for name in files)


def test_deleting_the_account_keeps_their_comments_without_an_author(client, settings):
    from comments.models import Comment
    from comments.services import post_comment
    from tests.articles.factories import ArticleFactory

    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = False
    story = ArticleFactory()
    leaver = UserFactory(username="leaver")
    comment = post_comment(article=story, author=leaver, body="I was here.")
    client.force_login(leaver)
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.author is None
    assert comment.body == "I was here."
