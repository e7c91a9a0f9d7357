"""Newsroom settings: one module, configured from the environment (12-factor).

Every variable read here is listed in the README's settings table and in
`.env.example`. Test-only overrides live in `conftest.py`.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from newsroom.storage import s3_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)
# The test suite runs with DEBUG off, like production, but needs no secrets or HTTPS.
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if TESTING:
        SECRET_KEY = "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789"  # noqa: S105
    elif not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long "
            "random string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    # Development only: a fixed, clearly-marked key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105

# Old keys still accepted for signatures while SECRET_KEY is rotated across the fleet.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_prose_editor",
    "accounts",
    "articles",
    "comments",
    "django_tasks_db",
]

MIDDLEWARE = [
    "newsroom.middleware.RequestIDMiddleware",
    # Answers /healthz before sessions, CSRF, host checks and the HTTPS redirect.
    "newsroom.health.HealthCheckMiddleware",
    # Early, so that everything after it (sessions included) reads from the right database.
    "newsroom.db_router.ReadYourWritesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL, else an SQLite file beside the code (the embedded default).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue (up to the timeout) instead of failing with
    # "database is locked" halfway through a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    # Fail fast when the database is unreachable: readers get the 503 page quickly.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )

# Read replicas: reads go to a replica, writes (and migrations) to the primary; a
# client that has just written reads from the primary for READ_YOUR_WRITES_SECONDS.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES[_alias].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )
    # Under test a replica is the primary seen through another connection.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["newsroom.db_router.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10)

# Cache, sessions and rate limits: Redis shared by every app server (REDIS_URL), else
# this process's memory. An unreachable Redis is a cache miss, not an error.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry_after": 5,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions read from the cache and write through to the database: they survive a
# Redis restart and are valid on every app server.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: our own plus Bootstrap from the django-bootstrap-static wheel.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # Object storage (S3-compatible, via django-storages) when AWS_STORAGE_BUCKET_NAME is set.
    "default": s3_storage_from_env(os.environ)
    or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: a hard cap on request bodies and on decoded image size.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 12)

# E-mail (Django 6.1 MAILERS): the console in development, SMTP in production.
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_NAME,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            }
            if EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")

# Security: secure defaults whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not (DEBUG or TESTING)
CSRF_COOKIE_SECURE = not (DEBUG or TESTING)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (Django's own): no inline or foreign scripts; inline
# scripts need the request's nonce. Styles allow inline attributes because the
# admin and its editor set them; scripts never. CSP_REPORT_ONLY=1 only reports.
CONTENT_SECURITY_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *env_list("CSP_EXTRA_IMG_SRC")],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY_OFF = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
    "interest-cohort",
    "browsing-topics",
]
if env_bool("CSP_REPORT_ONLY", False):
    SECURE_CSP_REPORT_ONLY = CONTENT_SECURITY_POLICY
else:
    SECURE_CSP = CONTENT_SECURITY_POLICY

# LOG_FORMAT=json: one JSON object per line with the request id (production default).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG or TESTING else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.logging.RequestIDFilter"}},
    "formatters": {
        "json": {"()": "newsroom.logging.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Anonymous whole-page cache (newsroom/pagecache.py): exact invalidation by version.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)  # upper bound; versions invalidate
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 0)
PAGE_CACHE_CDN_SECONDS = env_int("PAGE_CACHE_CDN_SECONDS", 10)

# Mounts /bench/ceiling/, the trivial page benchmarks compare against. Off in production.
BENCHMARK_ENDPOINTS = env_bool("BENCHMARK_ENDPOINTS", False)

# Behind a reverse proxy, the request.META key that carries the client's IP
# (e.g. HTTP_X_FORWARDED_FOR). Empty: use REMOTE_ADDR; never trust it blindly.
TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER", "")

# Tasks: TASKS_BACKEND=immediate runs a task in the request (development, tests);
# database queues it in the database for `python manage.py db_worker` (django-tasks-db).
# A backend's dotted path works too.
TASKS_BACKEND = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}.get(os.environ.get("TASKS_BACKEND", "immediate"), os.environ.get("TASKS_BACKEND"))

# --- Comments -------------------------------------------------------------
# Unverified accounts may read; may they comment? On in production, off for the demo.
COMMENTS_REQUIRE_VERIFIED_EMAIL = env_bool("COMMENTS_REQUIRE_VERIFIED_EMAIL", not DEBUG)
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 5000)
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 5)  # nesting levels shown, like WordPress
COMMENTS_THREADS_PER_PAGE = env_int("COMMENTS_THREADS_PER_PAGE", 50)  # top-level, with replies
COMMENTS_EDIT_WINDOW_MINUTES = env_int("COMMENTS_EDIT_WINDOW_MINUTES", 15)
COMMENTS_RATE_LIMIT_PER_MINUTE = env_int("COMMENTS_RATE_LIMIT_PER_MINUTE", 5)  # per account
# Per client IP, comments and reports alike: many accounts from one address still queue.
COMMENTS_RATE_LIMIT_PER_IP_PER_MINUTE = env_int("COMMENTS_RATE_LIMIT_PER_IP_PER_MINUTE", 30)
COMMENTS_DUPLICATE_WINDOW_SECONDS = env_int("COMMENTS_DUPLICATE_WINDOW_SECONDS", 30)
# Hold a new account's first comment for review (WordPress's "previously approved" rule).
COMMENTS_PREMODERATE_FIRST = env_bool("COMMENTS_PREMODERATE_FIRST", True)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)  # 0: never close by age
COMMENTS_REPORT_THRESHOLD = env_int("COMMENTS_REPORT_THRESHOLD", 3)  # reports that hide a comment

# Background work (django.tasks): reply and report e-mails. The immediate backend runs
# a task inside the request, after the transaction commits; see the README for production.
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

# --- Accounts -------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]
# How long an e-mail verification link works, in seconds (3 days).
ACCOUNTS_VERIFICATION_MAX_AGE = env_int("ACCOUNTS_VERIFICATION_MAX_AGE", 3 * 24 * 3600)
# Sign-in: after this many failures for one username, or from one IP, in the
# window, further attempts get a 429 until the window ends.
ACCOUNTS_LOGIN_MAX_FAILURES = env_int("ACCOUNTS_LOGIN_MAX_FAILURES", 5)
ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP = env_int("ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP", 20)
ACCOUNTS_LOGIN_WINDOW_SECONDS = env_int("ACCOUNTS_LOGIN_WINDOW_SECONDS", 15 * 60)
# Sign-up attempts per IP, and password-reset / verification e-mails per IP (or account).
ACCOUNTS_SIGNUP_MAX_PER_IP = env_int("ACCOUNTS_SIGNUP_MAX_PER_IP", 10)
ACCOUNTS_SIGNUP_WINDOW_SECONDS = env_int("ACCOUNTS_SIGNUP_WINDOW_SECONDS", 3600)
ACCOUNTS_PASSWORD_RESET_MAX_PER_IP = env_int("ACCOUNTS_PASSWORD_RESET_MAX_PER_IP", 5)
ACCOUNTS_PASSWORD_RESET_WINDOW_SECONDS = env_int("ACCOUNTS_PASSWORD_RESET_WINDOW_SECONDS", 3600)
