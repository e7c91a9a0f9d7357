import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit windows live in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _comment_settings(settings):
    # Tests opt in to pre-moderation and verified e-mail where they test them.
    settings.COMMENTS_PREMODERATE_FIRST = False
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = False
