#!/usr/bin/env bash
# The aggregate benchmark: 42 sites x 150 indicators x 36 monthly periods of signed JSON returns
# (1,512 files), `pioneer aggregate` over the whole folder for one period (release build), and
# Python/pandas doing the same pooling over the same files in the same run. Checks the targets:
# pioneer faster than pandas, under 200 MB peak memory; and that both pooled the same values.
# See docs/aggregate.md.
#
#   scripts/bench-aggregate.sh                # 3 runs each, release build
#   RUNS=5 scripts/bench-aggregate.sh
#   CONFIG=debug scripts/bench-aggregate.sh   # use .build/debug (no release build; much slower)
#
# Exit status: 0 targets met, 1 a target missed, 2 the benchmark itself could not run.
set -euo pipefail

SITES=${SITES:-42}
INDICATORS=${INDICATORS:-150}
PERIODS=${PERIODS:-36}
RUNS=${RUNS:-3}
CONFIG=${CONFIG:-release}
PERIOD=2026-03
MEMORY_TARGET_MB=200

cd "$(dirname "$0")/.."

die() { echo "bench-aggregate: $*" >&2; exit 2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[[ $CONFIG == release || $CONFIG == debug ]] || die "CONFIG must be release or debug, not '$CONFIG'"
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (apt-get install time)"
command -v python3 >/dev/null || die "needs python3 to write the returns"

PANDAS=yes
if ! python3 -c "import pandas" 2>/dev/null; then
    echo "Installing pandas with pip (for the comparison)..." >&2
    python3 -m pip install --user --quiet --disable-pip-version-check pandas >&2 2>/dev/null \
        || python3 -m pip install --user --quiet --disable-pip-version-check --break-system-packages pandas >&2 2>/dev/null \
        || PANDAS=no
    python3 -c "import pandas" 2>/dev/null || PANDAS=no
fi

if [[ $CONFIG == release ]]; then
    echo "Building pioneer (release, static Swift runtime)..." >&2
    swift build -c release --product pioneer --static-swift-stdlib >&2 || die "the release build failed"
fi
PIONEER=.build/$CONFIG/pioneer
[[ -x $PIONEER ]] || die "no $PIONEER; build it first (swift build)"

WORK=.build/bench-aggregate
# Named by the generator's own digest too, so returns written by an older generator are not reused.
GENERATOR=$(sha256sum scripts/bench-aggregate-generate.py | cut -c1-12)
RETURNS=$WORK/returns-$SITES-$INDICATORS-$PERIODS-$GENERATOR
if [[ ! -d $RETURNS ]]; then
    echo "Writing $SITES x $PERIODS returns of $INDICATORS indicators to $RETURNS..." >&2
    rm -rf "$WORK" && mkdir -p "$RETURNS"
    python3 scripts/bench-aggregate-generate.py "$RETURNS" "$SITES" "$INDICATORS" "$PERIODS" || die "writing the returns failed"
fi
SITE_LIST=$(ls "$RETURNS" | paste -sd, - | sed 's/,/, /g')
cat > "$WORK/programme.yaml" <<YAML
programme:
  id: bench
  name: Aggregate benchmark
sites: [$SITE_LIST]
reporting:
  periods: [month]
  due: { soft: 15 days, hard: 30 days }
YAML
FILES=$(find "$RETURNS" -name '*.json' | wc -l)
BYTES=$(du -sm "$RETURNS" | cut -f1)

BENCH_NAME=bench-aggregate
source scripts/bench-timing.sh
measure_overhead

# Runs a command RUNS times (scripts/bench-timing.sh's `timed`); prints "seconds megabytes"
# of the fastest run. The last run's output is in $WORK/command.out.
measure() {
    local best_s="" best_mb="" sample seconds kilobytes
    for _ in $(seq "$RUNS"); do
        sample=$(timed "$@") || die "failed: $*"
        read -r seconds kilobytes <<<"$sample"
        local mb=$(( (kilobytes + 1023) / 1024 ))
        if [[ -z $best_s ]] || awk "BEGIN { exit !($seconds < $best_s) }"; then best_s=$seconds; best_mb=$mb; fi
    done
    echo "$best_s $best_mb"
}

echo "Aggregating $FILES returns ($BYTES MB) for $PERIOD, best of $RUNS runs each..." >&2
read -r pioneer_s pioneer_mb < <(measure "$PIONEER" aggregate "$RETURNS" --period "$PERIOD" --programme "$WORK/programme.yaml" \
    --as-of 2026-06-01 --format csv --output "$WORK/pioneer.csv")
echo "pioneer aggregate: ${pioneer_s} s, peak ${pioneer_mb} MB"

status=0
if [[ $PANDAS == yes ]]; then
    read -r pandas_s pandas_mb < <(measure python3 scripts/bench-aggregate-pandas.py "$RETURNS" "$PERIOD")
    cp "$WORK/command.out" "$WORK/pandas.csv"
    echo "python/pandas:     ${pandas_s} s, peak ${pandas_mb} MB"
    # The same pooled value for every indicator, to 9 significant digits.
    python3 - "$WORK/pioneer.csv" "$WORK/pandas.csv" <<'PY' || status=1
import csv, sys
ours = {row["indicator"]: float(row["value"]) for row in csv.DictReader(open(sys.argv[1])) if row["site"] == "national"}
theirs = {row["indicator"]: float(row["value"]) for row in csv.DictReader(open(sys.argv[2]))}
differ = [key for key in theirs if key not in ours or abs(ours[key] - theirs[key]) > 1e-9 * max(1, abs(theirs[key]))]
if differ or len(ours) != len(theirs):
    print(f"pooled values differ for {len(differ)} indicators (pioneer {len(ours)}, pandas {len(theirs)}): {differ[:5]}")
    sys.exit(1)
print(f"pooled values agree for all {len(ours)} indicators")
PY
    if awk "BEGIN { exit !($pioneer_s < $pandas_s) }"; then
        echo "target met: faster than pandas ($(awk "BEGIN { printf \"%.1f\", $pandas_s / $pioneer_s }")x)"
    else
        echo "target missed: pioneer is not faster than pandas"; status=1
    fi
else
    echo "python/pandas:     skipped (pandas is not installed and pip could not install it)"
fi
if (( pioneer_mb < MEMORY_TARGET_MB )); then
    echo "target met: peak memory ${pioneer_mb} MB < ${MEMORY_TARGET_MB} MB"
else
    echo "target missed: peak memory ${pioneer_mb} MB >= ${MEMORY_TARGET_MB} MB"; status=1
fi
exit $status
