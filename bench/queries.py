"""SQL queries per request, measured in-process with Django's test Client.

For each URL the cache is emptied, then two GETs are made: the first renders the page
(cache miss), the second is served from the cache (cache hit). Prints a table and writes
the counts as JSON to the file given as the first argument (or stdout with "-").

Usage: python bench/queries.py OUT.json SLUG [SLUG ...]
"""

import importlib
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")
# The test Client sends Host: testserver.
hosts = os.environ.get("CONVOCATION_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ["CONVOCATION_ALLOWED_HOSTS"] = hosts + ",testserver"

import django  # noqa: E402

django.setup()
if os.environ.get("BENCH_PATCH"):  # see bench/bench_wsgi.py
    importlib.import_module(os.environ["BENCH_PATCH"])

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from convocation.meetings.models import Meeting  # noqa: E402

KINDS = [
    ("page", "/meetings/{slug}/"),
    ("ics", "/meetings/{slug}/schedule.ics"),
    ("json", "/meetings/{slug}/schedule.json"),
]


def measure(slugs: list[str]) -> list[dict]:
    client = Client()
    rows = []
    for slug in slugs:
        sessions = Meeting.objects.get(slug=slug).sessions.count()
        for kind, pattern in KINDS:
            url = pattern.format(slug=slug)
            cache.clear()
            counts = []
            sqls = []
            for _ in range(2):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                if response.status_code != 200:
                    sys.exit(f"bench/queries.py: GET {url} answered {response.status_code}")
                counts.append(len(captured.captured_queries))
                sqls.append([q["sql"] for q in captured.captured_queries])
            rows.append(
                {
                    "url": url,
                    "slug": slug,
                    "kind": kind,
                    "sessions": sessions,
                    "bytes": len(response.content),
                    "queries_miss": counts[0],
                    "queries_hit": counts[1],
                    "sql_miss": sqls[0],
                    "sql_hit": sqls[1],
                }
            )
    return rows


def main() -> None:
    out, *slugs = sys.argv[1:]
    rows = measure(slugs)
    print(f"{'URL':<40} {'sessions':>8} {'miss':>5} {'hit':>5}")
    for row in rows:
        print(
            f"{row['url']:<40} {row['sessions']:>8} "
            f"{row['queries_miss']:>5} {row['queries_hit']:>5}"
        )
    by_kind: dict[str, set[tuple[int, int]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], set()).add((row["queries_miss"], row["queries_hit"]))
    grows = sorted(kind for kind, counts in by_kind.items() if len(counts) > 1)
    print(
        "queries grow with the number of sessions for: " + ", ".join(grows)
        if grows
        else "queries per request do not depend on the number of sessions"
    )
    version = None
    ask = {"sqlite": "SELECT sqlite_version()", "postgresql": "SHOW server_version"}
    if connection.vendor in ask:
        with connection.cursor() as cursor:
            cursor.execute(ask[connection.vendor])
            version = cursor.fetchone()[0]
    document = {
        "vendor": connection.vendor,
        "version": version,
        "rows": rows,
        "constant": not grows,
    }
    if out == "-":
        json.dump(document, sys.stdout, indent=2)
    else:
        with open(out, "w") as handle:
            json.dump(document, handle, indent=2)


if __name__ == "__main__":
    main()
