#!/usr/bin/env bash
# The SPC benchmark: `pioneer spc` over one CSV of 10,000 series x 60 points (generated,
# deterministic), the whole process timed with its peak memory, beside the same work in
# Python/numpy in the same run. Targets: pioneer under 0.5 s and 100 MB. See docs/spc.md.
#
#   scripts/bench-spc.sh                    # 10,000 x 60, 3 runs each, release build
#   SERIES=1000 POINTS=24 RUNS=5 scripts/bench-spc.sh
#   CONFIG=debug scripts/bench-spc.sh       # use .build/debug (no release build; slower)
#   SCRATCH=.build-release scripts/bench-spc.sh   # build in another folder than .build
#
# numpy is installed for the user with pip when missing; if that fails the numpy column
# says "skipped". Exit status: 0 targets met, 1 a target missed, 2 the benchmark could not run.
set -euo pipefail

SERIES=${SERIES:-10000}
POINTS=${POINTS:-60}
RUNS=${RUNS:-3}
CONFIG=${CONFIG:-release}
TIME_TARGET_S=0.5
MEMORY_TARGET_MB=100

cd "$(dirname "$0")/.."

die() { echo "bench-spc: $*" >&2; exit 2; }

[[ $SERIES =~ ^[1-9][0-9]*$ ]] || die "SERIES must be a positive whole number, not '$SERIES'"
[[ $POINTS =~ ^[1-9][0-9]*$ ]] || die "POINTS must be a positive whole number, not '$POINTS'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[[ $CONFIG == release || $CONFIG == debug ]] || die "CONFIG must be release or debug, not '$CONFIG'"
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (scripts/install-system-packages.sh installs it)"
command -v python3 >/dev/null || die "needs python3 to generate the input"

# Release builds link the Swift runtime statically, as a shipped Linux binary would be.
STATIC=()
[[ -n ${SCRATCH:-} ]] && STATIC+=(--scratch-path "$SCRATCH")
if [[ $CONFIG == release ]]; then
    STATIC+=(--static-swift-stdlib)
    echo "Building pioneer (release, static Swift runtime)..." >&2
    swift build -c release --product pioneer "${STATIC[@]}" >&2 || die "the release build failed"
fi
PIONEER=$(swift build -c "$CONFIG" "${STATIC[@]}" --show-bin-path)/pioneer
[[ -x $PIONEER ]] || die "no $PIONEER; run 'swift build' first, or leave CONFIG unset for a release build"

NUMPY=yes
if ! python3 -c 'import numpy' 2>/dev/null; then
    echo "numpy is missing; installing it for this user with pip..." >&2
    python3 -m pip install --user --quiet numpy >&2 2>&1 || true
    python3 -c 'import numpy' 2>/dev/null || { NUMPY=no; echo "bench-spc: numpy could not be installed; its column is skipped" >&2; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pioneer-bench-spc.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 2' INT TERM

INPUT="$WORK/series.csv"
python3 scripts/bench-spc-generate.py "$SERIES" "$POINTS" >"$INPUT"
ROWS=$((SERIES * POINTS))
echo "input: $SERIES series x $POINTS points, $(wc -c <"$INPUT") bytes" >&2

BENCH_NAME=bench-spc
source scripts/bench-timing.sh
measure_overhead

PIONEER_SAMPLES=()
NUMPY_SAMPLES=()
CSV_SAMPLES=()
for run in $(seq 1 "$RUNS"); do
    sample=$(timed "$PIONEER" spc --input "$INPUT" --format json) || exit 2
    PIONEER_SAMPLES+=("$sample")
    points=$(grep -c '"index":' "$WORK/command.out" || true)
    [[ $points -eq $ROWS ]] || die "run $run: pioneer wrote $points points, expected $ROWS"
    json_sample=$sample

    sample=$(timed "$PIONEER" spc --input "$INPUT" --format csv) || exit 2
    CSV_SAMPLES+=("$sample")
    rows=$(($(wc -l <"$WORK/command.out") - 1))
    [[ $rows -eq $ROWS ]] || die "run $run: pioneer wrote $rows CSV rows, expected $ROWS"

    line="run $run/$RUNS: pioneer json ${json_sample% *} s, csv ${sample% *} s"
    if [[ $NUMPY == yes ]]; then
        sample=$(timed python3 scripts/bench-spc-numpy.py "$INPUT") || exit 2
        NUMPY_SAMPLES+=("$sample")
        line+=", numpy ${sample% *} s ($(tail -n 1 "$WORK/command.err"))"
    fi
    echo "$line" >&2
done

# The median of the wall times and the largest max RSS.
summarise() {
    printf '%s\n' "$@" | sort -n -k1,1 | awk '
        { wall[NR] = $1; if ($2 > rss) rss = $2 }
        END {
            median = (NR % 2) ? wall[(NR + 1) / 2] : (wall[NR / 2] + wall[NR / 2 + 1]) / 2
            printf "%.3f %.1f\n", median, rss / 1024
        }'
}
read -r JSON_WALL JSON_MB < <(summarise "${PIONEER_SAMPLES[@]}")
read -r CSV_WALL CSV_MB < <(summarise "${CSV_SAMPLES[@]}")
NUMPY_WALL=skipped NUMPY_MB=skipped
if [[ $NUMPY == yes ]]; then
    read -r NUMPY_WALL NUMPY_MB < <(summarise "${NUMPY_SAMPLES[@]}")
fi

awk -v s="$SERIES" -v p="$POINTS" -v runs="$RUNS" -v config="$CONFIG" \
    -v jw="$JSON_WALL" -v jm="$JSON_MB" -v cw="$CSV_WALL" -v cm="$CSV_MB" \
    -v nw="$NUMPY_WALL" -v nm="$NUMPY_MB" -v tt="$TIME_TARGET_S" -v mt="$MEMORY_TARGET_MB" '
    BEGIN {
        printf "SPC benchmark: %d series x %d points from one CSV, median of %d runs (%s build)\n\n", s, p, runs, config
        printf "%-22s %8s %12s\n", "tool", "wall s", "peak RSS MB"
        printf "%-22s %8.3f %12.1f\n", "pioneer spc (json)", jw, jm
        printf "%-22s %8.3f %12.1f\n", "pioneer spc (csv)", cw, cm
        if (nw == "skipped") printf "%-22s %8s %12s\n", "python3 + numpy (csv)", "skipped", "skipped"
        else printf "%-22s %8.3f %12.1f\n", "python3 + numpy (csv)", nw, nm
        printf "\n"
        timeOK = jw < tt && cw < tt
        memoryOK = jm < mt && cm < mt
        printf "wall time under %.1f s:   %s\n", tt, timeOK ? "PASS" : "FAIL"
        printf "peak memory under %d MB: %s\n", mt, memoryOK ? "PASS" : "FAIL"
        exit (timeOK && memoryOK) ? 0 : 1
    }'
