#!/usr/bin/env bash
# Benchmark (issue 7): `crm send` as a whole process (start-up, opening the database, the unit and its
# connection, storing the message, the provider call to the Evolution simulator on loopback, recording
# it sent, exit), release build, on PostgreSQL and on SQLite, timed by hyperfine; in the same run,
# `crm --version` as the floor of a process start. Each send is one text to a number never used before,
# with its own --client-message-id (contact, conversation and message are created each time).
# Target: median <= 50 ms.
#
# Usage: BENCH_POSTGRES_URL=postgres://postgres:pw@127.0.0.1:54341/postgres scripts/bench-send.sh
#   BENCH_POSTGRES_URL  a server where this user may create the database BENCH_DATABASE (default crm_bench_send,
#                       dropped and created again); not needed with DATABASES=sqlite
#   CRM_BINARY          a built crm (default: swift build -c release first)
#   RUNS=40 WARMUP=5 DATABASES="postgres sqlite"
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine psql sqlite3 python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install hyperfine postgresql-client sqlite3 python3 curl)" >&2; exit 1; }
done
RUNS=${RUNS:-40} WARMUP=${WARMUP:-5}
DATABASES=${DATABASES:-"postgres sqlite"} BENCH_DATABASE=${BENCH_DATABASE:-crm_bench_send}
# wait_for, cpu_ticks and the other helpers the benchmark scripts share.
# shellcheck source=scripts/bench/common.sh
source "$PWD/scripts/bench/common.sh"
require_postgres_url
bench_binary
bench_scratch

sent_count() { curl -fsS "$EVOLUTION_API_URL/_simulator/sent" | python3 -c 'import json, sys; print(sum(1 for s in json.load(sys.stdin) if s["instance"] == sys.argv[1]))' "$1"; }

start_simulator --ack-delay 0

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB," \
    "shared with other engineers' builds and tests"
echo "crm: $("$CRM_BINARY" --version); $RUNS sends per database, each interleaved with a crm --version; the simulator posts no webhooks"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    echo "postgres: $(psql "$BENCH_POSTGRES_URL" -tAc "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync')
        || ', synchronous_commit=' || current_setting('synchronous_commit')")"
fi

first=1000000
for kind in $DATABASES; do
    case $kind in
    postgres)
        psql "$BENCH_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $BENCH_DATABASE" -c "CREATE DATABASE $BENCH_DATABASE"
        url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
            "$BENCH_POSTGRES_URL" "$BENCH_DATABASE")
        "$CRM_BINARY" db migrate --database "$url" >/dev/null
        ;;
    sqlite) url="sqlite://$work/bench.sqlite" ;;
    *) echo "unknown database kind $kind" >&2; exit 1 ;;
    esac
    export CRM_DATABASE_URL=$url  # not on the command line: hyperfine prints it
    unit="bench-$kind"
    "$CRM_BINARY" units create "Bench $kind" >/dev/null  # instance crm-bench-<db> in the simulator
    "$CRM_BINARY" whatsapp connect --unit "$unit" --no-wait --json --base-url "http://127.0.0.1:9" >/dev/null
    curl -fsS -X POST "$EVOLUTION_API_URL/_simulator/instances/crm-$unit/scan" >/dev/null
    "$CRM_BINARY" whatsapp status --unit "$unit" >/dev/null  # records "connected"
    curl -fsS -X POST "$EVOLUTION_API_URL/webhook/set/crm-$unit" -H "apikey: $EVOLUTION_API_KEY" -H 'Content-Type: application/json' \
        -d '{"webhook": {"url": "http://127.0.0.1:9", "enabled": false}}' >/dev/null
    # Warm-up: the first sends (page cache, the database's first plans) are not measured.
    for i in $(seq 1 "$WARMUP"); do
        "$CRM_BINARY" send --unit "$unit" --to "551196$((first + i))" --text "Aquecimento $i" --client-message-id "warmup-$kind-$i" >/dev/null
    done
    before_sent=$(sent_count "crm-$unit")
    before=$(load_average)
    # One hyperfine benchmark per number (-P): each command line is used once, so every send is new.
    # --version runs beside each send, in the same run.
    hyperfine -N --style none --runs 1 -P i "$first" "$((first + RUNS - 1))" --export-json "$work/send-$kind.json" \
        "$CRM_BINARY send --unit $unit --to 551197{i} --text 'Olá! Seu pedido {i} saiu para entrega.' --client-message-id bench-send-$kind-{i}" \
        "$CRM_BINARY --version" >/dev/null
    after=$(load_average)
    sent=$(( $(sent_count "crm-$unit") - before_sent ))
    python3 - "$work/send-$kind.json" "$kind" "$RUNS" "$sent" "$before" "$after" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
kind, runs, sent, before, after = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
def times(prefix):
    return sorted(t * 1000 for r in results if r["command"].split()[1] == prefix for t in r["times"])
def line(ms):
    q = statistics.quantiles(ms, n=10)
    return (f"median {statistics.median(ms):.1f} ms, mean {statistics.mean(ms):.1f} ± {statistics.stdev(ms):.1f} ms, "
            f"min {ms[0]:.1f}, p10 {q[0]:.1f}, p90 {q[-1]:.1f}, max {ms[-1]:.1f} ({len(ms)} runs)")
send, version = times("send"), times("--version")
median = statistics.median(send)
print(f"{kind}: load {before} -> {after}")
print("  crm send   " + line(send) + f" — target median <= 50 ms: {'PASS' if median <= 50 and sent == runs else 'FAIL'}")
print("  --version  " + line(version))
print(f"  checked: the simulator accepted {sent} sends for {runs} runs: {'OK' if sent == runs else 'PROBLEM'}")
if sent != runs:
    sys.exit(1)
PY
    first=$((first + RUNS))
done
