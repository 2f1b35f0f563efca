#!/usr/bin/env bash
# Benchmark (issue 8): reading a campaign's recipients CSV of 100,000 rows with RecipientsCSV.read, the
# rules of RecipientImport included (normalization, rejected rows, duplicates), no database writes.
# Release build; in-process, median of several rounds. Target of the whole `crm campaigns create
# --recipients-csv` with 100,000 rows: <= 5 s including the database; reading should take well under 1 s.
# Usage: scripts/bench-csv-import.sh                 (builds the release benchmark first)
#        ROWS=100000 ROUNDS=7 CSV_BENCH_BINARY=/path/to/CSVImportBenchmark scripts/bench-csv-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000} ROUNDS=${ROUNDS:-7}
if [ -z "${CSV_BENCH_BINARY:-}" ]; then
    swift build -c release --product CSVImportBenchmark >/dev/null
    CSV_BENCH_BINARY="$(swift build -c release --show-bin-path)/CSVImportBenchmark"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$CSV_BENCH_BINARY" "$ROWS" "$ROUNDS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
