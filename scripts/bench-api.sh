#!/usr/bin/env bash
# Benchmark: the HTTP API of `crm webhook serve --enable-api` (issue 9), driven by wrk on loopback,
# on PostgreSQL (a pool of connections) and on SQLite: POST /messages with a clientMessageId never
# used before (queued, then sent by the listener's worker to the simulator, which answers at once),
# GET /messages?limit=50 with the same token, and the ceiling of the same listener in the same run:
# GET /livez, which answers 200 without touching the database. No target is set by the issue.
#
# Usage: BENCH_POSTGRES_URL=postgres://postgres:pw@127.0.0.1:54330/postgres scripts/bench-api.sh
#   BENCH_POSTGRES_URL  a server where this user may create the database BENCH_DATABASE (default crm_bench_api,
#                       dropped and created again); not needed with DATABASES=sqlite
#   CRM_BINARY          a built crm (default: swift build -c release first)
#   DURATION=15s WARMUP=3s CONNECTIONS=64 THREADS=2 POOL_SIZE=10 CONTACTS=5000 DATABASES="postgres sqlite"
#   LISTENER_ARGS       more arguments for crm webhook serve (e.g. "--no-worker", "--log-level warning")
#   DRAIN_TIMEOUT=120   seconds to wait after POST /messages for the worker to send what was queued
#   PROFILE=dir         also record 10 s of the listener with perf during each measured run
#                       (dir/perf-<db>-<request>.data) and top (dir/cpu-<db>-<request>.txt)
#   KEEP=1              keep the scratch directory (the listeners' logs, the SQLite database)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk psql sqlite3 python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk postgresql-client sqlite3 python3 curl)" >&2; exit 1; }
done
DURATION=${DURATION:-15s} WARMUP=${WARMUP:-3s} CONNECTIONS=${CONNECTIONS:-64} THREADS=${THREADS:-2} POOL_SIZE=${POOL_SIZE:-10}
CONTACTS=${CONTACTS:-5000} DATABASES=${DATABASES:-"postgres sqlite"} BENCH_DATABASE=${BENCH_DATABASE:-crm_bench_api}
LISTENER_ARGS=${LISTENER_ARGS:-} DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-120}
# wait_for, cpu_ticks and the other helpers the benchmark scripts share.
# shellcheck source=scripts/bench/common.sh
source "$PWD/scripts/bench/common.sh"
require_postgres_url
bench_binary
lua="$PWD/scripts/bench/api.lua"
bench_scratch
bench_api_keys

start_simulator --ack-delay 0

describe_machine
echo "crm: $("$CRM_BINARY" --version); wrk: -t$THREADS -c$CONNECTIONS -d$DURATION after $WARMUP of warm-up; pool: $POOL_SIZE; contacts: $CONTACTS"
[ -z "${BENCH_POSTGRES_URL:-}" ] || describe_postgres "$BENCH_POSTGRES_URL"
tick=$(getconf CLK_TCK)
sent_by_simulator() { curl -fsS "$EVOLUTION_API_URL/_simulator/sent" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
# The listener's answers so far by method and status (crm_http_requests_total on GET /metrics): "POST_202=N ..."
statuses() { curl -fsS "$base/metrics" | sed -n 's/^crm_http_requests_total{method="\([A-Z]*\)",status="\([0-9]*\)"} \([0-9]*\)$/\1_\2=\3/p' | tr '\n' ' '; }
# The POST answers between two statuses() snapshots: how many were 2xx, then all by status ("202×12,345, 500×2").
post_answers() {
    python3 - "$1" "$2" <<'PY'
import sys
parse = lambda s: {k: int(v) for k, v in (kv.split("=") for kv in s.split())}
before, after = parse(sys.argv[1]), parse(sys.argv[2])
diff = {k[5:]: after[k] - before.get(k, 0) for k in sorted(after) if k.startswith("POST_")}
print(sum(n for status, n in diff.items() if status.startswith("2")),
      ", ".join(f"{status}×{count:,}" for status, count in diff.items() if count > 0) or "none")
PY
}
# CPU the listener (and its PostgreSQL backends) used during one wrk run, in cores: "listener 0.93, PostgreSQL 0.41".
cpu_used() {
    python3 -c 'import sys; t, s, l, p, kind = sys.argv[1:]; sec = float(s)
line = f"listener {int(l) / int(t) / sec:.2f}" + (f", PostgreSQL {int(p) / int(t) / sec:.2f}" if kind == "postgres" else "")
print(line + " cores")' "$tick" "$1" "$2" "$3" "$kind"
}
backend_ticks() {
    local total=0
    if [ "$kind" = postgres ]; then
        for pid in $(query "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); do
            total=$((total + $(cpu_ticks "$pid")))
        done
    fi
    echo "$total"
}
seconds=$(python3 -c "import sys; d = sys.argv[1]; print(float(d[:-1]) * {'s': 1, 'm': 60, 'h': 3600}[d[-1]])" "$DURATION")
# One wrk run against URL with the Lua arguments after a warm-up (@RUN@ in them becomes W<run> for the
# warm-up, R<run> for the measured run: ids never used before); appends a row to the table, prints the CPU
# used, and leaves the listener's answers before the measured run in $status_before.
measure() {
    local name=$1 target=$2; shift 2  # not "url": backend_ticks reads the database's $url
    local before_ticks before_backends result slug
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$lua" "$target" -- "${@/@RUN@/W$run}" >/dev/null
    sleep 1  # the warm-up's last requests finish
    status_before=$(statuses) before_ticks=$(cpu_ticks "$listener") before_backends=$(backend_ticks)
    if [ -n "${PROFILE:-}" ]; then
        mkdir -p "$PROFILE"
        slug=$(echo "$name" | tr -cs 'a-zA-Z' '-' | sed 's/-$//' | tr 'A-Z' 'a-z')
        (sleep 2; perf record -F 499 -g -p "$listener" -o "$PROFILE/perf-$kind-$slug.data" -- sleep 10 >/dev/null 2>&1) &
        (sleep 2; top -b -d 10 -n 2 >"$PROFILE/cpu-$kind-$slug.txt") &
    fi
    result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$lua" "$target" -- "${@/@RUN@/R$run}" | grep '^RESULT')
    echo "  $name: CPU $(cpu_used "$seconds" $(($(cpu_ticks "$listener") - before_ticks)) $(($(backend_ticks) - before_backends)))"
    result_row "$kind | $name" "$result" >>"$work/table.md"
}

for kind in $DATABASES; do
    echo "== $kind, load $(load_average)"
    case $kind in
    postgres)
        url=$(scratch_postgres "$BENCH_POSTGRES_URL" "$BENCH_DATABASE")
        query() { psql "$url" -tAF' ' -c "$1"; }
        "$CRM_BINARY" db migrate --database "$url" >/dev/null
        ;;
    sqlite)
        url="sqlite://$work/bench.sqlite"
        query() { sqlite3 -separator ' ' "$work/bench.sqlite" "$1"; }
        "$CRM_BINARY" db migrate --database "$url" >/dev/null
        ;;
    *) echo "unknown database kind $kind" >&2; exit 1 ;;
    esac
    # A unit paired with the simulator (crm-bench-<db>: an instance of its own), with its webhooks off:
    # the listener would also store 4 per message sent (send.message and three receipts), which
    # scripts/bench-listener.sh measures; here the API is measured, with the worker sending beside it.
    pair_bench_unit "$kind" "$url"
    sent_before=$(sent_by_simulator)

    # The rate limits would answer 429 (webhooks: 2,000/s per client; API: 600/min per user; logins: 5/min).
    # shellcheck disable=SC2086
    "$CRM_BINARY" webhook serve --enable-api --port 0 --database "$url" --db-pool-size "$POOL_SIZE" \
        --rate-limit-client 1000000 --rate-limit-unit 1000000 --login-rate-limit 10000 --api-rate-limit 1000000 \
        --access-token-ttl 2h $LISTENER_ARGS 2>"$work/listener-$kind.log" &
    listener=$!
    pids+=($listener)
    base="http://127.0.0.1:$(wait_for "$work/listener-$kind.log" 'url=http://127\.0\.0\.1:([0-9]+)')"
    token=$(curl -fsS "$base/admin/login" -H 'Content-Type: application/json' \
        -d "{\"email\": \"agent@bench-$kind.example\", \"password\": \"$password\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])')
    run=$(date +%s%N | tail -c 7)

    # 1. POST /messages; then what the database holds of the measured run's ids (bench-R<run>-…).
    measure "POST /messages" "$base" post "$token" @RUN@ "$CONTACTS"
    sleep 1  # the requests in flight when wrk stopped finish
    read -r accepted answers < <(post_answers "$status_before" "$(statuses)")
    read -r stored distinct sent_now < <(query "SELECT count(*), count(DISTINCT client_message_id),
        sum(CASE WHEN status <> 'queued' THEN 1 ELSE 0 END) FROM messages WHERE client_message_id LIKE 'bench-R$run-%'")
    verdict=$([ "$stored" -ge "$accepted" ] && [ "$stored" -le $((accepted + CONNECTIONS)) ] && [ "$stored" = "$distinct" ] && echo ok || echo MISMATCH)
    echo "  POST /messages answers: $answers; stored $stored messages ($distinct distinct ids; $verdict: 2xx ≤ stored ≤ 2xx + $CONNECTIONS in flight), $sent_now already sent"
    waited=0
    while [ "$(query "SELECT count(*) FROM messages WHERE status = 'queued'")" != 0 ] && [ "$waited" -lt "$DRAIN_TIMEOUT" ]; do
        sleep 1; waited=$((waited + 1))
    done
    read -r total sent failed queued < <(query "SELECT count(*), sum(CASE WHEN status = 'sent' THEN 1 ELSE 0 END),
        sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) FROM messages")
    echo "  the worker, ${waited} s after: $total messages in all (warm-up included): $sent sent, $failed failed, $queued still queued;" \
        "the simulator accepted $(($(sent_by_simulator) - sent_before)) sends"

    # 2. GET /messages?limit=50, the newest first, over those messages.
    measure "GET /messages?limit=50" "$base/messages?limit=50" get "$token"
    # 3. The ceiling: the same listener, no database.
    measure "GET /livez (ceiling)" "$base/livez"

    kill -TERM "$listener"
    wait "$listener" || true
    if grep -qF "$token" "$work/listener-$kind.log"; then echo "  the listener's log holds the access token!" >&2; fi
    echo "  load $(load_average)"
done

echo
echo "| database | request | requests/s | p50 | p90 | p99 | max | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
cat "$work/table.md"
echo "load average at the end: $(load_average)"
