#!/usr/bin/env bash
# Benchmarks our QR encoder against libqrencode.
#
#  1. In-process: Benchmarks/QRBenchmark (Swift, release) and
#     scripts/qr/qrencode_bench.c (libqrencode) encode the same 250-byte
#     payload at level M; both print the median ns/encode; we print the ratio.
#  2. Whole process (hyperfine): `crm qr --format utf8 TEXT` against
#     `qrencode -t UTF8 TEXT` (start-up included).
#
# Needs: swift, cc, libqrencode-dev, qrencode, hyperfine.
#
# Environment (all optional):
#   QR_PACKAGE_DIR  Swift package that has the QRBenchmark and crm products
#                   (default: the repository root).
#   QRBENCH_BIN     a built QRBenchmark binary; skips building it.
#   CRM_BIN         a built crm binary; skips building it.
#   SKIP_CRM=1      skip part 2.
#   ENCODES, ROUNDS encodes per round and rounds (default 2000 and 11).
#   BUILD_DIR       where the C harness is built (default: a temp dir).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
package_dir=${QR_PACKAGE_DIR:-$(cd "$script_dir/../.." && pwd)}
encodes=${ENCODES:-2000}
rounds=${ROUNDS:-11}
build_dir=${BUILD_DIR:-$(mktemp -d)}

echo "== machine"
echo "nproc: $(nproc)"
grep -m1 'model name' /proc/cpuinfo | sed 's/^model name\s*: /cpu: /' || true
swift --version 2>&1 | head -1
cc --version | head -1
echo "libqrencode: $(dpkg-query -W -f='${Version}' libqrencode-dev 2>/dev/null || echo unknown)"

if [[ -z "${QRBENCH_BIN:-}" ]]; then
  echo "== building QRBenchmark (release) in $package_dir"
  (cd "$package_dir" && swift build -c release --product QRBenchmark >/dev/null)
  QRBENCH_BIN="$(cd "$package_dir" && swift build -c release --show-bin-path)/QRBenchmark"
fi
echo "== building qrencode_bench (cc -O2)"
cc -O2 -o "$build_dir/qrencode_bench" "$script_dir/qrencode_bench.c" -lqrencode

echo "== in-process encode, 250-byte payload, level M ($rounds rounds x $encodes encodes, median)"
ours=$("$QRBENCH_BIN" "$encodes" "$rounds")
theirs=$("$build_dir/qrencode_bench" "$encodes" "$rounds")
echo "$ours"
echo "$theirs"
ours_ns=$(sed -n 's/.*ns\/encode=\([0-9]*\).*/\1/p' <<<"$ours")
data_ns=$(sed -n '/encodeData/s/.*ns\/encode=\([0-9]*\).*/\1/p' <<<"$theirs")
string_ns=$(sed -n '/encodeString/s/.*ns\/encode=\([0-9]*\).*/\1/p' <<<"$theirs")
awk -v o="$ours_ns" -v d="$data_ns" -v s="$string_ns" 'BEGIN {
  printf "ratio ours/libqrencode: %.2fx (encodeData), %.2fx (encodeString); target <= 2x\n", o / d, o / s
}'

if [[ "${SKIP_CRM:-0}" == 1 ]]; then exit 0; fi
if [[ -z "${CRM_BIN:-}" ]]; then
  echo "== building crm (release) in $package_dir"
  (cd "$package_dir" && swift build -c release --product crm >/dev/null)
  CRM_BIN="$(cd "$package_dir" && swift build -c release --show-bin-path)/crm"
fi
payload=$(sed -n 's/^let payload = "\(.*\)"$/\1/p; s/^    + "\(.*\)"$/\1/p' \
  "$script_dir/../../Benchmarks/QRBenchmark/main.swift" | tr -d '\n')
if [[ ${#payload} -ne 250 ]]; then
  echo "could not read the 250-byte payload from Benchmarks/QRBenchmark/main.swift" >&2
  exit 1
fi
echo "== whole process: crm qr --format utf8 vs qrencode -t UTF8 (same payload)"
hyperfine -N --warmup 20 --min-runs 200 \
  -n "crm qr --format utf8" "$CRM_BIN qr --format utf8 $payload" \
  -n "qrencode -t UTF8" "qrencode -t UTF8 $payload"
