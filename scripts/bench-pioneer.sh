# What the collection benchmarks share (sourced, not run): checking their tools, building the
# pioneer they time, and summarising samples. Used by scripts/bench-collect.sh, bench-scale.sh,
# bench-extract.sh and bench-national.sh.
#
#   source scripts/bench-pioneer.sh    # needs a die function and $CONFIG (release or debug)
#   check_curl_tools                   # GNU time and a curl with --parallel
#   build_pioneer                      # sets $PIONEER, building it first for a release
#   read -r WALL MB < <(summarise "${SAMPLES[@]}")   # samples as `timed` prints them

check_curl_tools() {
    [[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (apt-get install time)"
    command -v curl >/dev/null || die "needs curl on the PATH"
    curl --help all 2>/dev/null | grep -q -- '--parallel-max' || die "needs a curl with --parallel (7.66 or later)"
}

# Release builds link the Swift runtime and Foundation statically, as a shipped Linux
# binary would be: it saves about 10 ms of dynamic linking at every start.
# PIONEER=<binary> uses that binary as it is (an earlier build kept aside, say); nothing is built.
# SCRATCH=<folder> builds there instead of .build (a release build beside a debug one).
build_pioneer() {
    if [[ -n ${PIONEER:-} ]]; then
        [[ -x $PIONEER ]] || die "PIONEER=$PIONEER is not an executable file"
        return
    fi
    [[ $CONFIG == release || $CONFIG == debug ]] || die "CONFIG must be release or debug, not '$CONFIG'"
    local static=()
    [[ -n ${SCRATCH:-} ]] && static+=(--scratch-path "$SCRATCH")
    if [[ $CONFIG == release ]]; then
        static+=(--static-swift-stdlib)
        echo "Building pioneer (release, static Swift runtime)..." >&2
        swift build -c release --product pioneer "${static[@]}" >&2 || die "the release build failed"
    fi
    PIONEER=$(swift build -c "$CONFIG" "${static[@]}" --show-bin-path)/pioneer
    [[ -x $PIONEER ]] || die "no $PIONEER; run 'swift build' first, or leave CONFIG unset for a release build"
}

# The median of the wall times and the largest peak RSS in MB, of "<wall s> <peak RSS kB>" samples.
summarise() {
    printf '%s\n' "$@" | sort -n -k1,1 | awk '
        { wall[NR] = $1; if ($2 > rss) rss = $2 }
        END {
            median = (NR % 2) ? wall[(NR + 1) / 2] : (wall[NR / 2] + wall[NR / 2 + 1]) / 2
            printf "%.3f %.1f\n", median, rss / 1024
        }'
}
