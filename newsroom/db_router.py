"""Primary/replica routing with read-your-own-writes.

With DATABASE_REPLICA_URLS set, reads go to a replica and writes to the
primary ("default"). A replica lags the primary a little, so a reader who has
just written (posted a comment, signed in, saved an article) would not see
their own write on the redirect. ReadYourWritesMiddleware pins such a client
to the primary: for the request that writes (any unsafe method) and, through a
short-lived cookie, for READ_YOUR_WRITES_SECONDS after it.
"""

import random
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_pinned = ContextVar("newsroom_db_pinned", default=False)

PIN_COOKIE = "nr_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def replica_aliases():
    return getattr(settings, "DATABASE_REPLICAS", [])


def is_pinned():
    return _pinned.get()


@contextmanager
def use_primary():
    """Read from the primary inside this block (e.g. right after a write in a task)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class PrimaryReplicaRouter:
    """Reads from a random replica unless pinned; writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned.get():
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's data: objects from any alias may relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadYourWritesMiddleware:
    """Pin a client that has just written to the primary for a short window."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        token = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
