#!/usr/bin/env bash
# PostgreSQL's side of the listener alone: pgbench calls crm_store_inbound_batch (the function the
# listener's batches call) with batches of new messages shaped as the listener sends them, on a
# database migrated by each crm binary given. No HTTP and no listener, so a change to the function
# or the schema is measured without their noise. For crm binaries whose migrations include
# db/postgres/0015 (the function's arguments as arrays).
#
# The sides run at the same time, each on its own database with its own pgbench: this machine's
# speed drifts within a minute, and sides run one after the other measured the drift (the same
# binary's time per call moved by more than 40 % between rounds). Run together, both see the same
# machine, yet one round in three still differed by 18 % with the same binary on both sides: read
# the direction over several rounds, and swap the sides in a second run (the first starts first).
#
# Usage: BENCH_POSTGRES_URL=postgres://… scripts/bench/batch-function.sh CRM[:SQL_FILE] [CRM[:SQL_FILE]…]
#   A SQL_FILE after a binary is run after its migrations: a schema change tried before it is a migration.
#   ROUNDS=3 DURATION=15 (seconds of calls per round) BATCH=31 CONTACTS=10000 CLIENTS=1 BENCH_LOCALE (common.sh)
# Each round: a new database per side, then DURATION seconds of calls by CLIENTS connections on each
# side at once; one line per side with the calls per second, the mean time per call and the
# messages stored.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 CRM [CRM…]" >&2; exit 64; }
: "${BENCH_POSTGRES_URL:?set BENCH_POSTGRES_URL (see docs/performance.md)}"
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-15} BATCH=${BATCH:-31} CONTACTS=${CONTACTS:-10000} CLIENTS=${CLIENTS:-1}
PGBENCH=${PGBENCH:-$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)}
# shellcheck source=scripts/bench/common.sh
source scripts/bench/common.sh
bench_scratch

# A time-ordered uuid, as BatchIDs makes them: 48 bits of milliseconds, then random bits.
id="(lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 1, 20))::uuid"

# The columns of crm_inbound_item, in order: the function takes one array of each (migration 0015).
fields=(item body_id body_unit_id body_provider event_type instance dedupe_key body result body_received_at unit_id provider external_id phone name type text preview opts_out sent_at received_at contact_id conversation_id message_id)
aggregates=$(for f in "${fields[@]}"; do printf 'array_agg(r.%s ORDER BY r.item) AS %s, ' "$f" "$f"; done | sed 's/, $//')
arguments=$(printf 'b.%s, ' "${fields[@]}" | sed 's/, $//')

# The batches, made before timing: BATCH items each, new message ids from random contacts among
# CONTACTS, a body of the size and shape of an Evolution messages.upsert, and time-ordered ids for
# the rows an item may create. Each call takes the next batch (a sequence), so the time measured
# is the function's and not the making of its argument.
make_batches() {
    local url=$1 count=$2
    psql "$url" -q <<SQL
CREATE SEQUENCE bench_batch_number;
CREATE TABLE bench_batches AS
WITH made AS (SELECT b.n, (
    SELECT jsonb_agg(jsonb_build_object(
        'item', g - 1, 'body_id', $id, 'body_unit_id', u.id, 'body_provider', 'evolution',
        'event_type', 'inboundMessage', 'instance', 'crm-bench', 'dedupe_key', encode(sha256(m.external_id::bytea), 'hex'),
        'body', format('{"event":"messages.upsert","instance":"crm-bench","data":{"key":{"remoteJid":"%s@s.whatsapp.net","fromMe":false,"id":"%s"},"pushName":"Maria Bench","status":"DELIVERY_ACK","message":{"conversation":"Olá! Quero saber o horário de hoje."},"messageType":"conversation","messageTimestamp":%s,"instanceId":"6a3b1f0e-2d4c-4b8e-9f1a-0c2d3e4f5a6b","source":"android"},"destination":"http://localhost/webhooks/whatsapp/evolution","date_time":"2026-11-25T12:00:00.000Z","server_url":"http://localhost:8080","apikey":null}', m.phone, m.external_id, m.at::bigint),
        'result', 'applied', 'body_received_at', m.at, 'unit_id', u.id, 'provider', 'evolution',
        'external_id', m.external_id, 'phone', m.phone, 'name', 'Maria Bench', 'type', 'text',
        'text', 'Olá! Quero saber o horário de hoje.', 'preview', 'Olá! Quero saber o horário de hoje.',
        'opts_out', false, 'sent_at', m.at, 'received_at', m.at,
        'contact_id', $id, 'conversation_id', $id, 'message_id', $id))
    FROM generate_series(1, $BATCH) AS g
    CROSS JOIN (SELECT id FROM units LIMIT 1) AS u
    CROSS JOIN LATERAL (SELECT '3EB0' || upper(substr(md5(random()::text || g || b.n), 1, 16)) AS external_id,
                               '55119' || lpad((random() * ($CONTACTS - 1))::int::text, 8, '0') AS phone,
                               extract(epoch FROM clock_timestamp()) AS at) AS m) AS batch
    FROM generate_series(1, $count) AS b (n))
SELECT made.n, columns.* FROM made CROSS JOIN LATERAL (
    SELECT $aggregates FROM jsonb_populate_recordset(NULL::crm_inbound_item, made.batch) AS r) AS columns;
ALTER TABLE bench_batches ADD PRIMARY KEY (n);
SQL
}
cat >"$work/call.sql" <<SQL
SELECT count(*) FROM bench_batches AS b CROSS JOIN LATERAL crm_store_inbound_batch($arguments)
WHERE b.n = (SELECT nextval('bench_batch_number'));
SQL

describe_postgres "$BENCH_POSTGRES_URL"
echo "pgbench: $ROUNDS rounds of ${DURATION} s, the sides at once, $BATCH messages a call by each of $CLIENTS connections a side, $CONTACTS contacts"
# Enough batches for 300 calls a second by each connection (the fastest seen here: 230): a side
# that runs out stops the script rather than timing calls that find no batch.
calls=$((DURATION * 300 * CLIENTS))
for round in $(seq 1 "$ROUNDS"); do
    urls=()
    for side in "$@"; do
        binary=${side%%:*} extra=${side#"$binary"}
        url=$(scratch_postgres "$BENCH_POSTGRES_URL" "crm_bench_function_${#urls[@]}")
        "$binary" db migrate --database "$url" >/dev/null
        if [ -n "$extra" ]; then psql "$url" -q -v ON_ERROR_STOP=1 -f "${extra#:}"; fi
        "$binary" units create Bench --database "$url" >/dev/null
        warmup=$((CONTACTS / BATCH * 2))
        make_batches "$url" $((warmup + calls))
        # Warm-up: the contacts exist and the tables are analyzed, as in a database in use.
        "$PGBENCH" -n -f "$work/call.sql" -t "$warmup" "$url" >/dev/null
        psql "$url" -qc "ANALYZE"
        urls+=("$url")
    done
    index=0
    for url in "${urls[@]}"; do
        psql "$url" -tAc "SELECT count(*) FROM messages" >"$work/before-$index"
        "$PGBENCH" -n -f "$work/call.sql" -c "$CLIENTS" -j "$CLIENTS" -T "$DURATION" "$url" >"$work/out-$index" &
        index=$((index + 1))
    done
    wait
    index=0
    for side in "$@"; do
        url=${urls[$index]} out=$(cat "$work/out-$index")
        stored=$(($(psql "$url" -tAc "SELECT count(*) FROM messages") - $(cat "$work/before-$index")))
        processed=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' <<<"$out")
        if [ "$processed" -ge "$calls" ]; then echo "round $round $side: ran out of batches ($calls made)" >&2; exit 1; fi
        tps=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out")
        latency=$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' <<<"$out")
        python3 -c 'import sys; tps, ms, stored, batch = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"round {sys.argv[5]} {sys.argv[6]}: {tps:,.0f} calls/s, {ms:.2f} ms a call, {tps * batch:,.0f} messages/s, {stored:,} stored")' \
            "$tps" "$latency" "$stored" "$BATCH" "$round" "$side"
        index=$((index + 1))
    done
done
