#!/usr/bin/env bash
# Benchmark (issue 8): campaigns, on PostgreSQL and on SQLite, release build, against the Evolution
# simulator answering at once (`crm simulator serve --ack-delay 0`).
#   1. `crm campaigns create --recipients-csv` of a 100,000-row CSV (phone,name,city; the text uses
#      {{first_name}} and {{city|…}}): wall time of the whole command, database writes included. Target <= 5 s.
#   2. `crm campaigns dispatch ID --json` of a 10,000-recipient campaign created with --rate unlimited:
#      sends/s (recipients / the command's wall time, and from its JSON `seconds`), the dispatcher's RSS
#      every 0.5 s (start, peak, end), and a larger campaign (LARGE) to see whether memory grows with it.
#      Target >= 1,000 sends/s, memory flat.
# Every dispatch is checked: the simulator accepted exactly one send per recipient (`GET /_simulator/sent`),
# no phone twice, every text rendered; the campaign completed with nothing failed.
#
# Usage: BENCH_POSTGRES_URL=postgres://postgres:pw@127.0.0.1:54341/postgres scripts/bench-campaigns.sh
#   BENCH_POSTGRES_URL  a server where this user may create the database BENCH_DATABASE (default crm_bench_campaigns,
#                       dropped and created again); not needed with DATABASES=sqlite
#   CRM_BINARY          a built crm (default: swift build -c release first)
#   ROWS=100000 CREATE_RUNS=3 DISPATCH=10000 DISPATCH_RUNS=2 LARGE=30000 (0: none) CONCURRENCY=32 (dispatch --concurrency)
#   DATABASES="postgres sqlite"
#   PROFILE=dir         also record the first dispatch of each database with perf (dir/perf-dispatch-<db>.data)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in psql sqlite3 python3 curl pgrep; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install postgresql-client sqlite3 python3 curl procps)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }
ROWS=${ROWS:-100000} CREATE_RUNS=${CREATE_RUNS:-3} DISPATCH=${DISPATCH:-10000} DISPATCH_RUNS=${DISPATCH_RUNS:-2}
LARGE=${LARGE:-30000} CONCURRENCY=${CONCURRENCY:-32}
DATABASES=${DATABASES:-"postgres sqlite"} BENCH_DATABASE=${BENCH_DATABASE:-crm_bench_campaigns}
# wait_for, cpu_ticks and the other helpers the benchmark scripts share.
# shellcheck source=scripts/bench/common.sh
source "$PWD/scripts/bench/common.sh"
require_postgres_url
bench_binary
bench_scratch
TEXT='Olá {{first_name}}, a oferta chegou em {{city|sua cidade}}!'


tick=$(getconf CLK_TCK)

# A recipients CSV: COUNT rows from phone number FIRST on (13 digits, mobile, Brazil), a name each,
# a city in two rows of three (the third takes the text's default).
make_csv() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys
path, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cities = ["Recife", "São Paulo", "Porto Alegre", "Belo Horizonte", "Salvador"]
with open(path, "w", encoding="utf-8") as f:
    f.write("phone,name,city\n")
    for i in range(count):
        city = "" if i % 3 == 2 else cities[i % 5]
        f.write(f"{first + i},Cliente{i} Silva,{city}\n")
PY
}

# Runs crm under GNU time in the background, samples its RSS every 0.5 s, and writes
# "wall_seconds cpu_seconds max_rss_kib" to OUT.time (the command's stdout to OUT.json, RSS samples to OUT.rss).
measure() {
    local out=$1
    shift
    local started finished wrapper pid=""
    started=$(date +%s.%N)
    /usr/bin/time -o "$out.rusage" -f "%U %S %M" "$CRM_BINARY" "$@" >"$out.json" 2>"$out.err" &
    wrapper=$!
    for _ in $(seq 1 400); do
        pid=$(pgrep -P "$wrapper" | head -1) && [ -n "$pid" ] && break
        sleep 0.005
    done
    (
        while [ -n "$pid" ] && [ -e "/proc/$pid/status" ]; do
            awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true
            sleep 0.5
        done
    ) >"$out.rss" &
    local sampler=$!
    # PostgreSQL: the CPU time of the command's backends (utime + stime ticks, last seen every 0.1 s).
    (
        declare -A seen
        while [ -n "$pid" ] && [ -e "/proc/$pid/status" ]; do
            if [ -n "${BACKENDS:-}" ]; then
                for backend in $(pgrep -f "$BACKENDS" || true); do
                    ticks=$(cpu_ticks "$backend")
                    [ "$ticks" != 0 ] && seen[$backend]=$ticks
                done
            fi
            sleep 0.1
        done
        total=0
        for ticks in "${seen[@]}"; do total=$((total + ticks)); done
        echo "$total"
    ) >"$out.backends" &
    local backend_sampler=$!
    if [ -n "${PROFILE_THIS:-}" ] && [ -n "$pid" ]; then
        perf record -N -F 499 -g -p "$pid" -o "$PROFILE_THIS" >/dev/null 2>&1 &
    fi
    local status=0
    wait "$wrapper" || status=$?
    finished=$(date +%s.%N)
    wait "$sampler" "$backend_sampler" 2>/dev/null || true
    if [ "$status" != 0 ]; then
        echo "crm $* exited $status:" >&2
        cat "$out.err" "$out.json" >&2
        exit 1
    fi
    read -r user system maxrss < <(tail -1 "$out.rusage")
    python3 -c "print(f'{$finished - $started:.3f} {$user + $system:.2f} $maxrss {$(cat "$out.backends") / $tick:.2f}')" >"$out.time"
}

# "start peak end" RSS in MiB from a sampler's file.
rss_summary() {
    python3 - "$1" <<'PY'
import sys
rss = [int(line) / 1024 for line in open(sys.argv[1]) if line.strip().isdigit()]
print(f"{rss[0]:.1f} {max(rss):.1f} {rss[-1]:.1f} {len(rss)}" if rss else "- - - 0")
PY
}

start_simulator --ack-delay 0

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB," \
    "shared with other engineers' builds and tests; load average $(load_average)"
echo "crm: $("$CRM_BINARY" --version); create: $ROWS CSV rows x $CREATE_RUNS; dispatch: $DISPATCH x $DISPATCH_RUNS and $LARGE," \
    "--rate unlimited, --concurrency $CONCURRENCY; the simulator posts no webhooks"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    echo "postgres: $(psql "$BENCH_POSTGRES_URL" -tAc "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync')
        || ', synchronous_commit=' || current_setting('synchronous_commit') || ', shared_buffers=' || current_setting('shared_buffers')")"
fi
make_csv "$work/recipients-$ROWS.csv" 5511900000000 "$ROWS"
echo "CSV: $ROWS rows, $(du -k "$work/recipients-$ROWS.csv" | cut -f1) KiB; text: $TEXT"

# Phone ranges: the big CSV from 5511900000000, each dispatched campaign a million further on.
next_range=5511950000000

for kind in $DATABASES; do
    case $kind in
    postgres)
        PGOPTIONS="-c client_min_messages=warning" psql "$BENCH_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $BENCH_DATABASE" \
            -c "CREATE DATABASE $BENCH_DATABASE"
        url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
            "$BENCH_POSTGRES_URL" "$BENCH_DATABASE")
        query() { psql "$url" -tAF' ' -c "$1"; }
        span="extract(epoch FROM max(sent_at) - min(sent_at))"
        BACKENDS="postgres: [^ ]+ $BENCH_DATABASE "  # the command's own connection (psql is not running meanwhile)
        "$CRM_BINARY" db migrate --database "$url" >/dev/null
        ;;
    sqlite)
        url="sqlite://$work/bench.sqlite"
        query() { sqlite3 -separator ' ' "$work/bench.sqlite" "$1"; }
        span="max(sent_at) - min(sent_at)"
        BACKENDS=""
        ;;
    *) echo "unknown database kind $kind" >&2; exit 1 ;;
    esac
    unit="bench-$kind"
    "$CRM_BINARY" units create "Bench $kind" --database "$url" >/dev/null  # instance crm-bench-<db> in the simulator
    "$CRM_BINARY" whatsapp connect --unit "$unit" --no-wait --json --database "$url" --base-url "http://127.0.0.1:9" >/dev/null
    curl -fsS -X POST "$EVOLUTION_API_URL/_simulator/instances/crm-$unit/scan" >/dev/null
    "$CRM_BINARY" whatsapp status --unit "$unit" --database "$url" >/dev/null  # records "connected"
    # No webhooks: the dispatcher is measured alone (scripts/bench-listener.sh measures storing them).
    curl -fsS -X POST "$EVOLUTION_API_URL/webhook/set/crm-$unit" -H "apikey: $EVOLUTION_API_KEY" -H 'Content-Type: application/json' \
        -d '{"webhook": {"url": "http://127.0.0.1:9", "enabled": false}}' >/dev/null

    echo
    echo "== $kind"
    # 1. Creation from the 100,000-row CSV. The first run creates the contacts; later runs (same
    #    unit, same file) find them and update their names.
    for run in $(seq 1 "$CREATE_RUNS"); do
        before=$(load_average)
        measure "$work/create-$kind-$run" campaigns create --unit "$unit" --name "CSV $ROWS #$run" --text "$TEXT" \
            --recipients-csv "$work/recipients-$ROWS.csv" --rate unlimited --json --database "$url"
        read -r wall cpu maxrss backend_cpu <"$work/create-$kind-$run.time"
        python3 - "$work/create-$kind-$run.json" "$ROWS" "$wall" "$cpu" "$((maxrss / 1024))" "$before" "$(load_average)" "$run" "$kind" \
            "$backend_cpu" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
rows, wall, cpu, peak, before, after, run = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
kind, backend_cpu = sys.argv[9], float(sys.argv[10])
if kind == "postgres":
    cpu = f"{cpu:.2f} s CPU (+ {backend_cpu:.2f} s in its PostgreSQL backend)"
else:
    cpu = f"{cpu:.2f} s CPU"
ok = result["recipients"] == rows and not result["invalid"] and result["duplicates"] == 0
verdict = "PASS" if ok and wall <= 5 else "FAIL"
print(f"  create #{run}: {rows:,} CSV rows in {wall:.2f} s wall, {cpu}, peak RSS {peak} MiB; "
      f"{result['recipients']:,} recipients, {result['contactsCreated']:,} contacts created; load {before} -> {after} "
      f"— target <= 5 s: {verdict}")
if not ok:
    sys.exit(f"unexpected result: recipients {result['recipients']}, invalid {len(result['invalid'])}, duplicates {result['duplicates']}")
PY
    done
    created=$(query "SELECT count(*) FROM campaign_recipients")
    [ "$created" = $((ROWS * CREATE_RUNS)) ] || { echo "the database holds $created recipients, not $((ROWS * CREATE_RUNS))" >&2; exit 1; }

    # 2. Dispatches: DISPATCH_RUNS campaigns of DISPATCH recipients, then one of LARGE.
    sizes=()
    for _ in $(seq 1 "$DISPATCH_RUNS"); do sizes+=("$DISPATCH"); done
    [ "$LARGE" -gt 0 ] && sizes+=("$LARGE")
    run=0
    for size in "${sizes[@]}"; do
        run=$((run + 1))
        first=$next_range
        next_range=$((next_range + 1000000))
        make_csv "$work/dispatch-$kind-$run.csv" "$first" "$size"
        "$CRM_BINARY" campaigns create --unit "$unit" --name "Dispatch $size #$run" --text "$TEXT" \
            --recipients-csv "$work/dispatch-$kind-$run.csv" --rate unlimited --json --database "$url" >"$work/campaign.json" 2>/dev/null
        id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["campaign"]["id"])' "$work/campaign.json")
        curl -fsS "$EVOLUTION_API_URL/_simulator/sent" >"$work/sent-before.json"
        before=$(load_average)
        sim_start=$(cpu_ticks "$simulator")
        PROFILE_THIS=""
        if [ -n "${PROFILE:-}" ] && [ "$run" = 1 ]; then mkdir -p "$PROFILE"; PROFILE_THIS="$PROFILE/perf-dispatch-$kind.data"; fi
        PROFILE_THIS=$PROFILE_THIS measure "$work/dispatch-$kind-$run" campaigns dispatch "$id" --json --concurrency "$CONCURRENCY" --database "$url"
        PROFILE_THIS=""
        sim_cpu=$(( $(cpu_ticks "$simulator") - sim_start ))
        after=$(load_average)
        read -r wall cpu maxrss backend_cpu <"$work/dispatch-$kind-$run.time"
        read -r rss_start rss_peak rss_end samples < <(rss_summary "$work/dispatch-$kind-$run.rss")
        seconds=$(query "SELECT $span FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
            WHERE c.name = 'Dispatch $size #$run'")
        curl -fsS "$EVOLUTION_API_URL/_simulator/sent" >"$work/sent-after.json"
        python3 - "$work/dispatch-$kind-$run.json" "$work/sent-before.json" "$work/sent-after.json" "crm-$unit" "$first" "$size" \
            "$wall" "$cpu" "$seconds" "$rss_start" "$rss_peak" "$rss_end" "$samples" "$before" "$after" "$run" \
            "$((sim_cpu))" "$tick" "$((maxrss / 1024))" "$kind" "$backend_cpu" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
before, after = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
instance, first, size = sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
wall, cpu, span = float(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
rss_start, rss_peak, rss_end, samples, load_before, load_after, run = sys.argv[10:17]
sim_cpu, tick, maxrss = int(sys.argv[17]), int(sys.argv[18]), sys.argv[19]
kind, backend_cpu = sys.argv[20], float(sys.argv[21])
new = after[len(before):]
mine = [s for s in new if s["instance"] == instance and first <= int(s["to"]) < first + size]
phones = [s["to"] for s in mine]
unrendered = [s for s in mine if "{{" in s["text"] or not s["text"].startswith("Olá Cliente")]
funnel = result["campaign"]["funnel"]
problems = []
if result["ending"] != "completed": problems.append(f"ending {result['ending']}")
if len(new) != size: problems.append(f"the simulator accepted {len(new)} sends, not {size}")
if len(mine) != size: problems.append(f"{len(mine)} sends to this campaign's phones, not {size}")
if len(set(phones)) != len(phones): problems.append(f"{len(phones) - len(set(phones))} phone(s) sent twice")
if unrendered: problems.append(f"{len(unrendered)} text(s) not rendered, e.g. {unrendered[0]['text']!r}")
if funnel["sent"] != size or funnel["failed"] != 0: problems.append(f"funnel sent {funnel['sent']}, failed {funnel['failed']}")
rate_wall, rate_json = size / wall, size / result["seconds"] if result["seconds"] else float("nan")
rate_span = (size - 1) / span if span > 0 else float("nan")
verdict = "PASS" if rate_wall >= 1000 and not problems else "FAIL"
print(f"  dispatch #{run} of {size:,}: {wall:.2f} s wall = {rate_wall:,.0f} sends/s; JSON seconds {result['seconds']} = {rate_json:,.0f}/s; "
      f"first to last send {span:.2f} s = {rate_span:,.0f}/s — target >= 1,000/s: {verdict}")
backend = f", PostgreSQL backend {backend_cpu / size * 1e6:.0f} µs" if kind == "postgres" else ""
print(f"    CPU per send: dispatcher {cpu / size * 1e6:.0f} µs, simulator {sim_cpu / tick / size * 1e6:.0f} µs{backend}; "
      f"RSS MiB start {rss_start}, peak {rss_peak}, end {rss_end} ({samples} samples 0.5 s apart; kernel's max {maxrss}); load {load_before} -> {load_after}")
print(f"    checked: {len(mine):,} sends accepted by the simulator, {len(set(phones)):,} distinct phones, texts rendered, "
      f"funnel sent {funnel['sent']:,} failed {funnel['failed']}: {'OK' if not problems else 'PROBLEM: ' + '; '.join(problems)}")
if problems:
    sys.exit(1)
PY
    done
done
