# Shared by the benchmark scripts (scripts/bench-*.sh source it): waiting for a process's
# address, the machine and PostgreSQL descriptions, scratch databases, and wrk's RESULT lines.
# Sourced, not run; expects `set -euo pipefail` and CRM_BINARY.

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
        || ', shared_buffers=' || current_setting('shared_buffers') || ', max_connections=' || current_setting('max_connections')")"
}

# Drops and creates the database NAME on the server at URL; prints the URL of the new database.
scratch_postgres() {
    local url=$1 name=$2
    psql "$url" -q -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
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
