"""Uploads and renditions in S3-compatible object storage: moto's S3 server on loopback
stands in for AWS S3, MinIO or R2; files are read back over HTTP from their URLs."""

import contextlib
import re
import subprocess
import sys
import time

import pytest
import requests
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from newsroom.images import CleanImageFormField
from newsroom.storage import s3_storage_from_env
from tests.articles.factories import ArticleFactory
from tests.articles.test_images import jpeg_bytes

from .conftest import REPO, free_port

BUCKET = "ops-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(requests.RequestException):
                requests.get(endpoint, timeout=1)
                break
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def _env(endpoint, **extra):
    return {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "ops-key",
        "AWS_SECRET_ACCESS_KEY": "ops-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
        # Readers fetch images anonymously (or a CDN does, with a bucket policy instead).
        "AWS_DEFAULT_ACL": "public-read",
        **extra,
    }


@pytest.fixture
def s3_storage(s3_endpoint, settings):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="ops-key",
        aws_secret_access_key="ops-secret",
        region_name="us-east-1",
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)

    def configure(**extra):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage_from_env(_env(s3_endpoint, **extra)),
        }
        return client

    return configure


def _upload(name="hero.jpg", size=(1200, 675)):
    return CleanImageFormField().clean(SimpleUploadedFile(name, jpeg_bytes(size), "image/jpeg"))


def test_without_a_bucket_uploads_stay_on_local_disk():
    assert s3_storage_from_env({}) is None


@pytest.mark.django_db
def test_hero_image_and_renditions_are_stored_in_the_bucket_and_served_from_it(
    s3_storage, s3_endpoint, client
):
    s3 = s3_storage()
    story = ArticleFactory(hero_image=_upload(), hero_alt="A red square", slug="s3-story")

    keys = {obj["Key"] for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert story.hero_image.name in keys
    renditions = [size[key] for size in story.hero_sizes for key in ("webp", "fallback")]
    assert len(renditions) == 6 and set(renditions) <= keys

    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    urls = set(re.findall(re.escape(s3_endpoint) + r"/[^\s\"',]+", page.content.decode()))
    assert urls, "the page does not point at object storage"
    assert len(urls) >= 6, urls  # the hero and its renditions, WebP and JPEG
    for url in urls:
        response = requests.get(url, timeout=5)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"].startswith("image/")
        assert "Signature" not in url, "plain public URLs, not expiring signed ones"


@pytest.mark.django_db
def test_a_custom_domain_serves_the_files_and_same_names_do_not_overwrite(s3_storage, s3_endpoint):
    host = s3_endpoint.removeprefix("http://")
    s3_storage(AWS_S3_CUSTOM_DOMAIN=f"{host}/{BUCKET}", AWS_S3_URL_PROTOCOL="http:")
    first = ArticleFactory(hero_image=_upload("same.jpg", (600, 400)), hero_alt="One")
    second = ArticleFactory(hero_image=_upload("same.jpg", (500, 300)), hero_alt="Two")
    assert first.hero_image.name != second.hero_image.name

    url = default_storage.url(first.hero_sizes[0]["webp"])
    assert url.startswith(f"http://{host}/{BUCKET}/renditions/")
    assert requests.get(url, timeout=5).headers["Content-Type"] == "image/webp"
    assert Article.objects.get(pk=second.pk).hero_width == 500
