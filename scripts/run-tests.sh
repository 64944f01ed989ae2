#!/usr/bin/env bash
# The second half of `make test`: runs the built tests, and stops them with a diagnosis if they
# hang. A test that waits forever would otherwise only end when CI's own limit kills the whole
# job, with nothing said about where it waited. After PIONEER_TEST_LIMIT seconds (default 2400,
# several times a normal run), this prints the processes still running, each thread's stack in
# the test process (through gdb), and stops them all; the exit status is then 124.
# When the tests fail, it ends with a summary of what went wrong (the failed tests, the crashed
# thread's frames, the tests under way when the process died), because CI keeps only the tail
# of a long output and a crash report ends in pages of registers.
#   scripts/run-tests.sh [swift test arguments...]
set -uo pipefail
cd "$(dirname "$0")/.."
limit=${PIONEER_TEST_LIMIT:-2400}
log=$(mktemp "${TMPDIR:-/tmp}/pioneer-tests.XXXXXX")
trap 'rm -f "$log"' EXIT

# A process group of its own, so the test process and every child it started stop together.
setsid "${SWIFT:-swift}" test --skip-build "$@" > >(tee "$log") 2>&1 &
tests=$!
stop() { kill -TERM -- "-$tests" 2>/dev/null; sleep 5; kill -KILL -- "-$tests" 2>/dev/null; }
trap 'stop; exit 130' INT TERM

(
    waited=0
    while [ "$waited" -lt "$limit" ]; do
        sleep 10
        waited=$((waited + 10))
        kill -0 "$tests" 2>/dev/null || exit 0
    done
    {
        echo
        echo "run-tests: the tests have not finished after ${limit} s; what is still running:"
        ps -o pid,ppid,etimes,stat,args --forest -s "$tests"
        for pid in $(pgrep -s "$tests" -f 'PioneerPackageTests'); do
            if command -v gdb >/dev/null; then
                echo "run-tests: the threads of test process $pid:"
                gdb -p "$pid" -batch -ex 'thread apply all bt 40' 2>&1 | grep -E '^(Thread|#)' | head -2000
            fi
        done
        echo "run-tests: stopping them."
    } >&2
    kill -TERM -- "-$tests" 2>/dev/null
    sleep 5
    kill -KILL -- "-$tests" 2>/dev/null
) &
watcher=$!

wait "$tests"
status=$?
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
# 143/137: stopped by the watcher's TERM or KILL.
if [ "$status" -eq 143 ] || [ "$status" -eq 137 ]; then status=124; fi
if [ "$status" -ne 0 ]; then
    sleep 1  # let tee write the last of the output
    scripts/summarise-test-log.sh "$log" >&2
fi
exit "$status"
