#!/usr/bin/env bash
# Benchmark: `crm webhook serve` storing Evolution `messages.upsert` webhooks, on PostgreSQL (a
# pool of connections) and on SQLite, driven by wrk; and the ceiling of the same machine in the
# same run: wrk against GET /livez, which answers 200 without touching the database.
# Target (issue): >= 5,000 stored events/s and p99 <= 25 ms on each database.
#
# Usage: BENCH_POSTGRES_URL=postgres://postgres:pw@127.0.0.1:54330/postgres scripts/bench-listener.sh
#   BENCH_POSTGRES_URL  a server where this user may create the database BENCH_DATABASE (default crm_bench,
#                       dropped and created again); the figures depend on its settings (fsync!), printed below.
#   CRM_BINARY          a built crm (default: swift build -c release first)
#   DURATION=20s CONNECTIONS=64 THREADS=2 POOL_SIZE=10 CONTACTS=10000 DATABASES="postgres sqlite"
#   LISTENER_ARGS       more arguments for crm webhook serve (e.g. "--log-format json"; keep the log level at info:
#                       the listener's address is read from its log)
#   PROFILE=dir         also record 10 s of the listener with perf during each measured run (dir/perf-<db>.data)
#                       and the CPU time each process used (dir/cpu-<db>.txt)
#   KEEP=1              keep the scratch directory (the listeners' logs, the SQLite database)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk psql sqlite3 python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk postgresql-client sqlite3 python3)" >&2; exit 1; }
done
: "${BENCH_POSTGRES_URL:?set BENCH_POSTGRES_URL to a PostgreSQL server URL (see docs/performance.md)}"
DURATION=${DURATION:-20s} CONNECTIONS=${CONNECTIONS:-64} THREADS=${THREADS:-2} POOL_SIZE=${POOL_SIZE:-10}
CONTACTS=${CONTACTS:-10000} DATABASES=${DATABASES:-"postgres sqlite"} BENCH_DATABASE=${BENCH_DATABASE:-crm_bench}
LISTENER_ARGS=${LISTENER_ARGS:-}
# wait_for, cpu_ticks and the other helpers the benchmark scripts share.
# shellcheck source=scripts/bench/common.sh
source "$PWD/scripts/bench/common.sh"
bench_binary
lua="$PWD/scripts/bench/evolution-upsert.lua"
bench_scratch
start_simulator
tick=$(getconf CLK_TCK)

describe_machine
echo "crm: $("$CRM_BINARY" --version); wrk: -t$THREADS -c$CONNECTIONS -d$DURATION; pool: $POOL_SIZE; contacts: $CONTACTS"
describe_postgres "$BENCH_POSTGRES_URL"

# CPU ticks used so far by the listener's PostgreSQL connections (0 on SQLite): they stay open for the run.
backend_ticks() {
    local total=0
    if [ "$kind" = postgres ]; then
        for pid in $(psql "$url" -tAc "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); do
            total=$((total + $(cpu_ticks "$pid")))
        done
    fi
    echo "$total"
}

# RESULT line of the Lua script → "key=value" pairs; prints a summary line and checks the counts.
report() {
    local name=$1 result=$2 stored=$3
    python3 - "$name" "$result" "$stored" "$CONNECTIONS" <<'PY'
import sys
name, line, stored, connections = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
r = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
seconds = r["duration_us"] / 1e6
ok = r["requests"] - r["non2xx"]
errors = r["non2xx"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
line = (f"{name}: {r['requests'] / seconds:,.0f} requests/s, p50 {r['p50_us'] / 1000:.1f} ms, "
        f"p90 {r['p90_us'] / 1000:.1f} ms, p99 {r['p99_us'] / 1000:.1f} ms, max {r['max_us'] / 1000:.1f} ms, "
        f"{ok:,} answered 200, {errors} errors")
if stored >= 0:
    # Requests still in flight when wrk stops are stored but not counted by wrk: at most one per connection.
    verdict = "ok" if ok <= stored <= ok + connections else "MISMATCH"
    line += f", {stored:,} messages stored ({stored / seconds:,.0f}/s; {verdict})"
    target = r["requests"] / seconds >= 5000 and r["p99_us"] <= 25000 and errors == 0
    line += f" — target >= 5,000/s and p99 <= 25 ms: {'PASS' if target else 'FAIL'}"
print(line)
PY
}

for kind in $DATABASES; do
    case $kind in
    postgres)
        url=$(scratch_postgres "$BENCH_POSTGRES_URL" "$BENCH_DATABASE")
        count() { psql "$url" -tAc "SELECT count(*) FROM messages"; }
        "$CRM_BINARY" db migrate --database "$url" >/dev/null
        ;;
    sqlite)
        url="sqlite://$work/bench.sqlite"
        count() { sqlite3 "$work/bench.sqlite" "SELECT count(*) FROM messages"; }
        ;;
    *) echo "unknown database kind $kind" >&2; exit 1 ;;
    esac
    "$CRM_BINARY" units create Bench --database "$url" >/dev/null
    # The rate limits (2,000/s per client, 500/s per unit by default) would answer 429: the benchmark measures storing.
    # shellcheck disable=SC2086
    "$CRM_BINARY" webhook serve --port 0 --database "$url" --db-pool-size "$POOL_SIZE" \
        --rate-limit-client 1000000 --rate-limit-unit 1000000 $LISTENER_ARGS 2>"$work/listener-$kind.log" &
    listener=$!
    pids+=($listener)
    base="http://127.0.0.1:$(wait_for "$work/listener-$kind.log" 'url=http://127\.0\.0\.1:([0-9]+)')"
    connect=$("$CRM_BINARY" whatsapp connect --unit bench --no-wait --json --database "$url" --base-url "$base")
    read -r path instance < <(python3 -c 'import json, sys; d = json.load(sys.stdin); u = d["webhookURL"]
print(u[u.index("/webhooks/"):], d["connection"]["instance"])' <<<"$connect")
    run=$(date +%s%N | tail -c 7)

    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$lua" "$base" -- "$path" "$instance" "W$run" "$CONTACTS" >/dev/null
    sleep 1  # the warm-up's last requests finish before counting
    # The database is new: the listener's connections planned crm_store_inbound_batch at their
    # first batches, for empty tables, and keep those plans (sequential scans of messages and
    # conversations) until an ANALYZE. In production autovacuum analyzes tables as they grow; in a
    # 20 s run its once-a-minute pass may not come, so analyze here, as a database in use would be.
    if [ "$kind" = postgres ]; then psql "$url" -qc "ANALYZE"; fi
    before=$(count) listener_before=$(cpu_ticks "$listener") backends_before=$(backend_ticks)
    if [ -n "${PROFILE:-}" ]; then
        mkdir -p "$PROFILE"
        (sleep 3; perf record -F 499 -g -p "$listener" -o "$PROFILE/perf-$kind.data" -- sleep 10 >/dev/null 2>&1) &
        (sleep 3; top -b -d 10 -n 2 >"$PROFILE/cpu-$kind.txt") &
    fi
    result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$lua" "$base" -- "$path" "$instance" "R$run" "$CONTACTS" | grep '^RESULT')
    sleep 1  # the last requests in flight finish
    after=$(count)
    report "$kind" "$result" $((after - before))
    python3 -c 'import sys; tick, stored, listener, backends = map(int, sys.argv[1:])
per = lambda ticks: ticks / tick / max(stored, 1) * 1e6
print(f"  CPU per stored message: listener {per(listener):.0f} µs" + (f", PostgreSQL {per(backends):.0f} µs" if backends else ""))' \
        "$tick" $((after - before)) $(($(cpu_ticks "$listener") - listener_before)) $(($(backend_ticks) - backends_before))

    ceiling=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$lua" "$base/livez" | grep '^RESULT')
    report "ceiling (GET /livez, $kind listener)" "$ceiling" -1
    # This machine's speed drifts by half within minutes, and the ceiling with it: the share of the
    # ceiling is what compares two runs (or two commits) made at different moments.
    python3 - "$result" "$ceiling" <<'PY'
import sys
def rate(line):
    r = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    return r["requests"] / r["duration_us"]
print(f"  requests/s as a share of the ceiling: {rate(sys.argv[1]) / rate(sys.argv[2]) * 100:.1f} %")
PY

    kill -TERM "$listener"
    wait "$listener" || true
done
