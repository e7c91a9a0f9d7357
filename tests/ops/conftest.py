"""Real servers on loopback: gunicorn app servers on PostgreSQL and Redis, a TCP proxy.

Everything here runs as subprocesses with an explicit environment, outside
pytest-django's test database: each xdist worker makes its own throwaway
databases (named ops_*), its own Redis database number and key prefix, and
its own ports in 8200-8299. Without PostgreSQL or Redis these tests skip with
the reason, except under CI=true, where they fail.
"""

import contextlib
import http.cookies
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
PASSWORD = "ops-password-123"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
WORKER_INDEX = int(re.sub(r"\D", "", WORKER) or 0)
TAG = f"{WORKER_INDEX}_{os.getpid()}"


LOG_DIR = Path(tempfile.gettempdir()) / "newsroom-ops" / TAG
RUNNING = []  # servers up now: their log tails go into a failing test's report


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/ops/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.ops)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and call.when == "call":
        for server in RUNNING:
            report.sections.append((f"{server.name} log (tail)", server.log_tail()))
    return report


@pytest.fixture(scope="session", autouse=True)
def _server_logs(request):
    """Server logs stay in LOG_DIR only when something failed."""
    yield
    if not request.session.testsfailed:
        shutil.rmtree(LOG_DIR, ignore_errors=True)


# --- services -------------------------------------------------------------


def _missing(message):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required under CI)")
    pytest.skip(message)


def pg_url(dbname, port=PG_PORT):
    return f"postgres://postgres@{PG_HOST}:{port}/{dbname}"


def pg_connect(dbname="postgres", **kwargs):
    import psycopg

    return psycopg.connect(
        f"postgresql://postgres@{PG_HOST}:{PG_PORT}/{dbname}", connect_timeout=3, **kwargs
    )


@pytest.fixture(scope="session")
def postgres():
    try:
        with pg_connect() as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        _missing(f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}: {exc}")


@pytest.fixture(scope="session")
def redis_db():
    """A Redis database number of this worker's own, flushed."""
    import redis

    number = 10 + WORKER_INDEX % 6
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        _missing(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}: {exc}")
    client.flushdb()
    yield number
    client.flushdb()


def create_database(name):
    with pg_connect(autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    with pg_connect(autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the app --------------------------------------------------------------


_ports = iter(range(8200 + (WORKER_INDEX * 17) % 100, 8300))


def free_port():
    """A port in 8200-8299 that nobody listens on; workers start in different places."""
    for port in _ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port left in 8200-8299")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once per worker: DEBUG=0 serves manifest-hashed files."""
    root = tmp_path_factory.mktemp("static")
    manage(app_env(STATIC_ROOT=str(root)), "collectstatic", "--noinput", "-v0")
    return root


def app_env(**overrides):
    """A production-like environment (DEBUG off) with nothing inherited that could leak."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "AWS_", "PYTEST", "DJANGO_", "TASKS_"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT", "MEDIA_ROOT"}
    }
    env.update(
        SECRET_KEY="ops-" + "k" * 60,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        WEB_CONCURRENCY="2",
        GUNICORN_TIMEOUT="20",
        LOG_FORMAT="json",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        COMMENTS_REQUIRE_VERIFIED_EMAIL="0",
        COMMENTS_PREMODERATE_FIRST="0",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def manage(env, *args, input=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


SEED = f"""
from django.contrib.auth import get_user_model
from articles.models import Article, Category

User = get_user_model()
editor = User.objects.create_superuser(
    "ops-editor", "editor@example.com", {PASSWORD!r}, email_verified=True
)
for name in ("ops-reader", "ops-other", "ops-commenter"):
    User.objects.create_user(name, name + "@example.com", {PASSWORD!r}, email_verified=True)
section = Category.objects.create(name="World", slug="world")
Article.objects.create(
    title="Ops live story", slug="ops-live", body="<p>Live.</p>", status="published",
    author=editor, category=section,
)
Article.objects.create(
    title="Ops embargoed story", slug="ops-embargoed", body="<p>Soon.</p>", status="draft",
    author=editor, category=section,
)
"""


@pytest.fixture(scope="session")
def template_database(postgres):
    """Migrated and seeded once per worker; each test database is a copy of it."""
    name = f"ops_template_{TAG}"
    create_database(name)
    env = app_env(DATABASE_URL=pg_url(name))
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", SEED)
    yield name
    drop_database(name)


def clone_database(template, name):
    """A fresh copy of the template database (instant, unlike migrating)."""
    with pg_connect(autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return pg_url(name)


class AppServer:
    """One gunicorn on loopback with the repo's gunicorn.conf.py."""

    def __init__(self, name, env):
        self.name = name
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{name}.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=REPO,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        RUNNING.append(self)
        return self

    def wait_ready(self, timeout=30):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/healthz?live", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not start in {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines=40):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self in RUNNING:
            RUNNING.remove(self)
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()


@contextlib.contextmanager
def app_servers(count, env, prefix="app"):
    servers = [AppServer(f"{prefix}{n}", env) for n in range(count)]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


# --- a browser without a browser ----------------------------------------------


class Browser:
    """requests with one cookie jar for every server, as behind one load balancer.

    Cookies are kept by name and sent over plain HTTP even when marked Secure
    (production settings mark them so; these servers are on loopback).
    """

    def __init__(self):
        import requests

        self.session = requests.Session()
        self.cookies = {}
        self.expires = {}

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", 15)
        kwargs.setdefault("allow_redirects", False)
        now = time.time()
        for name, when in list(self.expires.items()):
            if when <= now:
                self.cookies.pop(name, None)
                del self.expires[name]
        response = self.session.request(method, url, cookies=dict(self.cookies), **kwargs)
        for header in response.raw.headers.getlist("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value in ("", '""') or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                    continue
                self.cookies[name] = morsel.value
                if morsel["max-age"]:
                    self.expires[name] = time.time() + int(morsel["max-age"])
        self.session.cookies.clear()
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, data=None, **kwargs):
        """POST a form with the CSRF token (fetched from `url` first if need be)."""
        if "csrftoken" not in self.cookies:
            self.get(url)
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(data or {})}
        return self.request("POST", url, data=data, **kwargs)

    def login(self, server_url, username, password=PASSWORD):
        response = self.post(
            server_url + "/accounts/login/", {"username": username, "password": password}
        )
        assert response.status_code == 302, f"sign-in failed: {response.status_code}"
        return response


# --- a TCP proxy we can pull the plug on -------------------------------------------


class TCPProxy:
    """Forwards a loopback port to PostgreSQL; `down()` cuts every connection and refuses
    new ones, `up()` accepts again. The real server is never touched."""

    def __init__(self, target_port=PG_PORT):
        self.target = (PG_HOST, target_port)
        self.port = free_port()
        self.listener = None
        self.connections = []
        self.lock = threading.Lock()
        self.up()

    def up(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.listener.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._accept, args=(self.listener,), daemon=True)
        self.thread.start()

    def down(self):
        self.running = False
        self.thread.join()
        self.listener.close()
        with self.lock:
            for conn in self.connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self.connections.clear()

    def _accept(self, listener):
        while self.running:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=3)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a, b):
        peers = {a: b, b: a}
        try:
            while True:
                readable, _, _ = select.select([a, b], [], [], 1)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()


def random_text(prefix):
    return f"{prefix} {secrets.token_hex(4)}"
