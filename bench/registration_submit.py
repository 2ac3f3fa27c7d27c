"""The registration submit under load: registrations per second and latency with wrk.

Usage:
  python bench/registration_submit.py run OUT_DIR SERVER_PID BASE_URL
  python bench/registration_submit.py report OUT_DIR

``run``, while bench/run.sh's gunicorn serves BASE_URL (http://127.0.0.1:PORT only):
deletes the registrations of meeting ``bench-registration`` (and the people and queued
emails they made), checks that a delegate of OUT_DIR/registration-users.tsv
(bench/seed_registration.py) gets the form (200) and that the form registers (302 to the
registration, for 20 delegates kept for that, which also warms both workers), deletes those
registrations again, then runs
``wrk -t2 -c32 -d$BENCH_DURATION --latency --timeout 10s -s bench/registration.lua URL --
FILE 2``:
every request a POST of the form by the next delegate, with their session and CSRF cookies,
so that each is a new registration made by the service under the lock of the meeting's
policy. Afterwards the registrations made are counted in the database and compared with the
302 answers. Writes OUT_DIR/registration-wrk.txt (wrk's output, its BENCH_JSON line and the
CPU split of bench/load.py) and OUT_DIR/registration.json.

``report``, after bench/report.py: adds ``registration_submit`` to OUT_DIR/results.json and
prints the figures against the target. Exits 1 when there were errors, answers other than
302, fewer registrations than 302 answers, or requests that had to reuse a delegate.

A benchmark, not a test: a missed target is reported, not failed.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import load  # bench/load.py: the CPU split of the machine during a run

TARGET_RPS = 200
TARGET_P99_MS = 150
SLUG = "bench-registration"
PATH = f"/meetings/{SLUG}/register/"
CONNECTIONS = int(os.environ.get("BENCH_REGISTRATION_CONNECTIONS", "32"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
# wrk's default of 2 s would count a slow answer as a socket error and drop its latency; a
# registration still made after wrk gave up would then not be counted either.
TIMEOUT = "10s"
CHECKS = 20  # delegates kept out of the load, to check the form registers before it
LUA = Path(__file__).with_name("registration.lua")


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")
    import django

    django.setup()


def reset() -> int:
    from seed_registration import delete_registrations

    return delete_registrations()


def counts() -> dict:
    from django.db import connection
    from django.db.models import Count

    from convocation.people.models import Person
    from convocation.registrations.models import Registration

    by_status = dict(
        Registration.objects.filter(meeting__slug=SLUG)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {
        "vendor": connection.vendor,
        "registrations": sum(by_status.values()),
        "by_status": by_status,
        "people": Person.objects.filter(email__startswith="bench-delegate-").count(),
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send(url: str, line: str, post: bool) -> tuple[int, str, str]:
    cookie, body = line.rstrip("\n").split("\t", 1)
    request = urllib.request.Request(
        url,
        data=body.encode() if post else None,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code, answer.headers.get("Location", ""), answer.read().decode()


def check(url: str, lines: list[str]) -> None:
    """The form is offered to a signed-in delegate, and posting it registers them."""
    for _ in range(100):  # the server may still be starting its workers
        try:
            status, _location, page = send(url + "?delegation=state:ROU", lines[0], post=False)
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit(f"bench/registration_submit.py: {url} does not answer")
    if status != 200 or 'name="given_name"' not in page:
        sys.exit(f"bench/registration_submit.py: GET {url} as a delegate answered {status}")
    for line in lines:
        status, location, page = send(url, line, post=True)
        if status != 302 or not location.startswith("/my/registrations/"):
            sys.exit(
                f"bench/registration_submit.py: POST {url} answered {status} {location}\n"
                + page[:2000]
            )


def run(out: Path, master: int, base: str) -> None:
    if not base.startswith("http://127.0.0.1:"):
        sys.exit(f"bench/registration_submit.py: refusing {base}: only http://127.0.0.1")
    django_setup()
    url = base + PATH
    users = out / "registration-users.tsv"
    lines = users.read_text().splitlines(keepends=True)
    if len(lines) <= CHECKS:
        sys.exit(f"bench/registration_submit.py: {users} has too few delegates")
    load_file = out / "registration-load.tsv"
    load_file.write_text("".join(lines[:-CHECKS]))

    deleted = reset()
    check(url, lines[-CHECKS:])
    checked = counts()
    if checked["registrations"] != CHECKS:
        sys.exit(f"bench/registration_submit.py: {CHECKS} checks made {checked}")
    reset()
    print(
        f"{deleted} registrations of an earlier run deleted; the form registers "
        f"({CHECKS} checks, deleted again)"
    )

    duration = os.environ.get("BENCH_DURATION", "10s")
    wrk = [
        "wrk",
        "-t",
        str(WRK_THREADS),
        "-c",
        str(CONNECTIONS),
        "-d",
        duration,
        "--latency",
        "--timeout",
        TIMEOUT,
        "-s",
        str(LUA),
        url,
        "--",
        str(load_file),
        str(WRK_THREADS),
    ]
    print(f"\n== {' '.join(wrk[:10])} -s bench/{LUA.name} {url}", flush=True)
    database = load.database_name()
    # The host shares its cores: the same code runs slower at busy moments, so each run
    # says how fast the CPU was just before and just after its load.
    calibration_before = load.calibration_ms()
    busy0, steal0, total0 = load.machine_ticks()
    (server0, db0), wrk0 = load.serving_ticks(master, database), load.children_seconds()
    done = subprocess.run(wrk, capture_output=True, text=True, check=False)
    busy1, steal1, total1 = load.machine_ticks()
    (server1, db1), wrk1 = load.serving_ticks(master, database), load.children_seconds()
    calibration_after = load.calibration_ms()
    if done.returncode != 0:
        sys.exit(f"bench/registration_submit.py: wrk failed:\n{done.stdout}{done.stderr}")
    time.sleep(1)  # requests under way when wrk stopped finish on the server
    after = counts()

    span = max(total1 - total0, 1)
    server = load.grown(server0, server1) / span
    backends = load.grown(db0, db1) / span
    client = (wrk1 - wrk0) * load.TICK / span
    steal = (steal1 - steal0) / span
    other = max((busy1 - busy0) / span - steal - server - backends - client, 0.0)
    cpu = {
        "server_pct": round(100 * server, 1),
        "postgresql_pct": round(100 * backends, 1) if database else None,
        "wrk_pct": round(100 * client, 1),
        "stolen_pct": round(100 * steal, 1),
        "postgresql_backends_ended": len(set(db0) - set(db1)) if database else None,
        "other_processes_pct": round(100 * other, 1),
        "idle_pct": round(100 * (1 - (busy1 - busy0) / span), 1),
    }
    (out / "registration-wrk.txt").write_text(done.stdout + "BENCH_CPU " + json.dumps(cpu) + "\n")
    figures = next(
        json.loads(line.removeprefix("BENCH_JSON "))
        for line in done.stdout.splitlines()
        if line.startswith("BENCH_JSON ")
    )
    seconds = figures["duration_us"] / 1e6
    answered = figures["responses"]["302"]
    result = {
        "url": PATH,
        "meeting": SLUG,
        "in_person_capacity": 1_000_000,
        "delegates": figures["delegates"],
        "connections": CONNECTIONS,
        "wrk_threads": WRK_THREADS,
        "duration": duration,
        "requests": figures["requests"],
        "seconds": round(seconds, 2),
        "registrations_per_second": round(answered / seconds, 1),
        "requests_per_second": round(figures["requests"] / seconds, 1),
        "latency_ms": {k: round(v / 1000, 2) for k, v in figures["latency_us"].items()},
        "responses": figures["responses"],
        "errors": figures["errors"],
        "requests_sent": figures["requests_sent"],
        "reused_delegates": figures["reused_delegates"],
        "registrations_made": after["registrations"],
        "registrations_by_status": after["by_status"],
        "people_made": after["people"],
        "database": after["vendor"],
        "target": {"registrations_per_second": TARGET_RPS, "p99_ms": TARGET_P99_MS},
        "cpu": cpu,
        "cpu_ms_per_registration": cpu_per_registration(cpu, answered / seconds),
        "calibration_ms": {"before": calibration_before, "after": calibration_after},
    }
    result["meets_target"] = (
        result["registrations_per_second"] >= TARGET_RPS
        and result["latency_ms"]["p99"] < TARGET_P99_MS
    )
    result["problems"] = problems(result)
    (out / "registration.json").write_text(json.dumps(result, indent=2) + "\n")
    latency = result["latency_ms"]
    print(
        f"{answered} registrations (302) in {seconds:.1f} s: "
        f"{result['registrations_per_second']:.0f}/s; latency p50 {latency['p50']:.1f} ms, "
        f"p99 {latency['p99']:.1f} ms, max {latency['max']:.1f} ms; "
        f"{after['registrations']} registrations in the database {after['by_status']}"
    )
    print(
        f"CPU of the machine: server {cpu['server_pct']}%, "
        + (f"PostgreSQL {cpu['postgresql_pct']}%, " if database else "")
        + f"wrk {cpu['wrk_pct']}%, other processes {cpu['other_processes_pct']}%, "
        f"stolen by the host {cpu['stolen_pct']}%, idle {cpu['idle_pct']}%"
    )
    for problem in result["problems"]:
        print(f"PROBLEM: {problem}")


def cpu_per_registration(cpu: dict, per_second: float) -> dict:
    """The CPU time the workers and PostgreSQL's backends spent on each registration."""
    cores = os.cpu_count() or 1

    def ms(pct: float | None) -> float | None:
        return None if pct is None or not per_second else round(pct * cores * 10 / per_second, 2)

    return {"workers": ms(cpu["server_pct"]), "postgresql": ms(cpu["postgresql_pct"])}


def problems(result: dict) -> list[str]:
    found = []
    others = {k: v for k, v in result["responses"].items() if k != "302" and v}
    if others:
        found.append(f"answers other than 302: {others}")
    errors = {k: v for k, v in result["errors"].items() if v and k != "status"}
    if errors:
        found.append(f"socket errors: {errors}")
    if result["reused_delegates"]:
        found.append(
            f"{result['reused_delegates']} requests reused a delegate (repeats, not new "
            f"registrations): seed more (BENCH_REGISTRATION_USERS) or shorten BENCH_DURATION"
        )
    # Requests under way when wrk stops are not counted by it but may still register.
    if result["registrations_made"] < result["responses"]["302"]:
        found.append(
            f"{result['registrations_made']} registrations in the database for "
            f"{result['responses']['302']} answers 302"
        )
    return found


def report(out: Path) -> int:
    path = out / "registration.json"
    if not path.exists():
        print("no registration-submit run (BENCH_REGISTRATION=0?)")
        return 0
    result = json.loads(path.read_text())
    results = out / "results.json"
    if results.exists():
        document = json.loads(results.read_text())
        document["registration_submit"] = result
        results.write_text(json.dumps(document, indent=2) + "\n")
    latency = result["latency_ms"]
    cpu = result["cpu"] or {}
    print(
        f"\nregistration submit ({result['database']}, wrk -c{result['connections']}, "
        f"{result['delegates']:,} delegates, in-person capacity "
        f"{result['in_person_capacity']:,})"
    )
    header = (
        f"{'URL':<38} {'reg/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'made':>6} {'errors':>6} {'target':>16} {'ok':>4} {'other CPU':>9}"
    )
    print(header)
    print("-" * len(header))
    errors = sum(v for k, v in result["responses"].items() if k != "302") + sum(
        v for k, v in result["errors"].items() if k != "status"
    )
    other_cpu = cpu.get("other_processes_pct", 0) + cpu.get("stolen_pct", 0)
    print(
        f"{result['url']:<38} {result['registrations_per_second']:>6.0f} "
        f"{latency['p50']:>7.1f} {latency['p99']:>7.1f} {latency['max']:>7.1f} "
        f"{result['registrations_made']:>6} {errors:>6} "
        f"{f'≥{TARGET_RPS}/s, p99<{TARGET_P99_MS}':>16} "
        f"{'yes' if result['meets_target'] else 'MISS':>4} {other_cpu:>8.1f}%"
    )
    per_registration = result.get("cpu_ms_per_registration") or {}
    calibration = result.get("calibration_ms") or {}
    if per_registration.get("workers") is not None:
        print(
            f"CPU per registration: workers {per_registration['workers']} ms"
            + (
                f" + PostgreSQL {per_registration['postgresql']} ms"
                if per_registration.get("postgresql") is not None
                else ""
            )
            + f"; CPU calibration {calibration.get('before')} ms before the load, "
            f"{calibration.get('after')} ms after (see docs/performance.md)"
        )
    if result["database"] != "postgresql":
        print("(the target is set for PostgreSQL; on SQLite the figures are for information)")
    if result["problems"]:
        print("registration submit:", *result["problems"], sep="\n  ", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    command, out, *rest = sys.argv[1:]
    if command == "run":
        master, base = rest
        run(Path(out), int(master), base)
        return 0
    if command == "report":
        return report(Path(out))
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
