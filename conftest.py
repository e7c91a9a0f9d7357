"""Test-wide settings overrides and shared fixtures."""

import time

import pytest
from django.core.cache import cache

from newsroom import ratelimit
from newsroom.pagecache import local_pages


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests see each view's own work; tests/test_page_cache.py turns the cache on.
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, page versions and cached pages never leak between tests."""
    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()


@pytest.fixture(autouse=True)
def _rate_limit_windows_start_with_the_test(monkeypatch):
    """Fixed windows: a test must not straddle a window's edge (they divide an hour)."""
    started = time.time()
    aligned = started // 3600 * 3600 + 1
    monkeypatch.setattr(ratelimit, "now", lambda: aligned + (time.time() - started))
