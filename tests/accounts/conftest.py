import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the (locmem) cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()
