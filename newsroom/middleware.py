"""Request ids, and a themed 503 page when the database is unreachable."""

import logging
import re
import sys
import uuid

from django import db
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

from newsroom.logging import request_id_var

logger = logging.getLogger("newsroom.outage")

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only if it is short and plain: it goes into logs and headers.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIDMiddleware:
    """Take X-Request-ID from the proxy when sane, else make one; echo it and log it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def database_error(exc):
    """The database error behind `exc` (its cause or context), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, db.OperationalError | db.InterfaceError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def service_unavailable(request):
    """The 503 page: rendered without context processors, so it needs no database.

    A POSTed comment `body` is shown back, escaped, so the reader keeps it.
    """
    body = ""
    if request is not None and request.method == "POST":
        try:
            body = request.POST.get("body", "")
        except Exception:  # an unreadable body must not break the error page
            body = ""
    html = loader.get_template("503.html").render(
        {"body": body, "request_id": request_id_var.get()}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database outage raised in a view or template into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        error = database_error(exception)
        if error is None:
            return None
        logger.error("Database unavailable: %s", (str(error).strip().splitlines() or [""])[0])
        return service_unavailable(request)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a database outage anywhere (middleware included) is a 503, not a 500."""
    if database_error(sys.exc_info()[1]) is not None:
        return service_unavailable(request)
    return defaults.server_error(request, template_name=template_name)
