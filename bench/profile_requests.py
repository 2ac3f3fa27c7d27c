"""Where the time of one request goes: cProfile over a loop of in-process requests.

The loop goes through Django's WSGI handler (as gunicorn does) with the cache warm, so it
measures what a cached request costs; the database and settings are those of the
environment (DATABASE_URL, CONVOCATION_*), as for the server.

Usage: python bench/profile_requests.py URL [N] [--sql]
  N      number of requests (default 2000)
  --sql  also time the SQL statements of one request, each repeated N times

CPU time per request is printed beside wall time: on a shared machine it is the steadier
figure. BENCH_PATCH=module imports that module after django.setup(), to try a change to
the app (e.g. a module that replaces a function of convocation.meetings.queries) before
making it.
"""

import cProfile
import importlib
import io
import os
import pstats
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")

import django

django.setup()
if os.environ.get("BENCH_PATCH"):
    importlib.import_module(os.environ["BENCH_PATCH"])

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def environ_for(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def request(app: WSGIHandler, path: str) -> str:
    status = []
    body = app(environ_for(path), lambda s, h, e=None: status.append(s))
    b"".join(body)
    body.close()
    return status[0]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0]
    n = int(args[1]) if len(args) > 1 else 2000
    app = WSGIHandler()
    first = request(app, path)  # fills the cache
    if not first.startswith("200"):
        sys.exit(f"GET {path}: {first}")

    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        request(app, path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{path}: {n} cached requests in {elapsed:.2f}s, {elapsed / n * 1e3:.3f} ms each "
        f"({cpu / n * 1e3:.3f} ms CPU), {n / elapsed:.0f}/s in one process"
    )

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        request(app, path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)

    if "--sql" in sys.argv:
        with CaptureQueriesContext(connection) as captured:
            request(app, path)
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                started = time.process_time()
                for _ in range(n):
                    cursor.execute(sql)
                    cursor.fetchall()
                each = (time.process_time() - started) / n * 1e3
                print(f"{each:.3f} ms CPU  {sql[:120]}…")


if __name__ == "__main__":
    main()
