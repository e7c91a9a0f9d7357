"""EXPLAIN ANALYZE every query the hot pages make, on a benchmark database.

Run by benchmarks/run.py (DJANGO settings come from its environment). Saves
one text file per page under benchmarks/plans/<scale>/ and prints a summary
line per query: its node types and whether any big table was scanned whole.
"""

import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BIG_TABLES = ("comments_comment", "articles_article", "articles_article_tags")


def plans_for(path, username=None):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    results = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            whole_scans = [t for t in BIG_TABLES if f"Seq Scan on {t}" in plan]
            results.append({"sql": sql, "plan": plan, "seq_scans_of_big_tables": whole_scans})
    return results


def main():
    scale, pages = sys.argv[1], json.loads(sys.argv[2])
    folder = Path(__file__).resolve().parent / "plans" / scale
    folder.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name, path, username in pages:
        results = plans_for(path, username)
        text = [f"# {name}: GET {path}" + (f" as {username}" if username else ""), ""]
        for number, result in enumerate(results, 1):
            text += [f"## query {number}", "", result["sql"], "", result["plan"], ""]
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        (folder / f"{slug}.txt").write_text("\n".join(text))
        summary[name] = [r["seq_scans_of_big_tables"] for r in results]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
