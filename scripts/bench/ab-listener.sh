#!/usr/bin/env bash
# Compares two crm binaries with scripts/bench-listener.sh, run alternately (A, B, A, B…), one line
# per run: on a shared or drifting machine a single run of each says little, pairs made one right
# after the other do.
#
# Usage: BENCH_POSTGRES_URL=postgres://… scripts/bench/ab-listener.sh OLD_CRM NEW_CRM
#   PAIRS=6 DURATION=10s, and any variable bench-listener.sh reads (DATABASES, CONNECTIONS…).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 2 ] || { echo "usage: $0 OLD_CRM NEW_CRM" >&2; exit 64; }
: "${BENCH_POSTGRES_URL:?set BENCH_POSTGRES_URL (see docs/performance.md)}"
PAIRS=${PAIRS:-6}
export DURATION=${DURATION:-10s}

# "<db>: N requests/s, … p99 X ms …", the CPU line after it and the share of the ceiling →
# "N/s p99 X ms, S % of the ceiling, listener L µs[, PostgreSQL P µs]"
summary() {
    python3 -c '
import re, sys
lines = sys.stdin.read().splitlines()
out = []
for i, line in enumerate(lines):
    m = re.match(r"(postgres|sqlite): ([\d,]+) requests/s.*p99 ([\d.]+) ms", line)
    if m and i + 1 < len(lines):
        cpu = re.findall(r"(listener|PostgreSQL) (\d+) µs", lines[i + 1])
        share = next((s[1] for s in (re.search(r"share of the ceiling: ([\d.]+) %", l) for l in lines[i + 1:]) if s), "?")
        out.append(f"{m[1]} {m[2]}/s p99 {m[3]} ms, {share} % of the ceiling, " + ", ".join(f"{k} {v} µs" for k, v in cpu))
print(" | ".join(out) if out else "no result")'
}

for pair in $(seq 1 "$PAIRS"); do
    for side in A B; do
        binary=$([ $side = A ] && echo "$1" || echo "$2")
        result=$(CRM_BINARY="$binary" scripts/bench-listener.sh 2>&1 | summary)
        echo "pair $pair $side: $result"
    done
done
