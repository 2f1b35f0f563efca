#!/usr/bin/env bash
# Benchmark (issue 3): `crm units list --json` on a SQLite database holding 1,000 units,
# release build, whole-process time measured by hyperfine. Target: median <= 30 ms.
# Usage: scripts/bench-units-list.sh            (builds the release binary first)
#        CRM_BINARY=/path/to/crm scripts/bench-units-list.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }
if [ -z "${CRM_BINARY:-}" ]; then
    swift build -c release --product crm >/dev/null
    CRM_BINARY="$(swift build -c release --show-bin-path)/crm"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/bench.sqlite"
export CRM_DATABASE_URL="sqlite://$db" NO_COLOR=1

# crm creates and migrates the file; sqlite3 then adds 1,000 units in one statement.
"$CRM_BINARY" units list >/dev/null 2>&1
sqlite3 "$db" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO units (id, name, slug, created_at, updated_at)
SELECT printf('%s-%s-4%s-a%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))),
              substr(lower(hex(randomblob(2))), 2), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(6)))),
       'Unidade ' || i || ' São Paulo', 'unidade-' || i, 1790000000 + i, 1790000000 + i
FROM n;
SQL
count=$("$CRM_BINARY" units list --json | grep -c '"slug"')
echo "units in the database: $count"
[ "$count" -eq 1000 ] || { echo "expected 1000 units" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
hyperfine --warmup 5 --runs 50 --export-json "$work/units-list.json" \
    "$CRM_BINARY units list --json" "$CRM_BINARY --version"
python3 - "$work/units-list.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for r in results:
    print(f"{r['command']}: median {r['median']*1000:.1f} ms, mean {r['mean']*1000:.1f} ms, max {r['max']*1000:.1f} ms")
median = results[0]["median"] * 1000
print(f"units list median {median:.1f} ms (target <= 30 ms): {'PASS' if median <= 30 else 'FAIL'}")
PY
