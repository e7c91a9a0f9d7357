"""Structured logs: one JSON object per line, each carrying the request id.

LOG_FORMAT=json (the default in production) uses JSONFormatter; text keeps
the familiar one-line format for development. RequestIDFilter puts the
current request's id (set by newsroom.middleware.RequestIDMiddleware) on
every record, whichever logger wrote it.
"""

import json
import logging
import time
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else was passed with `extra=`.
_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIDFilter(logging.Filter):
    """Adds `request_id` to every record (a dash outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # django.request logs after the middleware has returned: ask the request.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


def _plain(value):
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                # django.request passes the request object itself: log its essentials.
                if key == "request" and hasattr(value, "method"):
                    entry["method"] = value.method
                    entry["path"] = value.path
                    continue
                entry[key] = _plain(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a runtime requirement
    _GunicornLogger = object


class GunicornJSONLogger(_GunicornLogger):
    """Gunicorn's access and error logs as JSON lines (gunicorn.conf.py picks it)."""

    def setup(self, cfg):
        super().setup(cfg)
        formatter = JSONFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            atoms = self.atoms(resp, req, environ, request_time)
            self.access_log.info(
                "%s %s %s",
                atoms["m"],
                atoms["U"],
                atoms["s"],
                extra={
                    "request_id": atoms.get("{x-request-id}o", "-"),
                    "remote_addr": atoms["h"],
                    "method": atoms["m"],
                    "path": atoms["U"],
                    "query": atoms["q"],
                    "status": _plain(atoms["s"]),
                    "bytes": atoms["B"],
                    "duration_ms": atoms["M"],
                    "user_agent": atoms["a"],
                    "referer": atoms["f"],
                },
            )
        except Exception:
            self.error("access log failed", exc_info=True)
