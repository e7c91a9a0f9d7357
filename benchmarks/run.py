#!/usr/bin/env python
"""`make bench`: build a dataset, serve it with gunicorn on PostgreSQL + Redis,
load each page with wrk, and print one table (also saved as JSON in results/).

Every page is compared with the *ceiling*: a trivial Django view returning a
fixed 2 KB page through the same middleware stack (newsroom/ceiling.py).

    python benchmarks/run.py                 # both scales: 1k and 10k articles
    python benchmarks/run.py --scales 1k     # quick run
    python benchmarks/run.py --reuse         # skip rebuilding existing datasets
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
PORT = 8290
# What browsers send; bytes in the table are what goes over the wire.
ACCEPT_ENCODING = "gzip, deflate, br"
SCALES = {
    "1k": {"articles": 1_000, "comments": 100_000},
    "10k": {"articles": 10_000, "comments": 1_000_000},
}


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def server_env(db, page_cache=True):
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        DATABASE_URL=f"{PG}/{db}",
        REDIS_URL=REDIS,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{PORT}",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        BENCHMARK_ENDPOINTS="1",
        PAGE_CACHE="1" if page_cache else "0",
        COMMENTS_RATE_LIMIT_PER_MINUTE="100000",
        COMMENTS_PREMODERATE_FIRST="0",
        COMMENTS_RATE_LIMIT_PER_IP_PER_MINUTE="100000",  # every simulated reader is 127.0.0.1
        COMMENTS_REQUIRE_VERIFIED_EMAIL="0",
        LOG_LEVEL="WARNING",
        LOG_FORMAT="text",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    return env


def build_dataset(db, scale, reuse):
    env = server_env(db)
    exists = (
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname='{db}'",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "1"
    )
    if exists and reuse:
        log(f"reusing database {db}")
        return
    log(f"building {db}: {scale['articles']} articles, {scale['comments']} comments")
    started = time.monotonic()
    run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db])
    run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db])
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env)
    run(
        [
            PY,
            "manage.py",
            "seed_demo",
            "--articles",
            str(scale["articles"]),
            "--comments",
            str(scale["comments"]),
        ],
        env=env,
    )
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    log(f"built {db} in {time.monotonic() - started:.0f} s")


class Server:
    """gunicorn on loopback with production settings."""

    def __init__(self, env, workers=2):
        self.env, self.workers, self.proc = env, workers, None
        self.log = open(RESULTS / "gunicorn.log", "a")  # noqa: SIM115 -- closed in __exit__

    def __enter__(self):
        self.proc = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--max-requests",  # no recycling: it would reset the CPU counters
                "0",
                "--log-level",
                "warning",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                status, _, _ = request("GET", "/bench/ceiling/")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()

    def worker_cpu_ms(self):
        """CPU time used by the workers (user + system), from /proc: steadier than req/s."""
        total = 0
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        for pid in children.read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        return total * 1000 / os.sysconf("SC_CLK_TCK")


def request(method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), data


def wrk(path, seconds, headers=None):
    # Two connections per sync worker: more only queues in the listen backlog.
    cmd = ["wrk", "-t2", "-c4", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    cmd += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(f"http://127.0.0.1:{PORT}{path}")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": rps,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def query_count(env, path, username=None):
    """SQL queries for one cold request, counted in-process by Django's test client."""
    script = f"""
import django; django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
client = Client()
if {username!r}:
    client.force_login(get_user_model().objects.get(username={username!r}))
cache.clear()
client.get({path!r})  # warm Python-level caches, then measure a cold page cache
cache.clear()
with CaptureQueriesContext(connection) as queries:
    response = client.get({path!r})
assert response.status_code == 200, response.status_code
print(len(queries))
"""
    env = dict(env, ALLOWED_HOSTS="testserver,127.0.0.1")
    out = subprocess.run([PY, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        log(out.stderr[-2000:])
        return None
    return int(out.stdout.strip().splitlines()[-1])


def session_cookie(env, username="reader"):
    script = f"""
import django; django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username={username!r}))
print(settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value)
"""
    out = subprocess.run(
        [PY, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def post_comment_latency(cookie, slug, count=100):
    """Latency of posting comments one after another, as a signed-in reader."""
    status, headers, body = request("GET", f"/articles/{slug}/", {"Cookie": cookie})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    if not token:
        return None
    cookies = cookie + (f"; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else "")
    timings = []
    for number in range(count):
        form = urllib.parse.urlencode(
            {
                "body": f"Benchmark comment {number} at {time.time()}",
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        )
        started = time.perf_counter()
        status, _, _ = request(
            "POST",
            f"/articles/{slug}/comments/",
            {
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{PORT}/articles/{slug}/",
            },
            form,
        )
        timings.append((time.perf_counter() - started) * 1000)
        if status not in (302, 303):
            log(f"comment POST answered {status}")
            return None
    timings.sort()
    return {
        "rps": 1000 / (sum(timings) / len(timings)),
        "p50_ms": timings[len(timings) // 2],
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "errors": 0,
    }


def find_slugs(env):
    script = """
import django; django.setup()
from django.db.models import Count, Q
from django.utils import timezone
from articles.models import Article
live = Article.objects.published()
from comments.models import Comment
Comment.objects.filter(body__startswith="Benchmark comment").delete()  # earlier runs' posts
empty = live.filter(slug="bench-no-comments").first()
if empty is None:  # a story nobody discussed
    empty = live.filter(hero_image="").first()
    empty.pk, empty.slug, empty.title = None, "bench-no-comments", "A story nobody discussed"
    empty.published_at = timezone.now() - timezone.timedelta(days=1)
    empty.save()
empty.comments.all().delete()
empty = empty.slug
big = live.annotate(n=Count("comments")).order_by("-n").values_list("slug", "n").first()
section = live.values_list("category__slug", flat=True).first()
from django.contrib.auth import get_user_model
get_user_model().objects.get_or_create(username="bench-reader", defaults={"email_verified": True})
print(empty, big[0], big[1], section)
"""
    out = subprocess.run(
        [PY, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    empty, big, big_count, section = out.stdout.split()[-4:]
    return empty, big, int(big_count), section


def bench_scale(name, scale, seconds, reuse):
    db = f"newsroom_bench_{name}"
    build_dataset(db, scale, reuse)
    env = server_env(db)
    empty, big, big_count, section = find_slugs(env)
    log(f"{name}: big story {big} has {big_count} comments; empty story {empty}")
    cookie = session_cookie(env, "bench-reader")  # has not commented: shares the cached copy
    commenter_cookie = session_cookie(env, "reader")  # has comments there: a page of their own
    pages = [
        ("ceiling", "/bench/ceiling/", None, True),
        ("front page", "/", None, True),
        ("section page", f"/category/{section}/", None, True),
        ("search", "/search/?q=council+housing", None, True),
        ("article, 0 comments", f"/articles/{empty}/", None, True),
        (f"article, {big_count} comments", f"/articles/{big}/", None, True),
        (f"article, {big_count} comments, signed in", f"/articles/{big}/", "bench-reader", True),
        (
            f"article, {big_count} comments, signed-in commenter",
            f"/articles/{big}/",
            "reader",
            True,
        ),
        ("article, 0 comments, cold", f"/articles/{empty}/", None, False),
        (f"article, {big_count} comments, cold", f"/articles/{big}/", None, False),
    ]
    rows = []
    for cache_on in (True, False):
        with Server(server_env(db, page_cache=cache_on)) as server:
            for label, path, user, wants_cache in pages:
                if wants_cache != cache_on and label != "ceiling":
                    continue
                if label == "ceiling" and not cache_on:
                    continue
                headers = {}
                if user:
                    headers["Cookie"] = cookie if user == "bench-reader" else commenter_cookie
                wrk(path, 2, headers)  # warm up: caches, connections, imports
                before = server.worker_cpu_ms()
                result = wrk(path, seconds, headers)
                spent = server.worker_cpu_ms() - before
                status, _, body = request(
                    "GET", path, {**headers, "Accept-Encoding": ACCEPT_ENCODING}
                )
                result.update(
                    page=label,
                    path=path,
                    status=status,
                    bytes=len(body),
                    cpu_ms_per_request=spent / max(1, result["rps"] * seconds),
                    queries=query_count(server_env(db, page_cache=cache_on), path, user),
                )
                rows.append(result)
                log(f"{label}: {result['rps']:.0f} req/s")
            if cache_on:
                latency = post_comment_latency(cookie, big)
                if latency:
                    latency.update(
                        page="post a comment (sequential)",
                        path="POST",
                        status=302,
                        bytes=0,
                        cpu_ms_per_request=None,
                        queries=None,
                    )
                    rows.append(latency)
    explain_pages = [
        (label, path, user) for label, path, user, cached in pages if label != "ceiling" and cached
    ]
    out = subprocess.run(
        [PY, "benchmarks/explain.py", name, json.dumps(explain_pages)],
        cwd=ROOT,
        env=server_env(db, page_cache=False),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        log(out.stderr[-2000:])
    else:
        scans = json.loads(out.stdout.strip().splitlines()[-1])
        whole = {page: s for page, s in scans.items() if any(s)}
        log(
            f"EXPLAIN plans saved in benchmarks/plans/{name}/; whole-table scans: {whole or 'none'}"
        )
    ceiling = rows[0]["rps"]
    for row in rows:
        row["ratio"] = row["rps"] / ceiling if ceiling else None
    return rows


def print_table(scale, rows):
    print(
        f"\n## {scale}: {SCALES[scale]['articles']:,} articles, "
        f"{SCALES[scale]['comments']:,} comments\n"
    )
    print("| page | req/s | p50 ms | p99 ms | CPU ms/req | SQL | bytes | × ceiling |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        cpu = f"{r['cpu_ms_per_request']:.2f}" if r.get("cpu_ms_per_request") else "–"
        queries = r["queries"] if r.get("queries") is not None else "–"
        print(
            f"| {r['page']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {cpu} "
            f"| {queries} | {r['bytes']:,} | {r['ratio']:.1%} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1k,10k")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--reuse", action="store_true", help="reuse built datasets")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        log("installing wrk from Debian's packages")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "scales": {}}
    for scale in args.scales.split(","):
        rows = bench_scale(scale, SCALES[scale], args.seconds, args.reuse)
        report["scales"][scale] = {"dataset": SCALES[scale], "rows": rows}
        print_table(scale, rows)
    out = RESULTS / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    print(f"\nSaved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
