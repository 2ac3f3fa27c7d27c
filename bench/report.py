"""Gather the wrk runs and the query counts of one ``make bench`` into a table and JSON.

Usage: python bench/report.py OUT_DIR
       python bench/report.py --markdown OUT_DIR   (the table of OUT_DIR/results.json)
Reads OUT_DIR/queries.json and OUT_DIR/wrk-*.txt (each ending with the BENCH_JSON line that
bench/report.lua prints) and the run's settings from BENCH_* variables set by bench/run.sh;
writes OUT_DIR/results.json and prints the table. A benchmark, not a test: a missed target
is reported, not failed; only errors or non-2xx answers make it exit non-zero.
"""

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TARGETS = {"small": 1000, "large": 300}  # requests/s at 8 and at 400 sessions


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def wrk_version() -> str:
    try:
        run = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    return (run.stdout or run.stderr).splitlines()[0].split(" [")[0]


def safe_url(url: str) -> str:
    """The database URL without its password."""
    if not url or url.startswith("sqlite"):
        return url
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def source() -> dict:
    """Which code was measured: the commit, whether src/ differs from it, where it was imported."""
    import convocation

    package = Path(convocation.__file__).resolve().parent

    def git(*args: str) -> str:
        try:
            run = subprocess.run(
                ["git", "-C", str(package), *args], capture_output=True, text=True, check=False
            )
        except OSError:
            return ""
        return run.stdout.strip()

    commit = git("rev-parse", "HEAD")
    return {
        "commit": commit or None,
        "src_modified": bool(git("status", "--porcelain", ".")) if commit else None,
        "package": str(package),
        "version": convocation.__version__,
    }


def machine() -> dict:
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model(),
        "memory_gib": memory_gib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": metadata.version("django"),
        "gunicorn": metadata.version("gunicorn"),
        "psycopg": metadata.version("psycopg"),
        "wrk": wrk_version(),
    }


def read_wrk(path: Path) -> tuple[dict, dict | None]:
    """wrk's figures (bench/report.lua) and the CPU shares of the run (bench/load.py)."""
    run = cpu = None
    for line in path.read_text().splitlines():
        if line.startswith("BENCH_JSON "):
            run = json.loads(line.removeprefix("BENCH_JSON "))
        elif line.startswith("BENCH_CPU "):
            cpu = json.loads(line.removeprefix("BENCH_CPU "))
    if run is None:
        raise SystemExit(f"bench/report.py: no BENCH_JSON line in {path}")
    return run, cpu


def other_cpu(cpu: dict) -> float:
    """The share of the machine's CPU that neither the benchmark nor its database had."""
    return cpu["other_processes_pct"] + cpu.get("stolen_pct", 0)


def other_cpu_text(cpu: dict | None) -> str:
    if not cpu:
        return "?"
    ended = "*" if cpu.get("postgresql_backends_ended") else ""
    return f"{ended}{other_cpu(cpu):.1f}%"


def markdown(document: dict) -> str:
    """The results as a Markdown table, for docs/performance.md."""
    lines = [
        "| URL | sessions | KiB | req/s | p50 ms | p99 ms | target | SQL miss / hit | other CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in document["results"]:
        lines.append(
            f"| `{r['url']}` | {r['sessions']} | {r['response_bytes'] / 1024:.1f} "
            f"| {r['requests_per_second']:.0f} | {r['latency_ms']['p50']:.1f} "
            f"| {r['latency_ms']['p99']:.1f} "
            f"| {r['target_rps']} {'met' if r['meets_target'] else '**missed**'} "
            f"| {r['queries_miss']} / {r['queries_hit']} | {other_cpu_text(r['cpu'])} |"
        )
    return "\n".join(lines)


def main() -> int:
    if sys.argv[1:2] == ["--markdown"]:
        print(markdown(json.loads(Path(sys.argv[2], "results.json").read_text())))
        return 0
    out = Path(sys.argv[1])
    queries = json.loads((out / "queries.json").read_text())
    sizes = sorted({row["sessions"] for row in queries["rows"]})
    rows = []
    failed = []
    for q in queries["rows"]:
        run, cpu = read_wrk(out / f"wrk-{q['slug']}-{q['kind']}.txt")
        seconds = run["duration_us"] / 1e6
        rps = run["requests"] / seconds
        target = TARGETS["small"] if q["sessions"] == sizes[0] else TARGETS["large"]
        errors = sum(run["errors"].values())
        if errors:
            failed.append(f"{q['url']}: {run['errors']}")
        rows.append(
            {
                "url": q["url"],
                "slug": q["slug"],
                "kind": q["kind"],
                "sessions": q["sessions"],
                "response_bytes": q["bytes"],
                "requests": run["requests"],
                "seconds": round(seconds, 2),
                "requests_per_second": round(rps, 1),
                "latency_ms": {k: round(v / 1000, 2) for k, v in run["latency_us"].items()},
                "errors": run["errors"],
                "target_rps": target,
                "meets_target": rps >= target,
                "queries_miss": q["queries_miss"],
                "queries_hit": q["queries_hit"],
                "cpu": cpu,
            }
        )

    document = {
        "date_utc": os.environ.get("BENCH_DATE")
        or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": os.environ.get("BENCH_COMMAND", "make bench").replace(
            os.environ.get("DATABASE_URL") or "\0", safe_url(os.environ.get("DATABASE_URL", ""))
        ),
        "machine": machine(),
        "source": source(),
        "patch": os.environ.get("BENCH_PATCH") or None,
        "loadavg_before": os.environ.get("BENCH_LOADAVG_BEFORE"),
        "cpu_calibration": (
            json.loads((out / "calibration.json").read_text())
            if (out / "calibration.json").exists()
            else None
        ),
        "database": {
            "vendor": queries["vendor"],
            "version": queries.get("version"),
            "url": safe_url(os.environ.get("DATABASE_URL", "")),
        },
        "cache_backend": os.environ.get(
            "CONVOCATION_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "server": {
            "gunicorn_workers": int(os.environ.get("BENCH_WORKERS", "2")),
            "worker_class": os.environ.get("BENCH_WORKER_CLASS", "sync"),
            "threads": int(os.environ.get("BENCH_THREADS", "1")),
            "bind": "127.0.0.1 (free port)",
        },
        "load": {
            "tool": "wrk",
            "threads": int(os.environ.get("BENCH_WRK_THREADS", "2")),
            "connections": int(os.environ.get("BENCH_CONNECTIONS", "16")),
            "duration": os.environ.get("BENCH_DURATION", "10s"),
        },
        "targets_rps": {
            f"{sizes[0]} sessions": TARGETS["small"],
            f"{sizes[-1]} sessions": TARGETS["large"],
        },
        "queries_constant": queries["constant"],
        "results": rows,
    }
    (out / "results.json").write_text(json.dumps(document, indent=2) + "\n")

    m = document["machine"]
    s = document["server"]
    print()
    print(
        f"{document['date_utc']}  {m['nproc']} × {m['cpu_model']}, {m['memory_gib']} GiB, "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}"
    )
    print(
        f"database {queries['vendor']} {queries.get('version') or ''}, "
        f"gunicorn {s['gunicorn_workers']} × {s['worker_class']}"
        + (f" ({s['threads']} threads)" if s["worker_class"] == "gthread" else "")
        + f", wrk -t{document['load']['threads']} -c{document['load']['connections']}"
        f" -d{document['load']['duration']} --latency"
    )
    src = document["source"]
    print(
        f"code: {src['package']}"
        + (f" at {src['commit'][:12]}" if src["commit"] else "")
        + (" (src/ modified)" if src["src_modified"] else "")
        + (f", patched by {document['patch']}" if document["patch"] else "")
    )
    print(f"load average before the run: {document['loadavg_before']}", end="")
    if document["cpu_calibration"]:
        c = document["cpu_calibration"]
        print(f"; CPU calibration {c['before_ms']} ms before, {c['after_ms']} ms after", end="")
    print()
    print()
    header = (
        f"{'URL':<38} {'sess':>4} {'KiB':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'target':>6} {'ok':>4} {'SQL miss/hit':>12} {'other CPU':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['url']:<38} {r['sessions']:>4} {r['response_bytes'] / 1024:>6.1f} "
            f"{r['requests_per_second']:>8.0f} {r['latency_ms']['p50']:>7.1f} "
            f"{r['latency_ms']['p99']:>7.1f} {r['target_rps']:>6} "
            f"{'yes' if r['meets_target'] else 'MISS':>4} "
            f"{r['queries_miss']:>6}/{r['queries_hit']:<5} "
            f"{other_cpu_text(r['cpu']):>9}"
        )
    print()
    print(
        "SQL queries per request "
        + (
            "do not grow with the number of sessions"
            if queries["constant"]
            else "GROW with the number of sessions"
        )
    )
    if any(r["cpu"] and r["cpu"].get("postgresql_backends_ended") for r in rows):
        print(
            "* a PostgreSQL backend ended during the run (its connection reached "
            "CONVOCATION_DB_CONN_MAX_AGE): its CPU time is counted under 'other CPU'"
        )
    busy = [r for r in rows if r["cpu"] and other_cpu(r["cpu"]) > 10]
    if busy:
        print(
            f"note: other processes or the host took over 10% of the machine's CPU during "
            f"{len(busy)} of the runs (column 'other CPU'); those figures are low, run again"
        )
    missed = [r["url"] for r in rows if not r["meets_target"]]
    if missed:
        print(f"target missed for {len(missed)} of {len(rows)} URLs (see docs/performance.md)")
    else:
        print("every URL meets its target")
    print(f"raw results: {out / 'results.json'}")
    if failed:
        print("errors or non-2xx answers during the load:", *failed, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
