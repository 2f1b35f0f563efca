#!/usr/bin/env bash
# Benchmark: how soon a change reaches GET /events (issue 9, live events), release build, loopback.
# Two listeners share one database: a message posted to the first (POST /messages) must reach a
# subscriber of the second. On PostgreSQL the second hears of it through LISTEN/NOTIFY; on SQLite
# (the reference: no notices between processes) only by polling, every 0.5 s by default.
#
# Usage: BENCH_POSTGRES_URL=postgres://postgres:pw@127.0.0.1:54330/postgres scripts/bench-events.sh
#   BENCH_POSTGRES_URL  a server where this user may create the database BENCH_DATABASE (default crm_bench_events,
#                       dropped and created again); not needed with DATABASES=sqlite
#   CRM_BINARY          a built crm (default: swift build -c release first)
#   COUNT=200 DATABASES="postgres sqlite" KEEP=1 (keep the scratch directory)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in psql python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install postgresql-client python3 curl)" >&2; exit 1; }
done
COUNT=${COUNT:-200} DATABASES=${DATABASES:-"postgres sqlite"} BENCH_DATABASE=${BENCH_DATABASE:-crm_bench_events}
# wait_for, cpu_ticks and the other helpers the benchmark scripts share.
# shellcheck source=scripts/bench/common.sh
source "$PWD/scripts/bench/common.sh"
require_postgres_url
bench_binary
bench_scratch
bench_api_keys

start_simulator --ack-delay 0

describe_machine
echo "crm: $("$CRM_BINARY" --version); $COUNT messages, one at a time, 20–550 ms apart (out of step with the 0.5 s poll)"
[ -z "${BENCH_POSTGRES_URL:-}" ] || describe_postgres "$BENCH_POSTGRES_URL"
listen() {  # listen NAME ARGS...: starts a listener and sets $base to its URL (not in $(…): it stays running)
    local name=$1; shift
    "$CRM_BINARY" webhook serve --enable-api --port 0 --database "$url" --login-rate-limit 10000 --api-rate-limit 1000000 \
        --access-token-ttl 2h "$@" 2>"$work/listener-$name.log" &
    pids+=($!)
    base="http://127.0.0.1:$(wait_for "$work/listener-$name.log" 'url=http://127\.0\.0\.1:([0-9]+)')"
}

for kind in $DATABASES; do
    echo "== $kind, load $(load_average)"
    case $kind in
    postgres) url=$(scratch_postgres "$BENCH_POSTGRES_URL" "$BENCH_DATABASE") ;;
    sqlite) url="sqlite://$work/bench.sqlite" ;;
    *) echo "unknown database kind $kind" >&2; exit 1 ;;
    esac
    "$CRM_BINARY" db migrate --database "$url" >/dev/null
    # A unit paired with the simulator, its webhooks off (the receipts would be more events).
    pair_bench_unit "$kind" "$url"
    listen "$kind-writer"
    writer=$base
    listen "$kind-subscriber" --no-worker
    subscriber=$base
    token=$(curl -fsS "$writer/admin/login" -H 'Content-Type: application/json' \
        -d "{\"email\": \"agent@bench-$kind.example\", \"password\": \"$password\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])')
    result=$(python3 scripts/bench/events.py "$writer" "$subscriber" "$token" "$COUNT" "$(date +%s%N | tail -c 7)")
    python3 - "$kind" "$result" >>"$work/table.md" <<'PY'
import sys
kind, line = sys.argv[1], sys.argv[2]
r = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
how = "LISTEN/NOTIFY" if kind == "postgres" else "polling every 0.5 s (no notices between processes)"
ms = lambda us: f"{us / 1000:.1f} ms"
print(f"| {kind} | {how} | {r['count']} | {ms(r['p50_us'])} | {ms(r['p90_us'])} | {ms(r['p99_us'])} | {ms(r['max_us'])} | {r['misses']} |")
PY
    for pid in "${pids[@]:1}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait "${pids[@]:1}" 2>/dev/null || true
    pids=("${pids[0]}")
done

echo
echo "| database | how the second listener learns of it | events | p50 | p90 | p99 | max | missed |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
cat "$work/table.md"
echo "load average at the end: $(load_average)"
