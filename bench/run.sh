#!/usr/bin/env bash
# make bench: throughput and latency of the meeting page and its two exports, on a meeting
# of 8 sessions (the demo's att-csp12-wg) and one of 400 (bench-400), served by gunicorn on
# 127.0.0.1 and loaded with wrk; and the SQL queries each request makes. Then the
# registration submit: POSTs of the registration form by 32 concurrent clients, each request
# a new delegate's registration (bench/registration_submit.py). A benchmark, not a test: a
# missed target is reported, not failed. See docs/performance.md.
#
# Settings (environment):
#   DATABASE_URL          default: a fresh SQLite file var/bench/bench.sqlite3; a postgres://
#                         database is created when missing and reused (the data is idempotent)
#   BENCH_WORKERS         gunicorn workers (default 2, one per core)
#   BENCH_WORKER_CLASS    gunicorn worker class, sync (default) or gthread
#   BENCH_THREADS         threads per gthread worker (default 4)
#   BENCH_DURATION        length of each wrk run (default 10s)
#   BENCH_DIR             where the database, logs and results go (default var/bench)
#   BENCH_LETTERS         0 skips the render times of the letters (bench/letter_render.py)
#   BENCH_DOCUMENTS       0 skips the document library (bench/documents_library.py)
#   BENCH_REPORTS         0 skips the reports (bench/reports_bench.py, always on PostgreSQL:
#                         BENCH_REPORTS_DATABASE_URL, default convocation_stats_bench)
#   BENCH_REGISTRATION    0 skips the registration submit (bench/registration_submit.py)
#   BENCH_REGISTRATION_USERS  signed-in delegates seeded for it (default 20000): more than
#                         the requests of one run (a 10 s run makes a few thousand)
#   BENCH_PATCH           a module imported after Django is set up, in the server and in the
#                         query count, to measure a proposed change to the app before making
#                         it (put its folder on PYTHONPATH); recorded in results.json
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BIN=${BENCH_BIN:-.venv/bin}
OUT=${BENCH_DIR:-var/bench}
HOST=127.0.0.1  # the only address ever loaded; not configurable on purpose
export BENCH_WORKERS=${BENCH_WORKERS:-2}
export BENCH_WORKER_CLASS=${BENCH_WORKER_CLASS:-sync}
export BENCH_THREADS=${BENCH_THREADS:-4}
export BENCH_DURATION=${BENCH_DURATION:-10s}
export BENCH_CONNECTIONS=16
export BENCH_WRK_THREADS=2
SLUGS=(att-csp12-wg bench-400)
KINDS=(page ics json)
declare -A PATHS=([page]="" [ics]="schedule.ics" [json]="schedule.json")

step() { printf '\n== %s\n' "$*"; }

case $BENCH_WORKER_CLASS in
  sync) worker_args=(--worker-class sync); BENCH_THREADS=1 ;;
  gthread) worker_args=(--worker-class gthread --threads "$BENCH_THREADS") ;;
  *) echo "bench: BENCH_WORKER_CLASS must be sync or gthread" >&2; exit 2 ;;
esac

test -x "$BIN/convocation" || { echo "bench: no $BIN/convocation; run make test or make demo" >&2; exit 2; }

if ! command -v wrk >/dev/null; then
  step "installing wrk from Debian"
  if [ "$(id -u)" != 0 ]; then
    echo "bench: wrk is missing; install it (apt-get install wrk) or run as root" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/wrk-*.txt "$OUT"/queries.json "$OUT"/results.json "$OUT"/calibration.json \
  "$OUT"/gunicorn.log "$OUT"/registration.json "$OUT"/registration-wrk.txt \
  "$OUT"/registration-users.tsv "$OUT"/registration-load.tsv
REGISTRATION=${BENCH_REGISTRATION:-1}

# The environment of every command below, and of the server.
unset CONVOCATION_DEBUG
export CONVOCATION_ALLOWED_HOSTS=127.0.0.1,localhost
export CONVOCATION_DATA_DIR=$OUT
export DJANGO_SETTINGS_MODULE=convocation.settings
if [ -z "${DATABASE_URL:-}" ]; then
  rm -f "$OUT"/bench.sqlite3 "$OUT"/bench.sqlite3-wal "$OUT"/bench.sqlite3-shm
  export DATABASE_URL=sqlite:///$OUT/bench.sqlite3
  export BENCH_COMMAND="make bench"
else
  export BENCH_COMMAND="DATABASE_URL=$DATABASE_URL make bench"
fi
if [ -n "${BENCH_PATCH:-}" ]; then
  BENCH_COMMAND="PYTHONPATH=${PYTHONPATH:-} BENCH_PATCH=$BENCH_PATCH $BENCH_COMMAND"
  app=(--pythonpath "$ROOT/bench" bench_wsgi:application)
else
  app=(convocation.wsgi:application)
fi
if [ "$BENCH_WORKERS" != 2 ]; then
  BENCH_COMMAND="BENCH_WORKERS=$BENCH_WORKERS $BENCH_COMMAND"
fi
if [ "$BENCH_WORKER_CLASS" != sync ]; then
  BENCH_COMMAND="BENCH_WORKER_CLASS=$BENCH_WORKER_CLASS BENCH_THREADS=$BENCH_THREADS $BENCH_COMMAND"
fi
BENCH_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export BENCH_DATE
# The machine's load before the run: other processes on the same 2 cores skew every figure.
export BENCH_LOADAVG_BEFORE
BENCH_LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
echo "load average before the run: $BENCH_LOADAVG_BEFORE"

step "database: ${DATABASE_URL%%\?*}"
"$BIN/python" bench/ensure_database.py
"$BIN/convocation" migrate --no-input -v 0
"$BIN/convocation" load-demo
"$BIN/python" bench/seed.py
if [ "$REGISTRATION" != 0 ]; then
  # Meeting bench-registration and its delegates, each with a session and a CSRF cookie.
  "$BIN/python" bench/seed_registration.py "$OUT/registration-users.tsv"
fi

step "SQL queries per request (in-process, Django test Client; miss = first request, hit = second)"
"$BIN/python" bench/queries.py "$OUT/queries.json" "${SLUGS[@]}"

SERVER_PID=
CHILD_PID=
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      for child in $(pgrep -P "$SERVER_PID" || true); do kill -KILL "$child" 2>/dev/null || true; done
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  echo "server $SERVER_PID stopped"
  SERVER_PID=
}
cleanup() {
  if [ -n "$CHILD_PID" ]; then  # interrupted during the load: stop it (load.py stops wrk)
    kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
  fi
  stop_server
}
# Long steps run in the background and are waited for, so that a signal is handled at once
# rather than when the step ends.
in_background() {
  "$@" &
  CHILD_PID=$!
  local status=0
  wait "$CHILD_PID" || status=$?
  CHILD_PID=
  return "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

step "gunicorn: $BENCH_WORKERS × $BENCH_WORKER_CLASS on $HOST, a free port"
# Port 0: the kernel picks a free port when gunicorn binds; its log tells which.
"$BIN/gunicorn" "${app[@]}" \
  --workers "$BENCH_WORKERS" "${worker_args[@]}" \
  --bind "$HOST:0" --no-control-socket --graceful-timeout 5 \
  --error-logfile "$OUT/gunicorn.log" --log-level info &
SERVER_PID=$!
PORT=
for _ in $(seq 1 100); do
  PORT=$(sed -n "s#.*Listening at: http://$HOST:\([0-9]*\).*#\1#p" "$OUT/gunicorn.log" 2>/dev/null | tail -1 || true)
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$PORT" ]; then
  echo "bench: gunicorn did not start; its log:" >&2
  cat "$OUT/gunicorn.log" >&2 || true
  exit 1
fi
BASE=http://$HOST:$PORT
echo "serving at $BASE (pid $SERVER_PID)"

runs=()
for slug in "${SLUGS[@]}"; do
  for kind in "${KINDS[@]}"; do runs+=("$slug-$kind=$BASE/meetings/$slug/${PATHS[$kind]}"); done
done
in_background "$BIN/python" bench/warm_up.py "${runs[@]}"

in_background "$BIN/python" bench/load.py "$OUT" "$SERVER_PID" "${runs[@]}"

if [ "$REGISTRATION" != 0 ]; then
  step "registration submit: POSTs of the form, a new delegate each (bench/registration_submit.py)"
  in_background "$BIN/python" bench/registration_submit.py run "$OUT" "$SERVER_PID" "$BASE"
fi

stop_server

step "results"
failed=0
"$BIN/python" bench/report.py "$OUT" || failed=$?
"$BIN/python" bench/registration_submit.py report "$OUT" || failed=$?

# Render times of the invitation letters, in-process, on the same database (its own script,
# which writes var/bench/letters.json).
if [ -f bench/letter_render.py ] && [ "${BENCH_LETTERS:-1}" != 0 ]; then
  step "letters: render times (bench/letter_render.py)"
  in_background "$BIN/python" bench/letter_render.py
fi

# The document library with 10,000 documents: queries per page and render times, in-process
# on the same database.
if [ "${BENCH_DOCUMENTS:-1}" != 0 ]; then
  step "documents: the library with 10,000 documents (bench/documents_library.py)"
  in_background "$BIN/python" bench/documents_library.py "$OUT/documents.json"
fi

# The meeting report and the trend report over 50 meetings and 100,000 registrations. Always
# on PostgreSQL (its own database, seeded once and kept): the target is PostgreSQL's.
if [ "${BENCH_REPORTS:-1}" != 0 ]; then
  step "reports: meeting and trend reports over 100,000 registrations (bench/reports_bench.py)"
  in_background env DATABASE_URL="${BENCH_REPORTS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/convocation_stats_bench}" \
    "$BIN/python" bench/reports_bench.py "$OUT/reports.json"
fi
exit "$failed"
