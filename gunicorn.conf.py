"""Gunicorn settings for Newsroom's app servers: `gunicorn -c gunicorn.conf.py`.

Every value can be overridden from the environment (see docs/deploy.md).
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Workers: the classic 2 × cores + 1 for sync workers, unless WEB_CONCURRENCY says.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# GUNICORN_THREADS > 1 switches to the gthread worker (each thread holds a DB connection).
threads = _int("GUNICORN_THREADS", 1)

# A request that takes longer than this is killed and its worker restarted.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM/SIGHUP, workers finish in-flight requests for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer keeping connections open; keep below the LB's idle timeout.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then (bounds slow leaks); jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Trust X-Forwarded-* only from the load balancer's addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Heartbeat files in memory, not on a (possibly slow, container overlay) disk.
if os.path.isdir("/dev/shm"):  # noqa: S108 - gunicorn's documented choice for containers
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Logs to stdout/stderr for the process manager to collect; JSON lines with the request id
# when LOG_FORMAT=json (the default whenever DEBUG is off).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
_debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    logger_class = "newsroom.logging.GunicornJSONLogger"
else:
    access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s "%(a)s"'

proc_name = "newsroom"

# Gunicorn's control socket (gunicornc) is off unless a path is given: several
# servers on one host would otherwise share its default path.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
