"""Hostile uploads through the profile's avatar and the admin's hero image.

Every one is refused with a form error (never a 500) and nothing is saved: no
row, no file in MEDIA_ROOT. Real images with something appended are re-encoded,
so what is stored is pixels only.
"""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from articles.models import Article
from tests.accounts.factories import UserFactory
from tests.articles.factories import CategoryFactory

from .conftest import png_bytes, signed_in

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"


def gif_bytes():
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, "GIF")
    return out.getvalue()


def bmp_bytes():
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "BMP")
    return out.getvalue()


def noise_png(side=400):
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def png_bomb(side=30_000):
    """A few kB claiming 900 megapixels."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(1)</script></svg>"
)

HOSTILE = {
    "text named .jpg": ("photo.jpg", b"just some text, not a picture", "image/jpeg"),
    "html named .jpg": ("photo.jpg", b"<html><body>" + SCRIPT + b"</body></html>", "image/jpeg"),
    "svg with script": ("logo.svg", SVG, "image/svg+xml"),
    "svg named .png": ("logo.png", SVG, "image/png"),
    "gif header then html": ("x.gif", b"GIF89a/*" + SCRIPT + b"*/=1;", "image/gif"),
    "jpeg magic then html": ("x.jpg", b"\xff\xd8\xff\xe0" + SCRIPT, "image/jpeg"),
    "truncated png": ("cut.png", png_bytes()[:60], "image/png"),
    "bmp (not accepted)": ("pic.bmp", bmp_bytes(), "image/bmp"),
    "pdf named .png": ("doc.png", b"%PDF-1.4\n" + SCRIPT, "image/png"),
    "executable named .jpg": ("run.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg"),
    "decompression bomb": ("bomb.png", png_bomb(), "image/png"),
}


def media_files(settings):
    root = str(settings.MEDIA_ROOT)
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def post_avatar(client, user, upload):
    return client.post(
        "/accounts/profile/",
        {"display_name": "Uploader", "bio": "", "email": user.email, "avatar": upload},
    )


def post_hero(client, category, upload, slug="hero-story"):
    return client.post(
        "/admin/articles/article/add/",
        {
            "title": "With a hero",
            "slug": slug,
            "dek": "",
            "body": "<p>Body</p>",
            "status": "draft",
            "category": category.pk,
            "hero_image": upload,
            "hero_alt": "A picture",
            "hero_caption": "",
            "hero_credit": "",
            "source_name": "",
            "source_url": "",
            "comments_enabled": "on",
        },
    )


def assert_refused_with_an_error(response, words=""):
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert "errorlist" in html or "invalid-feedback" in html
    if words:
        assert words in html


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_avatars_are_refused_with_a_form_error(case, settings):
    name, content, kind = HOSTILE[case]
    user = UserFactory()
    response = post_avatar(signed_in(user), user, SimpleUploadedFile(name, content, kind))
    assert_refused_with_an_error(response)
    user = User.objects.get(pk=user.pk)
    assert not user.avatar and user.display_name != "Uploader"
    assert media_files(settings) == []


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_hero_images_are_refused_with_a_form_error(case, settings, writer_client):
    name, content, kind = HOSTILE[case]
    response = post_hero(writer_client, CategoryFactory(), SimpleUploadedFile(name, content, kind))
    assert_refused_with_an_error(response)
    assert not Article.objects.exists()
    assert media_files(settings) == []


def test_oversized_uploads_are_refused_by_size_through_both_forms(settings, writer_client):
    settings.IMAGE_MAX_UPLOAD_BYTES = 50_000
    big = noise_png()
    assert len(big) > settings.IMAGE_MAX_UPLOAD_BYTES
    user = UserFactory()
    response = post_avatar(signed_in(user), user, SimpleUploadedFile("big.png", big, "image/png"))
    assert_refused_with_an_error(response, "the limit is")
    assert not User.objects.get(pk=user.pk).avatar
    response = post_hero(
        writer_client, CategoryFactory(), SimpleUploadedFile("big.png", big, "image/png")
    )
    assert_refused_with_an_error(response, "the limit is")
    assert not Article.objects.exists()
    assert media_files(settings) == []


def test_the_size_limit_is_checked_before_the_file_is_read(settings, monkeypatch):
    """A huge upload is refused from its declared size, without loading it into memory."""
    from newsroom import images

    settings.IMAGE_MAX_UPLOAD_BYTES = 1_000
    reads = []
    monkeypatch.setattr(images, "open_checked_image", lambda data: reads.append(data))
    upload = SimpleUploadedFile("huge.png", png_bytes() + b"\x00" * 5_000, "image/png")
    with pytest.raises(Exception, match="limit"):
        images.CleanImageFormField().clean(upload)
    assert reads == []


def test_a_decompression_bomb_error_names_the_pixel_limit(settings):
    user = UserFactory()
    upload = SimpleUploadedFile("bomb.png", png_bomb(), "image/png")
    response = post_avatar(signed_in(user), user, upload)
    assert_refused_with_an_error(response, "megapixels")


@pytest.mark.parametrize("trailer", [SCRIPT, b"<?php system($_GET['c']); ?>", b"PK\x03\x04zip"])
def test_a_real_image_with_a_payload_appended_is_stored_as_pixels_only(trailer, settings):
    """A GIF/HTML polyglot that is a valid GIF: re-encoded, so the payload is gone."""
    user = UserFactory()
    upload = SimpleUploadedFile("../../../poly.gif.html", gif_bytes() + trailer, "text/html")
    response = post_avatar(signed_in(user), user, upload)
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.avatar.name.startswith("avatars/") and ".." not in user.avatar.name
    assert os.path.splitext(user.avatar.name)[1] == ".gif"
    for path in media_files(settings):
        with open(path, "rb") as stored:
            assert trailer not in stored.read(), path


def test_a_png_named_jpg_is_stored_under_its_real_type(writer_client, settings):
    response = post_hero(
        writer_client, CategoryFactory(), SimpleUploadedFile("photo.jpg", png_bytes(), "image/jpeg")
    )
    assert response.status_code == 302
    assert Article.objects.get().hero_image.name.endswith(".png")
