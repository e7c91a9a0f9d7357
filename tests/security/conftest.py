import io

import pytest
from django.test import Client
from PIL import Image

from tests.accounts.factories import EditorFactory, UserFactory, WriterFactory


@pytest.fixture(autouse=True)
def _open_doors(settings):
    """Attacks must reach the code that renders them: no moderation queue, no slow limits."""
    settings.COMMENTS_PREMODERATE_FIRST = False
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = False
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 100_000
    settings.COMMENTS_RATE_LIMIT_PER_IP_PER_MINUTE = 100_000
    settings.COMMENTS_THREADS_PER_PAGE = 1_000
    settings.COMMENTS_REPORT_THRESHOLD = 100_000
    settings.ACCOUNTS_SIGNUP_MAX_PER_IP = 100_000
    settings.ACCOUNTS_LOGIN_MAX_FAILURES = 100_000
    settings.ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP = 100_000


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor_client(db):
    return signed_in(EditorFactory())


@pytest.fixture
def writer_client(db):
    return signed_in(WriterFactory())


@pytest.fixture
def reader_client(db):
    return signed_in(UserFactory())


def png_bytes(size=(40, 30), mode="RGB"):
    image = Image.new(mode, size, (20, 120, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
