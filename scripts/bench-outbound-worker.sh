#!/usr/bin/env bash
# Benchmark: the listener's outbound worker sending a queue of 10,000 messages through the Evolution
# simulator (answering at once), on PostgreSQL and on SQLite: messages/s from the first send to the
# last (the sent_at stamps), and the listener's RSS over time (sampled every 0.5 s).
# Target (issue 7): >= 1,000 messages/s on each database, memory flat.
#
# Usage: BENCH_POSTGRES_URL=postgres://postgres:pw@127.0.0.1:54330/postgres scripts/bench-outbound-worker.sh
#   BENCH_POSTGRES_URL  a server where this user may create the database BENCH_DATABASE (default crm_bench_outbound,
#                       dropped and created again); not needed with DATABASES=sqlite
#   CRM_BINARY          a built crm (default: swift build -c release first)
#   MESSAGES=10000 CONTACTS=1000 CONCURRENCY=32 POOL_SIZE=10 DATABASES="postgres sqlite"
#   LISTENER_ARGS       more arguments for crm webhook serve
#   ROUNDS=1            queue the same messages again this many times in all, on the same listener (memory over time)
#   STATEMENTS=1        PostgreSQL: the statements' time from pg_stat_statements (the server must preload it)
#   PROFILE=dir         also record 10 s of the listener with perf (dir/perf-<db>.data) and top (dir/cpu-<db>.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in psql sqlite3 python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install postgresql-client sqlite3 python3 curl)" >&2; exit 1; }
done
MESSAGES=${MESSAGES:-10000} CONTACTS=${CONTACTS:-1000} CONCURRENCY=${CONCURRENCY:-32} POOL_SIZE=${POOL_SIZE:-10}
DATABASES=${DATABASES:-"postgres sqlite"} BENCH_DATABASE=${BENCH_DATABASE:-crm_bench_outbound}
LISTENER_ARGS=${LISTENER_ARGS:-} ROUNDS=${ROUNDS:-1}
# wait_for, cpu_ticks and the other helpers the benchmark scripts share.
# shellcheck source=scripts/bench/common.sh
source "$PWD/scripts/bench/common.sh"
require_postgres_url
bench_binary
bench_scratch


start_simulator --ack-delay 0

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "crm: $("$CRM_BINARY" --version); messages: $MESSAGES to $CONTACTS contacts; --worker-concurrency $CONCURRENCY; pool: $POOL_SIZE; the simulator posts no webhooks"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    echo "postgres: $(psql "$BENCH_POSTGRES_URL" -tAc "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync')
        || ', synchronous_commit=' || current_setting('synchronous_commit') || ', shared_buffers=' || current_setting('shared_buffers')")"
fi

tick=$(getconf CLK_TCK)

# The queue, written with SQL: CONTACTS contacts with a conversation each, MESSAGES queued texts
# in turn to them, queued a microsecond apart (the worker sends the oldest first).
seed_postgres() {
    psql "$1" -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO contacts (id, unit_id, phone, created_at, updated_at)
SELECT gen_random_uuid(), u.id, '5511' || lpad(i::text, 9, '0'), now(), now()
FROM units u, generate_series(0, $CONTACTS - 1) i WHERE u.slug = 'bench-$kind';
INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
SELECT gen_random_uuid(), c.unit_id, c.id, now(), now() FROM contacts c;
INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, client_message_id, provider,
                      status, retry_count, queued_at, created_at, updated_at)
SELECT gen_random_uuid(), v.unit_id, v.id, v.contact_id, 'outbound', 'text', 'Mensagem ' || i, 'bench-' || i, 'evolution',
       'queued', 0, now() + i * interval '1 microsecond', now(), now()
FROM generate_series(0, $MESSAGES - 1) i
JOIN (SELECT v.*, row_number() OVER (ORDER BY v.id) - 1 AS k FROM conversations v) v ON v.k = i % $CONTACTS;
SQL
}

seed_sqlite() {
    # Ids as crm stores them on SQLite (upper-case UUID text), times as seconds since 1970.
    local uuid="upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
        || hex(randomblob(2)) || '-' || hex(randomblob(6)))"
    local now="((julianday('now') - 2440587.5) * 86400.0)"
    sqlite3 -bail "$1" <<SQL
PRAGMA foreign_keys = ON;
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < $CONTACTS - 1)
INSERT INTO contacts (id, unit_id, phone, created_at, updated_at)
SELECT $uuid, u.id, '5511' || printf('%09d', i), $now, $now FROM units u, seq WHERE u.slug = 'bench-$kind';
INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
SELECT $uuid, c.unit_id, c.id, $now, $now FROM contacts c;
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < $MESSAGES - 1),
     v AS (SELECT v.*, row_number() OVER (ORDER BY v.id) - 1 AS k FROM conversations v)
INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, client_message_id, provider,
                      status, retry_count, queued_at, created_at, updated_at)
SELECT $uuid, v.unit_id, v.id, v.contact_id, 'outbound', 'text', 'Mensagem ' || i, 'bench-' || i, 'evolution',
       'queued', 0, $now + i * 1e-6, $now, $now
FROM seq JOIN v ON v.k = i % $CONTACTS;
SQL
}

for kind in $DATABASES; do
    case $kind in
    postgres)
        psql "$BENCH_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $BENCH_DATABASE" -c "CREATE DATABASE $BENCH_DATABASE"
        url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
            "$BENCH_POSTGRES_URL" "$BENCH_DATABASE")
        query() { psql "$url" -tAF' ' -c "$1"; }
        span="extract(epoch FROM max(sent_at) - min(sent_at))"
        "$CRM_BINARY" db migrate --database "$url" >/dev/null
        [ -n "${STATEMENTS:-}" ] && psql "$url" -q -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" \
            -c "SELECT pg_stat_reset()" -c "SELECT pg_stat_reset_shared('wal')" >/dev/null
        ;;
    sqlite)
        url="sqlite://$work/bench.sqlite"
        query() { sqlite3 -separator ' ' "$work/bench.sqlite" "$1"; }
        span="max(sent_at) - min(sent_at)"
        ;;
    *) echo "unknown database kind $kind" >&2; exit 1 ;;
    esac
    "$CRM_BINARY" units create "Bench $kind" --database "$url" >/dev/null  # crm-bench-<db>: an instance of its own in the simulator
    "$CRM_BINARY" whatsapp connect --unit "bench-$kind" --no-wait --json --database "$url" --base-url "http://127.0.0.1:9" >/dev/null
    curl -fsS -X POST "$EVOLUTION_API_URL/_simulator/instances/crm-bench-$kind/scan" >/dev/null
    "$CRM_BINARY" whatsapp status --unit "bench-$kind" --database "$url" >/dev/null  # records "connected"
    # No webhooks: the listener would also store 4 per message (send.message and three receipts), which
    # scripts/bench-listener.sh measures; here the worker is measured alone.
    curl -fsS -X POST "$EVOLUTION_API_URL/webhook/set/crm-bench-$kind" -H "apikey: $EVOLUTION_API_KEY" -H 'Content-Type: application/json' \
        -d '{"webhook": {"url": "http://127.0.0.1:9", "enabled": false}}' >/dev/null
    sent_before=$(curl -fsS "$EVOLUTION_API_URL/_simulator/sent" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
    if [ "$kind" = postgres ]; then seed_postgres "$url"; else seed_sqlite "$work/bench.sqlite"; fi
    queued=$(query "SELECT count(*) FROM messages WHERE status = 'queued'")
    [ "$queued" = "$MESSAGES" ] || { echo "seeding gave $queued queued messages, not $MESSAGES" >&2; exit 1; }

    # shellcheck disable=SC2086
    "$CRM_BINARY" webhook serve --port 0 --database "$url" --db-pool-size "$POOL_SIZE" --worker-concurrency "$CONCURRENCY" \
        --rate-limit-client 1000000 --rate-limit-unit 1000000 $LISTENER_ARGS 2>"$work/listener-$kind.log" &
    listener=$!
    pids+=($listener)
    started=$(date +%s.%N)
    wait_for "$work/listener-$kind.log" 'url=http://127\.0\.0\.1:([0-9]+)' >/dev/null
    if [ -n "${PROFILE:-}" ]; then
        mkdir -p "$PROFILE"
        (sleep 1; perf record -F 499 -g -p "$listener" -o "$PROFILE/perf-$kind.data" -- sleep 10 >/dev/null 2>&1) &
        (sleep 1; top -b -d 10 -n 2 >"$PROFILE/cpu-$kind.txt") &
    fi
    cpu_start=$(( $(cpu_ticks "$listener") ))
    sim_start=$(( $(cpu_ticks "$simulator") ))
    : >"$work/rss-$kind.txt"
    while :; do
        left=$(query "SELECT count(*) FROM messages WHERE status = 'queued'")
        echo "$(date +%s.%N) $(awk '/VmRSS/ {print $2}' "/proc/$listener/status") $left" >>"$work/rss-$kind.txt"
        [ "$left" = 0 ] && break
        kill -0 "$listener" 2>/dev/null || { echo "the listener stopped:" >&2; cat "$work/listener-$kind.log" >&2; exit 1; }
        sleep 0.5
    done
    finished=$(date +%s.%N)
    # CPU time used for the run (utime + stime): the listener and the simulator since the listener
    # listened, and on PostgreSQL the backends of the listener's pool since they opened.
    listener_cpu=$(( $(cpu_ticks "$listener") - cpu_start ))
    simulator_cpu=$(( $(cpu_ticks "$simulator") - sim_start ))
    backends_cpu=0
    if [ "$kind" = postgres ]; then
        for pid in $(query "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); do
            backends_cpu=$(( backends_cpu + $(cpu_ticks "$pid") ))
        done
    fi
    # What the database says: messages out of the queue, how many failed, attempts, first to last send.
    read -r done failed attempts seconds < <(query "SELECT count(*), sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
        sum(retry_count), $span FROM messages WHERE status <> 'queued'")
    sent_after=$(curl -fsS "$EVOLUTION_API_URL/_simulator/sent" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
    python3 - "$kind" "$MESSAGES" "$done" "$failed" "$attempts" "$seconds" "$started" "$finished" \
        "$((sent_after - sent_before))" "$work/rss-$kind.txt" "$listener_cpu" "$simulator_cpu" "$backends_cpu" "$tick" <<'PY'
import sys
kind, messages, done, failed, attempts = sys.argv[1], *map(int, sys.argv[2:6])
seconds, started, finished, provider_calls, rss_file = float(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9]), sys.argv[10]
listener_cpu, simulator_cpu, backends_cpu, tick = (int(v) for v in sys.argv[11:15])
samples = [line.split() for line in open(rss_file) if len(line.split()) == 3 and line.split()[1].isdigit()]
rss = [int(s[1]) / 1024 for s in samples]
rate = (done - 1) / seconds if seconds > 0 else float("nan")
verdict = "PASS" if rate >= 1000 and failed == 0 and provider_calls == messages else "FAIL"
print(f"{kind}: {done:,} sent in {seconds:.2f} s from first to last send = {rate:,.0f} messages/s "
      f"({messages / (finished - started):,.0f}/s counting the listener's start-up); failed {failed}, "
      f"provider calls {provider_calls:,} (exactly once: {'yes' if provider_calls == messages == attempts else 'NO'}) "
      f"— target >= 1,000/s: {verdict}")
per = lambda ticks: ticks / tick / messages * 1e6
cpu = f"CPU per message: listener {per(listener_cpu):.0f} µs, simulator {per(simulator_cpu):.0f} µs"
if kind == "postgres":
    cpu += f", PostgreSQL backends {per(backends_cpu):.0f} µs"
print("  " + cpu)
if rss:
    n = len(rss)
    quarters = [rss[min(n - 1, round(q * (n - 1)))] for q in (0, 0.25, 0.5, 0.75, 1)]
    print(f"  RSS MiB over the run ({n} samples, 0.5 s apart): start {quarters[0]:.1f}, 25% {quarters[1]:.1f}, "
          f"50% {quarters[2]:.1f}, 75% {quarters[3]:.1f}, end {quarters[4]:.1f}; max {max(rss):.1f}")
PY
    if [ "$kind" = postgres ] && [ -n "${STATEMENTS:-}" ]; then
        psql "$url" -tAc "SELECT 'commits: ' || xact_commit || ', WAL syncs: ' || (SELECT wal_sync FROM pg_stat_wal)
            FROM pg_stat_database WHERE datname = current_database()"
        psql "$url" -c "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, rows,
            left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time DESC LIMIT 12"
    fi
    # More rounds on the same listener: the same messages queued again, to see whether memory levels off.
    for round in $(seq 2 "$ROUNDS"); do
        query "UPDATE messages SET status = 'queued', external_id = NULL, sent_at = NULL, retry_count = 0,
            lease_owner = NULL, lease_expires_at = NULL" >/dev/null
        while [ "$(query "SELECT count(*) FROM messages WHERE status = 'queued'")" != 0 ]; do sleep 0.5; done
        seconds=$(query "SELECT $span FROM messages")
        echo "  round $round: $(python3 -c "print(f'{($MESSAGES - 1) / $seconds:,.0f}')") messages/s;" \
            "RSS $(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$listener/status") MiB at the end"
    done
    kill -TERM "$listener"
    wait "$listener" || true
done
