"""Where the time of one registration submit goes: cProfile over in-process POSTs.

Posts the registration form of the seeded delegates (bench/seed_registration.py; run
`make bench` once, or `python bench/seed_registration.py USERS_FILE`) through Django's WSGI
handler, as gunicorn does, one new registration each, on the database of DATABASE_URL.
Prints the CPU time per submit without and with the profiler, the SQL statements of one
submit, and the functions that cost most. The registrations made are deleted afterwards.

Usage: python bench/profile_registration.py USERS_FILE [N] [--sql]
  N      submits per pass (default 300); two passes, the first without the profiler
  --sql  print the statements of one submit
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from seed_registration import SLUG, delete_registrations  # noqa: E402

PATH = f"/meetings/{SLUG}/register/"


def post(app: WSGIHandler, line: str) -> str:
    cookie, body = line.rstrip("\n").split("\t", 1)
    data = body.encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": PATH,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(data)),
        "HTTP_COOKIE": cookie,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = []
    answer = app(environ, lambda s, h, e=None: status.append((s, dict(h))))
    b"".join(answer)
    answer.close()
    code, headers = status[0]
    return f"{code} {headers.get('Location', '')}"


def submits(app: WSGIHandler, lines: list[str]) -> float:
    cpu = time.process_time()
    for line in lines:
        status = post(app, line)
        # A 302 to the registration made; not to the sign-in page.
        if not (status.startswith("302 ") and " /my/registrations/" in status):
            sys.exit(f"POST {PATH}: {status}")
    return (time.process_time() - cpu) / len(lines) * 1e3


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__.split("\n\n")[2])
    lines = Path(args[0]).read_text().splitlines()
    n = int(args[1]) if len(args) > 1 else 300
    if len(lines) < 2 * n + 1:
        sys.exit(f"{args[0]} has fewer than {2 * n + 1} delegates")
    delete_registrations()
    app = WSGIHandler()
    try:
        post(app, lines[0])  # warms the process: connections, templates, caches
        if "--sql" in sys.argv:
            with CaptureQueriesContext(connection) as captured:
                post(app, lines[1])
            print(f"{len(captured.captured_queries)} statements in one submit:")
            for query in captured.captured_queries:
                print(f"  {query['sql'][:150]}")
        plain = submits(app, lines[2 : 2 + n])
        profiler = cProfile.Profile(time.process_time)  # CPU, not time waiting for the database
        profiler.enable()
        profiled = submits(app, lines[2 + n : 2 + 2 * n])
        profiler.disable()
        print(f"{n} submits: {plain:.2f} ms CPU each ({profiled:.2f} ms under the profiler)")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        if os.environ.get("CALLERS"):
            stats.print_callers(os.environ["CALLERS"])
    finally:
        delete_registrations()


if __name__ == "__main__":
    main()
