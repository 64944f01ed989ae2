#!/usr/bin/env bash
# Summarises a failed `swift test` output: the tests that failed, the crashed thread's frames
# (from Swift's backtracer), and the tests that had started but not finished when the output
# ends, which, after a crash, are the ones that were running when the process died.
#   scripts/summarise-test-log.sh LOG
set -uo pipefail
log=$1
echo
echo "run-tests: summary of the failure"
failed=$(grep -E '^(✘ Test .* failed|Test Case .* failed)' "$log" | awk '!seen[$0]++' | head -40)
[ -n "$failed" ] && { echo "failed:"; echo "$failed"; }
# The backtracer's report: what happened, and the crashed thread's frames (not the other
# threads', nor the source lines it shows around each frame).
crash=$(grep -m1 'Program crashed' "$log")
if [ -n "$crash" ]; then
    echo "crash:"
    echo "$crash"
    awk '/^Thread [0-9]+ .*crashed:$/ { on = 1; print; next }
         on && (/^Thread [0-9]+ / || /^Registers:/) { exit }
         on' "$log" | grep -Ev '^\s*(│|[0-9]+\s*│|$)' | head -40
fi
# Started without a pass, failure or skip (a parameterised test's "with N test cases" dropped).
unfinished=$(awk '
    /^◇ Test case passing / || /^◇ Test run started/ { next }
    /^◇ Test .* started\.$/ { name = $0; sub(/^◇ Test /, "", name); sub(/ started\.$/, "", name); open[name]++ }
    /^(✔|✘|➜) Test .* ((passed|failed) after [0-9.]+ seconds|skipped)/ {
        name = $0; sub(/^[^ ]+ Test /, "", name)
        sub(/ (passed|failed) after [0-9.]+ seconds.*$/, "", name); sub(/ skipped.*$/, "", name)
        sub(/ with [0-9]+ test cases?$/, "", name)
        if (open[name] > 0) open[name]--
    }
    END { for (name in open) if (open[name] > 0) print "  " name }' "$log" | sort)
if [ -n "$unfinished" ]; then
    echo "started but not finished ($(printf '%s\n' "$unfinished" | wc -l) tests; the first 30 by name):"
    printf '%s\n' "$unfinished" | head -30
fi
exit 0
