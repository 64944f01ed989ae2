#!/usr/bin/env bash
# The scale benchmark: many sites at once, and slow servers. Two cases on 127.0.0.1, each run
# side by side with `curl --parallel` fetching the same URLs, timing the whole process (wall
# time and peak memory) and checking the targets of issue 13. See docs/benchmark.md.
#
#   1. SITES sites x FEEDS feeds (10 x 1,000) answered at once, in one `pioneer collect`:
#      within 1.5x curl's wall time.
#   2. SLOW_FEEDS feeds (2,000) on a server that answers each after LATENCY_MS (50 ms), PARALLEL
#      (16) in flight: within 1.15x the ideal schedule, SLOW_FEEDS x LATENCY_MS / PARALLEL.
#
#   scripts/bench-scale.sh                   # the defaults above, 3 runs each, release build
#   SITES=4 FEEDS=500 SLOW_FEEDS=400 RUNS=1 scripts/bench-scale.sh
#   CONFIG=debug scripts/bench-scale.sh      # use .build/debug (no release build; slower)
#
# Exit status: 0 targets met, 1 a target missed, 2 the benchmark itself could not run.
set -euo pipefail

SITES=${SITES:-10}
FEEDS=${FEEDS:-1000}
SLOW_FEEDS=${SLOW_FEEDS:-2000}
LATENCY_MS=${LATENCY_MS:-50}
RUNS=${RUNS:-3}
PARALLEL=${PARALLEL:-16}
CONFIG=${CONFIG:-release}
PERIOD=2024-01
SITES_RATIO_TARGET=1.5
SLOW_RATIO_TARGET=1.15

cd "$(dirname "$0")/.."

die() { echo "bench-scale: $*" >&2; exit 2; }

for name in SITES FEEDS SLOW_FEEDS LATENCY_MS RUNS PARALLEL; do
    [[ ${!name} =~ ^[1-9][0-9]*$ ]] || die "$name must be a positive whole number, not '${!name}'"
done
(( SITES <= 100 && FEEDS <= 5000 && SLOW_FEEDS <= 10000 && LATENCY_MS <= 1000 )) \
    || die "keep it bounded: SITES <= 100, FEEDS <= 5000, SLOW_FEEDS <= 10000, LATENCY_MS <= 1000"
source scripts/bench-pioneer.sh
check_curl_tools
build_pioneer

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pioneer-bench-scale.XXXXXX")
SERVER_PIDS=()
cleanup() {
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# Starts `pioneer bench-feeds` with the given options; sets BASE_URL to where it listens.
start_server() {
    local name=$1
    shift
    "$PIONEER" bench-feeds --port 0 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    SERVER_PIDS+=($!)
    BASE_URL=""
    for _ in $(seq 1 100); do
        BASE_URL=$(head -n 1 "$WORK/$name.out" 2>/dev/null || true)
        [[ -n $BASE_URL ]] && break
        kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null || die "the feed server stopped: $(cat "$WORK/$name.err")"
        sleep 0.1
    done
    [[ $BASE_URL == http://127.0.0.1:* ]] || die "the feed server did not say where it listens (got '$BASE_URL')"
    curl -sf "$BASE_URL/bench/1.json" >/dev/null || die "the feed server at $BASE_URL does not answer"
}

# Writes a site folder $1 with id $2: feeds numbered $4+1 to $4+$5 on base URL $3, one monthly
# json indicator each, and appends the same URLs to the curl config $6.
write_site() {
    local folder=$1 id=$2 base=$3 first=$4 count=$5 curl_config=$6
    mkdir -p "$folder"
    awk -v id="$id" -v base="$base" -v first="$first" -v count="$count" '
        BEGIN {
            printf "site:\n  id: %s\n  name: Scale benchmark %s\n  region: Loopback\n  wave: Benchmark\n", id, id
            printf "  focus: [collection speed]\nfeeds:\n  bench:\n    base_url: %s\nindicators:\n", base
            for (i = first + 1; i <= first + count; i++) {
                printf "  - id: bench-%d\n    name: Benchmark feed %d\n    kind: process\n", i, i
                printf "    value_type: count\n    unit: items\n    period: month\n    better: higher\n    plugin: json\n"
                printf "    config: { feed: bench, path: \"/bench/%d.json?month={period}\", select: \"$.value\" }\n", i
            }
        }' >"$folder/site.yaml"
    awk -v base="$base" -v first="$first" -v count="$count" -v period="$PERIOD" '
        BEGIN {
            for (i = first + 1; i <= first + count; i++)
                printf "url = \"%s/bench/%d.json?month=%s\"\noutput = \"/dev/null\"\n", base, i, period
        }' >>"$curl_config"
    "$PIONEER" validate "$folder" >/dev/null 2>"$WORK/validate.err" || die "the generated site $id is invalid: $(cat "$WORK/validate.err")"
}

# Checks that every site in the listed folders stored its FEEDS measures in its own store.
check_stored() {
    local expected=$1 run=$2
    shift 2
    local folder stored
    for folder in "$@"; do
        stored=$("$PIONEER" measures "$folder" --format csv | tail -n +2 | wc -l)
        [[ $stored -eq $expected ]] || die "run $run: pioneer stored $stored measures for $folder, expected $expected"
    done
}

start_server instant
INSTANT_URL=$BASE_URL
INSTANT_PID=${SERVER_PIDS[-1]}
start_server slow --latency-ms "$LATENCY_MS"
SLOW_URL=$BASE_URL
SLOW_PID=${SERVER_PIDS[-1]}

echo "Writing $SITES sites x $FEEDS feeds and a site of $SLOW_FEEDS slow feeds..." >&2
SITE_FOLDERS=()
: >"$WORK/sites.curl"
for s in $(seq 1 "$SITES"); do
    SITE_FOLDERS+=("$WORK/sites/site-$s")
    write_site "$WORK/sites/site-$s" "site-$s" "$INSTANT_URL" $(( (s - 1) * FEEDS )) "$FEEDS" "$WORK/sites.curl"
done
: >"$WORK/slow.curl"
write_site "$WORK/slow" slow "$SLOW_URL" 0 "$SLOW_FEEDS" "$WORK/slow.curl"

BENCH_NAME=bench-scale
source scripts/bench-timing.sh
measure_overhead

SITES_PIONEER=()
SITES_CURL=()
SLOW_PIONEER=()
SLOW_CURL=()
# Processor time in the ten-site case, a line per run: pioneer's, the server's meanwhile,
# curl's, the server's meanwhile.
: >"$WORK/cpu"
for run in $(seq 1 "$RUNS"); do
    # Each run starts from empty stores, each site in its own <site dir>/.pioneer/store.sqlite.
    for folder in "${SITE_FOLDERS[@]}" "$WORK/slow"; do rm -rf "$folder/.pioneer"; done

    SERVER_CPU_PID=$INSTANT_PID
    sample=$(timed "$PIONEER" collect "${SITE_FOLDERS[@]}" --period "$PERIOD" --quiet --max-parallel "$PARALLEL") || exit 2
    read -r pioneer_cpu pioneer_server_cpu <"$WORK/time.cpu"
    check_stored "$FEEDS" "$run" "${SITE_FOLDERS[@]}"
    SITES_PIONEER+=("$sample")
    sample=$(timed curl --parallel --parallel-max "$PARALLEL" --fail -s -K "$WORK/sites.curl") || exit 2
    read -r curl_cpu curl_server_cpu <"$WORK/time.cpu"
    SITES_CURL+=("$sample")
    echo "$pioneer_cpu $pioneer_server_cpu $curl_cpu $curl_server_cpu" >>"$WORK/cpu"
    echo "run $run/$RUNS: $SITES sites: CPU pioneer $pioneer_cpu s + its server $pioneer_server_cpu s;" \
        "curl $curl_cpu s + its server $curl_server_cpu s" >&2

    SERVER_CPU_PID=$SLOW_PID

    sample=$(timed "$PIONEER" collect "$WORK/slow" --period "$PERIOD" --quiet --max-parallel "$PARALLEL") || exit 2
    check_stored "$SLOW_FEEDS" "$run" "$WORK/slow"
    SLOW_PIONEER+=("$sample")
    sample=$(timed curl --parallel --parallel-max "$PARALLEL" --fail -s -K "$WORK/slow.curl") || exit 2
    SLOW_CURL+=("$sample")
    echo "run $run/$RUNS: $SITES sites: pioneer ${SITES_PIONEER[-1]% *} s, curl ${SITES_CURL[-1]% *} s;" \
        "slow feeds: pioneer ${SLOW_PIONEER[-1]% *} s, curl ${SLOW_CURL[-1]% *} s" >&2
done

read -r SP_WALL SP_MB < <(summarise "${SITES_PIONEER[@]}")
read -r SC_WALL SC_MB < <(summarise "${SITES_CURL[@]}")
read -r LP_WALL LP_MB < <(summarise "${SLOW_PIONEER[@]}")
read -r LC_WALL LC_MB < <(summarise "${SLOW_CURL[@]}")
# The median of each processor-time column.
read -r P_CPU PS_CPU C_CPU CS_CPU < <(
    for column in 1 2 3 4; do awk -v c="$column" '{ print $c }' "$WORK/cpu" | sort -n \
        | awk '{ v[NR] = $1 } END { printf "%.2f ", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; done; echo)

awk -v sites="$SITES" -v feeds="$FEEDS" -v slow="$SLOW_FEEDS" -v latency="$LATENCY_MS" -v runs="$RUNS" \
    -v par="$PARALLEL" -v config="$CONFIG" -v spw="$SP_WALL" -v spm="$SP_MB" -v scw="$SC_WALL" -v scm="$SC_MB" \
    -v lpw="$LP_WALL" -v lpm="$LP_MB" -v lcw="$LC_WALL" -v lcm="$LC_MB" \
    -v st="$SITES_RATIO_TARGET" -v lt="$SLOW_RATIO_TARGET" \
    -v cores="$(nproc)" -v pcpu="$P_CPU" -v pscpu="$PS_CPU" -v ccpu="$C_CPU" -v cscpu="$CS_CPU" '
    BEGIN {
        ideal = slow * latency / 1000 / par
        sitesRatio = spw / ((scw > 0) ? scw : 0.001)
        slowRatio = lpw / ideal
        printf "Scale benchmark: 127.0.0.1, %d in flight, median of %d runs (%s build), whole process\n\n", par, runs, config
        printf "%-34s %-8s %9s %8s %12s %10s\n", "case", "tool", "requests", "wall s", "peak RSS MB", "ratio"
        printf "%-34s %-8s %9d %8.3f %12.1f %10.2f\n", sites " sites x " feeds " feeds, instant", "curl", sites * feeds, scw, scm, 1
        printf "%-34s %-8s %9d %8.3f %12.1f %10.2f\n", "", "pioneer", sites * feeds, spw, spm, sitesRatio
        printf "%-34s %-8s %9d %8.3f %12s %10.2f\n", slow " feeds, " latency " ms each", "ideal", slow, ideal, "-", 1
        printf "%-34s %-8s %9d %8.3f %12.1f %10.2f\n", "", "curl", slow, lcw, lcm, lcw / ideal
        printf "%-34s %-8s %9d %8.3f %12.1f %10.2f\n", "", "pioneer", slow, lpw, lpm, slowRatio
        printf "\n"
        printf "%d sites, processor time (medians): pioneer %.2f s and the feed server %.2f s meanwhile;\n", sites, pcpu, pscpu
        printf "curl %.2f s and the feed server %.2f s. On %d cores a run takes at least the sum / %d:\n", ccpu, cscpu, cores, cores
        printf "pioneer %.2f s, curl %.2f s.\n\n", (pcpu + pscpu) / cores, (ccpu + cscpu) / cores
        sitesOK = sitesRatio <= st
        slowOK = slowRatio <= lt
        printf "%d sites within %.1fx curl --parallel: %s (%.2fx)\n", sites, st, sitesOK ? "PASS" : "FAIL", sitesRatio
        printf "slow feeds within %.2fx the ideal %.2f s: %s (%.2fx)\n", lt, ideal, slowOK ? "PASS" : "FAIL", slowRatio
        exit (sitesOK && slowOK) ? 0 : 1
    }'
