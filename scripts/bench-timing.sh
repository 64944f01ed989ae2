# Timing for the benchmark scripts (sourced, not run): one way to time a whole process and
# read its peak memory, so every benchmark's figures mean the same thing.
#
#   source scripts/bench-timing.sh     # needs $WORK (a scratch folder) and $BENCH_NAME
#   measure_overhead                   # once, before timing anything
#   sample=$(timed command args...)    # "<wall seconds> <peak RSS kB>"; stdout to $WORK/command.out

# What the measuring itself costs (starting GNU time and a command that does nothing), the
# median of five, taken off every sample so it favours no tool.
measure_overhead() {
    local overheads=() start end
    OVERHEAD_US=0
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$WORK/time.noop" true
        end=$(date +%s%N)
        overheads+=($(( (end - start) / 1000 )))
    done
    OVERHEAD_US=$(printf '%s\n' "${overheads[@]}" | sort -n | sed -n 3p)
    echo "measuring overhead: ${OVERHEAD_US} µs per run, taken off every sample" >&2
}

# Runs a command (stdout to $WORK/command.out, stderr to $WORK/command.err) and prints
# "<wall seconds> <peak RSS kB>": the wall time from nanosecond clock readings around it, less
# the overhead; the peak memory from GNU time.
timed() {
    local report=$WORK/time.report start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$report" "$@" >"$WORK/command.out" 2>"$WORK/command.err" || {
        echo "${BENCH_NAME:-bench}: '$*' failed:" >&2
        tail -n 20 "$WORK/command.err" >&2
        return 1
    }
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000 - ${OVERHEAD_US:-0} )) $(tail -n 1 "$report")" \
        | awk '{ printf "%.3f %d\n", ($1 < 1000 ? 1000 : $1) / 1000000, $2 }'
}
