# Timing for the benchmark scripts (sourced, not run): one way to time a whole process and
# read its peak memory, so every benchmark's figures mean the same thing.
#
#   source scripts/bench-timing.sh     # needs $WORK (a scratch folder) and $BENCH_NAME
#   measure_overhead                   # once, before timing anything
#   sample=$(timed command args...)    # "<wall seconds> <peak RSS kB>"; stdout to $WORK/command.out
#   read -r CPU SERVER_CPU <"$WORK/time.cpu"   # after it: the processor time it and the server used
#
# Processor time: on this two-core machine the feed server shares the cores with the command
# it serves, so a run can be no shorter than (the command's CPU + the server's CPU) / 2. With
# SERVER_CPU_PID set to the server's process id, `timed` also reads how much CPU the server used
# while the command ran (from /proc, in clock ticks of 10 ms).

# What the measuring itself costs (starting GNU time and a command that does nothing), the
# median of five, taken off every sample so it favours no tool.
measure_overhead() {
    local overheads=() start end
    OVERHEAD_US=0
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        /usr/bin/time -f '%M %U %S' -o "$WORK/time.noop" true
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
    local report=$WORK/time.report start end server_before server_after
    server_before=$(server_ticks)
    start=$(date +%s%N)
    /usr/bin/time -f '%M %U %S' -o "$report" "$@" >"$WORK/command.out" 2>"$WORK/command.err" || {
        echo "${BENCH_NAME:-bench}: '$*' failed:" >&2
        tail -n 20 "$WORK/command.err" >&2
        return 1
    }
    end=$(date +%s%N)
    server_after=$(server_ticks)
    # GNU time's last line: peak kB, user s, system s.
    tail -n 1 "$report" | awk -v before="$server_before" -v after="$server_after" -v hz="$(getconf CLK_TCK)" \
        '{ printf "%.2f %.2f\n", $2 + $3, (after - before) / hz }' >"$WORK/time.cpu"
    echo "$(( (end - start) / 1000 - ${OVERHEAD_US:-0} )) $(tail -n 1 "$report")" \
        | awk '{ printf "%.3f %d\n", ($1 < 1000 ? 1000 : $1) / 1000000, $2 }'
}

# The user and system clock ticks the process $SERVER_CPU_PID has used so far; 0 without one.
# (/proc/PID/stat: fields 14 and 15, counted after the command name, which is in parentheses.)
server_ticks() {
    if [[ -n ${SERVER_CPU_PID:-} && -r /proc/$SERVER_CPU_PID/stat ]]; then
        sed 's/^.*) //' "/proc/$SERVER_CPU_PID/stat" | awk '{ print $12 + $13 }'
    else
        echo 0
    fi
}
