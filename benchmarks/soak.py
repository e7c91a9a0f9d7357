#!/usr/bin/env python
"""Soak test (on demand, not in CI): mixed reads and comment posts from 50
signed-in accounts against gunicorn on PostgreSQL + Redis for two minutes.

Reports requests, errors (must be 0) and comments acknowledged versus comments
stored (must match). Uses the benchmark's 1k dataset (built if missing).

    .venv/bin/python benchmarks/soak.py [--seconds 120] [--accounts 50]
"""

import argparse
import http.client
import json
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (the benchmark's helpers: dataset, server, environment)

MARK = "Soak comment"


def setup_accounts(env, count):
    """Make `count` verified readers and a session for each; return cookies and slugs."""
    script = f"""
import django, json; django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from articles.models import Article
from comments.models import Comment
Comment.objects.filter(body__startswith={MARK!r}).delete()
User = get_user_model()
cookies = []
for n in range({count}):
    user, _ = User.objects.get_or_create(
        username=f"soak-{{n:02d}}", defaults={{"email": f"soak-{{n:02d}}@example.com"}}
    )
    User.objects.filter(pk=user.pk).update(email_verified=True)
    client = Client()
    client.force_login(user)
    cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
newest = Article.objects.published().order_by("-published_at")
slugs = list(newest.values_list("slug", flat=True)[:5])
print(json.dumps({{"cookies": cookies, "slugs": slugs, "name": settings.SESSION_COOKIE_NAME}}))
"""
    out = subprocess.run(
        [run.PY, "-c", script], cwd=run.ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Reader(threading.Thread):
    def __init__(self, cookie, slugs, deadline, stats, lock):
        super().__init__(daemon=True)
        self.cookie, self.slugs, self.deadline = cookie, slugs, deadline
        self.stats, self.lock = stats, lock
        self.rng = random.Random(cookie)

    def call(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", run.PORT, timeout=60)
        try:
            conn.request(
                method, path, body=body, headers={"Cookie": self.cookie, **(headers or {})}
            )
            response = conn.getresponse()
            data = response.read()
            return response.status, response.getheader("Location", ""), data, response
        finally:
            conn.close()

    def count(self, key, value=1):
        with self.lock:
            self.stats[key] = self.stats.get(key, 0) + value

    def run(self):
        while time.monotonic() < self.deadline:
            slug = self.rng.choice(self.slugs)
            try:
                if self.rng.random() < 0.8:
                    path = self.rng.choice(["/", f"/articles/{slug}/", "/category/world/"])
                    status, _, _, _ = self.call("GET", path)
                    self.count("reads")
                    if status != 200:
                        self.count(f"read status {status}")
                        self.count("errors")
                else:
                    self.post(slug)
            except OSError as error:
                self.count("errors")
                self.count(f"connection error: {type(error).__name__}")

    def post(self, slug):
        status, _, page, response = self.call("GET", f"/articles/{slug}/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if status != 200 or not token:
            self.count("errors")
            self.count("no comment form")
            return
        cookie = self.cookie + (f"; csrftoken={csrf.group(1)}" if csrf else "")
        body = f"{MARK} {time.time_ns()} {self.rng.random()}"
        form = urllib.parse.urlencode(
            {"body": body, "csrfmiddlewaretoken": token.group(1).decode()}
        )
        conn = http.client.HTTPConnection("127.0.0.1", run.PORT, timeout=60)
        try:
            conn.request(
                "POST",
                f"/articles/{slug}/comments/",
                body=form,
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{run.PORT}/articles/{slug}/",
                },
            )
            reply = conn.getresponse()
            reply.read()
            location = reply.getheader("Location", "")
        finally:
            conn.close()
        self.count("posts")
        if reply.status == 302 and "#comment-" in location:
            self.count("acknowledged")
            with self.lock:
                self.stats.setdefault("ids", []).append(int(location.rsplit("-", 1)[1]))
        else:
            self.count("errors")
            self.count(f"post status {reply.status}")


def stored_ids(env):
    script = f"""
import django, json; django.setup()
from comments.models import Comment
soak = Comment.objects.filter(body__startswith={MARK!r})
print(json.dumps(list(soak.values_list("pk", flat=True))))
"""
    out = subprocess.run(
        [run.PY, "-c", script], cwd=run.ROOT, env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--accounts", type=int, default=50)
    args = parser.parse_args()
    db = "newsroom_bench_1k"
    run.build_dataset(db, run.SCALES["1k"], reuse=True)
    env = run.server_env(db)
    setup = setup_accounts(env, args.accounts)
    cookies = [f"{setup['name']}={value}" for value in setup["cookies"]]
    stats, lock = {}, threading.Lock()
    started = time.monotonic()
    with run.Server(env, workers=4):
        deadline = time.monotonic() + args.seconds
        readers = [Reader(c, setup["slugs"], deadline, stats, lock) for c in cookies]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
    elapsed = time.monotonic() - started
    acknowledged = set(stats.pop("ids", []))
    stored = stored_ids(env)
    report = {
        "accounts": args.accounts,
        "seconds": args.seconds,
        "requests": stats.get("reads", 0) + 2 * stats.get("posts", 0),
        "reads": stats.get("reads", 0),
        "comment_posts": stats.get("posts", 0),
        "errors": stats.get("errors", 0),
        "error_kinds": {
            k: v for k, v in stats.items() if k not in {"reads", "posts", "errors", "acknowledged"}
        },
        "comments_acknowledged": len(acknowledged),
        "comments_stored": len(stored),
        "acknowledged_equals_stored": acknowledged == stored,
        "wall_seconds": round(elapsed, 1),
    }
    print(json.dumps(report, indent=2))
    (run.RESULTS / "soak-latest.json").write_text(json.dumps(report, indent=2))
    ok = report["errors"] == 0 and report["acknowledged_equals_stored"]
    print("soak: OK" if ok else "soak: FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
