#!/usr/bin/env bash
# Runs `swift test ARGS…` with line-buffered output copied to LOG, under a time limit.
#
#   scripts/test-with-watchdog.sh LOG [swift test arguments…]
#
# A test run normally ends in minutes. When one has not ended after CRM_TEST_TIME_LIMIT seconds
# (default 2700), something waits forever: the script prints the tests that started and never
# ended, every thread's backtrace in the test process (when gdb is installed and may attach),
# then kills the run and exits 124. Without it a hang costs the whole CI budget and says nothing.
set -uo pipefail

log=${1:?usage: scripts/test-with-watchdog.sh LOG [swift test arguments…]}
shift
limit=${CRM_TEST_TIME_LIMIT:-2700}

# Swift Testing starts every test case at once unless told otherwise: on 2 cores hundreds of
# them then share the test process's two cooperative threads, and its in-process simulators
# answered so late that clients gave up (after 20 s, even 90 s) in four of six full runs on
# 2026-11-26. 16 at a time, the run was green and took 346 s instead of 417-434 s. The variable
# is Swift Testing 6.3's, marked experimental: a toolchain without it ignores it.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-16}

# swift-testing writes its events to stdout through C stdio: block-buffered into a pipe, so a
# hung run would show events minutes old. stdbuf makes the test process flush every line.
stdbuf -oL -eL swift test "$@" > >(tee "$log") 2>&1 &
run=$!

# The processes a process started, and theirs, depth first.
descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1"); do echo "$child"; descendants "$child"; done
}

# Kills a process and everything it started (a hung test's listeners and dispatchers included).
kill_tree() {
    local child
    kill -STOP "$1" 2>/dev/null
    for child in $(ps -o pid= --ppid "$1"); do kill_tree "$child"; done
    kill -KILL "$1" 2>/dev/null
}
started=$SECONDS
while kill -0 "$run" 2>/dev/null; do
    if (( SECONDS - started >= limit )); then
        echo
        echo "== The tests have not ended after ${limit} s: these started and never ended"
        python3 - "$log" <<'PY'
import re, sys
open_items = {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = re.sub(r'\x1b\[[0-9;]*m', '', line)  # colours, when the terminal asks for them
    if line[2:].startswith(("Test case ", "Test run ")):
        continue  # a parameterized test's cases end with the test; the run is not a test
    started = re.match(r'^. (Suite|Test) (.*) started\.$', line.rstrip("\n"))
    ended = re.match(r'^. (Suite|Test) (.*?) (?:with \d+ test cases? )?(?:passed|failed) after ', line)
    if started:
        open_items[(started.group(1), started.group(2))] = True
    elif ended:
        open_items.pop((ended.group(1), ended.group(2)), None)
for kind, name in open_items:
    print(f"   {kind} {name}")
PY
        test_processes=$(for pid in "$run" $(descendants "$run"); do
            ps -o args= -p "$pid" | grep -q 'crmPackageTests.xctest' && echo "$pid"
        done)
        for pid in $test_processes; do
            echo "== Threads of the test process $pid"
            if command -v gdb >/dev/null; then
                timeout 120 gdb -p "$pid" -batch -ex 'thread apply all bt 25' 2>&1 | grep -E '^(Thread|#)' | head -n 1500
            else
                echo "(gdb is not installed)"
            fi
            echo "== Its children"
            ps -o pid,etimes,args --ppid "$pid" || true
        done
        kill_tree "$run"
        wait "$run" 2>/dev/null
        exit 124
    fi
    sleep 5
done
wait "$run"
