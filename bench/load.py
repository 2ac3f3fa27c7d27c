"""Run wrk against each URL in turn, and account for the machine's CPU during each run.

Usage: python bench/load.py OUT_DIR SERVER_PID URL_NAME=URL ...
For each URL, writes OUT_DIR/wrk-URL_NAME.txt: wrk's own output (with the BENCH_JSON line
of bench/report.lua) and a BENCH_CPU line: the share of the machine's CPU time, during the
run, used by the server (gunicorn's master and workers), by the PostgreSQL backends
connected to the benchmark's database (when DATABASE_URL is PostgreSQL), by wrk, by every
other process, and stolen by the host (a virtual machine's hypervisor). On a shared machine
the last two say how far to trust the figures. OUT_DIR/calibration.json times a fixed
piece of pure-Python work before and after the runs, to compare runs made at different
times.
Only http://127.0.0.1 URLs are accepted.
"""

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

TICK = os.sysconf("SC_CLK_TCK")
WRK = [
    "wrk",
    "-t",
    os.environ.get("BENCH_WRK_THREADS", "2"),
    "-c",
    os.environ.get("BENCH_CONNECTIONS", "16"),
    "-d",
    os.environ.get("BENCH_DURATION", "10s"),
    "--latency",
    "-s",
    str(Path(__file__).with_name("report.lua")),
]


def machine_ticks() -> tuple[int, int, int]:
    """Busy, stolen (by the hypervisor) and total CPU ticks of the machine, all cores."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy, steal, busy + idle + iowait


def process_ticks(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def database_name() -> str | None:
    """The PostgreSQL database of DATABASE_URL; None for SQLite (it runs in the server)."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if not url.scheme.startswith("postgres"):
        return None
    return url.path.lstrip("/") or None


def serving_ticks(master: int, database: str | None) -> tuple[dict[int, int], dict[int, int]]:
    """CPU ticks by process of gunicorn's master and workers (its children), and of the
    PostgreSQL backends serving ``database`` (titled "postgres: [CLUSTER:] USER DATABASE
    HOST..."). By process, because a backend may end and another start during a run
    (connections live CONVOCATION_DB_CONN_MAX_AGE seconds)."""
    server = {master: process_ticks(master)}
    backends = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            pid = int(entry.name)
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                server[pid] = process_ticks(pid)
            elif database and stat.split(" (", 1)[1].startswith("postgres"):
                title = (entry / "cmdline").read_bytes().decode(errors="replace")
                words = title.replace("\0", " ").split()
                if words[:1] == ["postgres:"] and database in words[1:4]:
                    backends[pid] = process_ticks(pid)
        except (OSError, ValueError, IndexError):
            continue
    return server, backends


def grown(before: dict[int, int], after: dict[int, int]) -> int:
    """Ticks used between two snapshots by the processes alive at the second."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items())


def calibration_ms() -> float:
    """A fixed piece of pure-Python work, best of three: how fast this machine's CPU is
    right now. The host shares its cores, and the same code runs slower on a busy host."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load(out: Path, master: int, name: str, url: str) -> None:
    if not url.startswith("http://127.0.0.1:"):
        sys.exit(f"bench/load.py: refusing to load {url}: only http://127.0.0.1 is loaded")
    print(f"\n== {' '.join(WRK[:-2])} {url}", flush=True)
    database = database_name()
    busy0, steal0, total0 = machine_ticks()
    (server0, db0), wrk0 = serving_ticks(master, database), children_seconds()
    run = subprocess.run([*WRK, url], capture_output=True, text=True, check=False)
    busy1, steal1, total1 = machine_ticks()
    (server1, db1), wrk1 = serving_ticks(master, database), children_seconds()
    if run.returncode != 0:
        sys.exit(f"bench/load.py: wrk failed on {url}:\n{run.stdout}{run.stderr}")
    span = max(total1 - total0, 1)
    server = grown(server0, server1) / span
    backends = grown(db0, db1) / span
    client = (wrk1 - wrk0) * TICK / span
    steal = (steal1 - steal0) / span
    other = max((busy1 - busy0) / span - steal - server - backends - client, 0.0)
    cpu = {
        "server_pct": round(100 * server, 1),
        "postgresql_pct": round(100 * backends, 1) if database else None,
        "wrk_pct": round(100 * client, 1),
        "stolen_pct": round(100 * steal, 1),
        # A backend that ended during the run (its connection reached its maximum age) takes
        # its CPU time with it: that time is then counted under other processes.
        "postgresql_backends_ended": len(set(db0) - set(db1)) if database else None,
        "other_processes_pct": round(100 * other, 1),
        "idle_pct": round(100 * (1 - (busy1 - busy0) / span), 1),
    }
    (out / f"wrk-{name}.txt").write_text(run.stdout + "BENCH_CPU " + json.dumps(cpu) + "\n")
    for line in run.stdout.splitlines():
        if "Requests/sec" in line or line.startswith(("     50%", "     99%")):
            print(line)
        if "Non-2xx" in line or "Socket errors" in line:
            print(line)
    print(
        f"CPU of the machine: server {cpu['server_pct']}%, "
        + (f"PostgreSQL {cpu['postgresql_pct']}%, " if database else "")
        + f"wrk {cpu['wrk_pct']}%, other processes {cpu['other_processes_pct']}%, "
        f"stolen by the host {cpu['stolen_pct']}%, idle {cpu['idle_pct']}%"
    )


def main() -> None:
    # Stopped by bench/run.sh: exit, and subprocess.run kills the wrk under way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out, master, *pairs = sys.argv[1:]
    before = calibration_ms()
    for pair in pairs:
        name, url = pair.split("=", 1)
        load(Path(out), int(master), name, url)
    after = calibration_ms()
    print(f"\nCPU calibration (fixed pure-Python work): {before} ms before, {after} ms after")
    calibration = {"before_ms": before, "after_ms": after}
    (Path(out) / "calibration.json").write_text(json.dumps(calibration) + "\n")


if __name__ == "__main__":
    main()
