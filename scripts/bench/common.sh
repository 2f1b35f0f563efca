# Shared by the benchmark scripts (scripts/bench-*.sh source it): the scratch directory, the
# simulator and a unit paired with it, waiting for a process's address, the machine and PostgreSQL
# descriptions, scratch databases, CPU ticks, and wrk's RESULT lines.
# Sourced, not run (from the repository's root); expects `set -euo pipefail`.

# Sets CRM_BINARY to a release build of crm: the one it already names, or one built now.
bench_binary() {
    if [ -z "${CRM_BINARY:-}" ]; then
        swift build -c release --product crm >/dev/null
        CRM_BINARY="$(swift build -c release --show-bin-path)/crm"
    fi
}

# Stops with a hint when DATABASES includes postgres and BENCH_POSTGRES_URL is not set.
require_postgres_url() {
    if [[ " $DATABASES " == *" postgres "* ]]; then
        : "${BENCH_POSTGRES_URL:?set BENCH_POSTGRES_URL to a PostgreSQL server URL (see docs/performance.md), or DATABASES=sqlite}"
    fi
}

# Sets up a run: $work, a scratch directory that is also crm's data and home, removed on exit with
# every process listed in $pids stopped (kept with KEEP=1), and the keys every crm process needs.
bench_scratch() {
    work=$(mktemp -d)
    pids=()
    trap bench_cleanup EXIT
    export NO_COLOR=1 XDG_DATA_HOME="$work" HOME="$work"
    export CRM_SECRET_KEY=${CRM_SECRET_KEY:-"q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJ+/8="}
    export EVOLUTION_API_KEY=bench-key
}

bench_cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

# For a listener with --enable-api: a JWT secret, a fast bcrypt, and $password for the users created.
bench_api_keys() {
    export CRM_BCRYPT_COST=10
    JWT_ACCESS_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
    export JWT_ACCESS_SECRET
    password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
}

# Starts `crm simulator serve` with ARGS (e.g. --ack-delay 0), exports EVOLUTION_API_URL, and sets
# $simulator to its process id.
start_simulator() {
    "$CRM_BINARY" simulator serve --port 0 --api-key "$EVOLUTION_API_KEY" "$@" >"$work/simulator.out" 2>"$work/simulator.err" &
    simulator=$!
    pids+=("$simulator")
    EVOLUTION_API_URL="http://127.0.0.1:$(wait_for "$work/simulator.out" 'http://127\.0\.0\.1:([0-9]+)')"
    export EVOLUTION_API_URL
}

# Creates the unit "Bench KIND" (bench-KIND) in the database at URL, connected to the simulator's
# instance crm-bench-KIND with its webhooks off (the listener would store the receipts of every
# send too), and its agent agent@bench-KIND.example with $password (see bench_api_keys).
pair_bench_unit() {
    local kind=$1 url=$2
    "$CRM_BINARY" units create "Bench $kind" --database "$url" >/dev/null
    "$CRM_BINARY" whatsapp connect --unit "bench-$kind" --no-wait --json --database "$url" --base-url "http://127.0.0.1:9" >/dev/null
    curl -fsS -X POST "$EVOLUTION_API_URL/_simulator/instances/crm-bench-$kind/scan" >/dev/null
    "$CRM_BINARY" whatsapp status --unit "bench-$kind" --database "$url" >/dev/null  # records "connected"
    curl -fsS -X POST "$EVOLUTION_API_URL/webhook/set/crm-bench-$kind" -H "apikey: $EVOLUTION_API_KEY" \
        -H 'Content-Type: application/json' -d '{"webhook": {"url": "http://127.0.0.1:9", "enabled": false}}' >/dev/null
    printf '%s\n' "$password" | "$CRM_BINARY" users create --email "agent@bench-$kind.example" --role agent \
        --unit "bench-$kind" --password-stdin --database "$url" >/dev/null
}

# Waits until FILE has a line matching REGEX and prints the first capture group.
wait_for() {
    local file=$1 regex=$2
    for _ in $(seq 1 600); do
        if [[ -f $file && $(cat "$file") =~ $regex ]]; then
            echo "${BASH_REMATCH[1]}"
            return 0
        fi
        sleep 0.05
    done
    echo "timed out waiting for /$regex/ in $file:" >&2
    cat "$file" >&2
    return 1
}

# The load average's three figures.
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

describe_machine() {
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, load $(load_average)"
}

# The settings of the PostgreSQL server at URL that the figures depend on (fsync!).
describe_postgres() {
    echo "postgres: $(psql "$1" -tAc "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync')
        || ', synchronous_commit=' || current_setting('synchronous_commit') || ', wal_sync_method=' || current_setting('wal_sync_method')
        || ', shared_buffers=' || current_setting('shared_buffers') || ', max_connections=' || current_setting('max_connections')
        || ', databases made with locale ' || COALESCE(NULLIF('${BENCH_LOCALE:-}', ''), (SELECT datcollate FROM pg_database WHERE datname = 'template1'))")"
}

# Drops and creates the database NAME on the server at URL; prints the URL of the new database.
# BENCH_LOCALE=en_US.UTF-8 (say) makes it with that locale instead of the server's default: the
# collation of text columns sets what a comparison costs (en_US.UTF-8 is a common server default).
scratch_postgres() {
    local url=$1 name=$2 options=""
    if [ -n "${BENCH_LOCALE:-}" ]; then options=" TEMPLATE template0 LOCALE '$BENCH_LOCALE'"; fi
    psql "$url" -q -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name$options"
    python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$url" "$name"
}

# utime + stime of a process, in clock ticks (0 when it is gone).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# wrk's RESULT line (the done() of scripts/bench/*.lua) as a table row:
# | NAME | requests/s | p50 | p90 | p99 | max | errors |, errors being answers >= 400 plus socket errors.
result_row() {
    python3 - "$1" "$2" <<'PY'
import sys
name, line = sys.argv[1], sys.argv[2]
r = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
ms = lambda us: f"{us / 1000:.1f} ms"
errors = r["non2xx"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
print(f"| {name} | {r['requests'] / (r['duration_us'] / 1e6):,.0f} | {ms(r['p50_us'])} | {ms(r['p90_us'])} | "
      f"{ms(r['p99_us'])} | {ms(r['max_us'])} | {errors} |")
PY
}
