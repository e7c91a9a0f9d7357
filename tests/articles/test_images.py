import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from newsroom.images import CleanImageFormField
from tests.articles.factories import ArticleFactory


def jpeg_bytes(size=(800, 600), exif=None):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif is not None:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png_bomb_bytes(width=30_000, height=30_000):
    """A tiny file that claims a huge canvas: 900 megapixels in a few kB."""
    image = Image.new("1", (width, height))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_text_file_named_jpg_is_refused_with_a_clear_message():
    field = CleanImageFormField()
    with pytest.raises(Exception) as error:
        field.clean(SimpleUploadedFile("photo.jpg", b"not an image at all", "image/jpeg"))
    assert "not an image" in str(error.value)


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 20_000_000
    field = CleanImageFormField()
    with pytest.raises(Exception) as error:
        field.clean(SimpleUploadedFile("bomb.png", png_bomb_bytes(), "image/png"))
    assert "too large" in str(error.value)
    assert "megapixels" in str(error.value)


def test_exif_location_is_stripped_from_uploads():
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    exif[0x010F] = "Camera maker"
    raw = jpeg_bytes(exif=exif.tobytes())
    assert Image.open(io.BytesIO(raw)).getexif()  # the original carries it

    cleaned = CleanImageFormField().clean(SimpleUploadedFile("p.jpg", raw, "image/jpeg"))
    cleaned.seek(0)
    assert not Image.open(cleaned).getexif()


@pytest.mark.django_db
def test_hero_image_gets_webp_and_jpeg_renditions_no_wider_than_the_original():
    upload = CleanImageFormField().clean(
        SimpleUploadedFile("hero.jpg", jpeg_bytes((1200, 675)), "image/jpeg")
    )
    story = ArticleFactory(hero_image=upload, hero_alt="A red square")
    story.refresh_from_db()

    widths = [size["width"] for size in story.hero_sizes]
    assert widths == [480, 960, 1200]
    assert story.hero_width == 1200
    assert story.hero_sizes[0]["height"] == 270
    assert story.hero_srcset_webp.count(".webp") == 3
    assert ".jpg 480w" in story.hero_srcset_fallback


@pytest.mark.django_db
def test_article_page_serves_responsive_hero_markup(client):
    upload = CleanImageFormField().clean(
        SimpleUploadedFile("hero.jpg", jpeg_bytes((1000, 500)), "image/jpeg")
    )
    story = ArticleFactory(hero_image=upload, hero_alt="A red square", hero_credit="Staff")
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'type="image/webp"' in html
    assert "srcset=" in html and "sizes=" in html
    assert 'width="1000"' in html and 'height="500"' in html
    assert 'alt="A red square"' in html
    assert Article.objects.get().hero_renditions["source"] == story.hero_image.name
