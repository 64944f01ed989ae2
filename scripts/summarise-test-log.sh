#!/usr/bin/env bash
# Summarises a failed `swift test` output: the tests that failed, the crashed thread's frames
# (from Swift's backtracer), and the tests that had started but not finished when the output
# ends, which, after a crash, are the ones that were running when the process died.
#   scripts/summarise-test-log.sh LOG
set -uo pipefail
log=$1
echo
echo "run-tests: summary of the failure"
failed=$(grep -E '^(✘ Test .* failed|Test Case .* failed)' "$log" | head -40)
[ -n "$failed" ] && { echo "failed:"; echo "$failed"; }
# The backtracer's report: from "Program crashed" to the registers, without the frames' source lines.
crash=$(awk '/Program crashed/ { on = 1 } on && /^Registers:/ { exit } on' "$log" | grep -Ev '^\s*(│|[0-9]+\s*│|$)' | head -60)
[ -n "$crash" ] && { echo "crash:"; echo "$crash"; }
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
[ -n "$unfinished" ] && { echo "started but not finished:"; echo "$unfinished"; }
exit 0
