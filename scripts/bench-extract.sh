#!/usr/bin/env bash
# The extract benchmark: times `pioneer collect` reading one large export from 127.0.0.1, a
# `;`-separated CSV (4 million rows, a filter and a count) and a JSON document (1.5 million
# rows, an RFC 9535 filter and a sum), at 1x and 4x those sizes, side by side with curl
# (download only), Python's csv and json modules and jq where installed, all in one run; and,
# at the smallest size, pioneer and curl only: the CSV with Windows' CR LF line ends, the CSV
# with a date filter, and the JSON's filtered elements counted.
# Targets, for pioneer: each extract under 1.5 s and under 100 MB peak memory, whatever the
# size. See docs/benchmark.md.
#
#   scripts/bench-extract.sh                 # 1x and 4x, release build
#   SCALES="1" scripts/bench-extract.sh      # 1x only
#   CONFIG=debug scripts/bench-extract.sh    # use .build/debug (no release build; slower)
#   CSV_ROWS=40000 JSON_ROWS=15000 scripts/bench-extract.sh   # smaller bodies, to try the script
#   RUNS=5 scripts/bench-extract.sh          # pioneer and curl 5 times each (default 3), the median kept
#
# Exit status: 0 targets met, 1 a target missed, 2 the benchmark itself could not run.
set -euo pipefail

SCALES=${SCALES:-"1 4"}
RUNS=${RUNS:-3}
CONFIG=${CONFIG:-release}
CSV_ROWS=${CSV_ROWS:-4000000}
JSON_ROWS=${JSON_ROWS:-1500000}
PERIOD=2026-06
TIME_TARGET=1.5
MEMORY_TARGET_MB=100

cd "$(dirname "$0")/.."

die() { echo "bench-extract: $*" >&2; exit 2; }

[[ $CONFIG == release || $CONFIG == debug ]] || die "CONFIG must be release or debug, not '$CONFIG'"
for scale in $SCALES; do [[ $scale =~ ^[1-9][0-9]*$ ]] || die "SCALES must be whole numbers, not '$scale'"; done
[[ $RUNS =~ ^[1-9]$ ]] || die "RUNS must be a whole number from 1 to 9, not '$RUNS'"
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (apt-get install time)"
command -v curl >/dev/null || die "needs curl on the PATH"
command -v python3 >/dev/null || die "needs python3 on the PATH (it generates and serves the bodies)"
HAVE_JQ=0
command -v jq >/dev/null && HAVE_JQ=1

# PIONEER=<binary> uses that binary as it is; SCRATCH=<folder> builds there instead of .build.
source scripts/bench-pioneer.sh
build_pioneer

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pioneer-bench-extract.XXXXXX")
SERVER_PID=""
cleanup() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
mkdir -p "$WORK/www"

# The bodies: rows of admissions with an age band, a ward and a length of stay. The rows
# repeat a pattern, so the expected count and sum are known without reading them back.
echo "Generating the bodies..." >&2
python3 - "$WORK/www" "$CSV_ROWS" "$JSON_ROWS" $SCALES <<'PY' || die "could not generate the bodies"
import sys
folder, csv_rows, json_rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bands = ["18-64", "65-74", "75-84", "85+"]
wards = ["AMU", "Elderly care", "Orthopaedics", "Stroke", "Cardiology"]
outcomes = ["home", "care home", "died", "transferred"]
scales = sorted({int(s) for s in sys.argv[4:]})
for scale in scales:
    # At the smallest scale the CSV is also written with Windows' line ends (CR LF), as many
    # hospital systems export it.
    for name, newline in [(f"admissions-{scale}x.csv", "\n")] + ([(f"admissions-{scale}x-crlf.csv", "\r\n")] if scale == scales[0] else []):
        with open(f"{folder}/{name}", "w", newline=newline) as out:
            out.write("id;admitted;age_band;ward;los_days;outcome\n")
            block = []
            for i in range(csv_rows * scale):
                block.append(f"{i + 1000000};2026-06-{i % 30 + 1:02d};{bands[i % 4]};{wards[i % 5]};{i % 17};{outcomes[i % 7 % 4]}\n")
                if len(block) == 100000:
                    out.write("".join(block)); block = []
            out.write("".join(block))
    with open(f"{folder}/admissions-{scale}x.json", "w") as out:
        out.write('{"generated": "2026-07-01", "data": [\n')
        block = []
        n = json_rows * scale
        for i in range(n):
            block.append(f'{{"id": {i + 1000000}, "band": "{bands[i % 4]}", "ward": "{wards[i % 5]}", "admissions": {i % 9}}}'
                         + (",\n" if i + 1 < n else "\n"))
            if len(block) == 100000:
                out.write("".join(block)); block = []
        out.write("".join(block))
        out.write("]}\n")
PY

# The bodies just written are still being written back to the disk, and so would be each
# pioneer run's cached copy of the body by the next command: on a slow virtual disk that
# writeback takes a core and the disk for seconds. Each timed command starts after `sync`, so
# it pays for its own writes only (pioneer's stay in the page cache within its run, as they
# would on a site's machine).
settle() { sync; }
settle

# Expected answers, worked out from the pattern: rows aged 75 and over who went home.
expected_count() { python3 -c "n=$1; print(sum(1 for i in range(n) if i % 4 >= 2 and i % 7 % 4 == 0))"; }
expected_sum() { python3 -c "n=$1; print(sum(i % 9 for i in range(n) if i % 4 >= 2))"; }
expected_elements() { python3 -c "n=$1; print(sum(1 for i in range(n) if i % 4 >= 2))"; }

# A plain file server on 127.0.0.1; port 0 lets the system pick one.
python3 - "$WORK/www" >"$WORK/server.out" 2>"$WORK/server.err" <<'PY' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
with Server(("127.0.0.1", 0), handler) as server:
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
PY
SERVER_PID=$!
BASE_URL=""
for _ in $(seq 1 100); do
    BASE_URL=$(head -n 1 "$WORK/server.out" 2>/dev/null || true)
    [[ -n $BASE_URL ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the file server stopped: $(cat "$WORK/server.err")"
    sleep 0.1
done
[[ $BASE_URL == http://127.0.0.1:* ]] || die "the file server did not say where it listens (got '$BASE_URL')"

BENCH_NAME=bench-extract
source scripts/bench-timing.sh
measure_overhead
# The file server shares this machine's cores: the processor time it uses is read for each run.
SERVER_CPU_PID=$SERVER_PID

# The value pioneer stored for an indicator (column 7 of `pioneer measures --format csv`).
stored_value() {
    "$PIONEER" measures "$SITE" --store "$2" --format csv | awk -F, -v id="$1" '$2 == id { print $7 }'
}

RESULTS="$WORK/results"
: >"$RESULTS"
# label, tool, "<wall s> <peak kB>", "<CPU s> <the server's CPU s meanwhile>"
record() { echo "$1 $2 $3 $4" >>"$RESULTS"; }

# The median of each column of lines "<CPU s> <server CPU s>".
median_cpu() {
    local column
    for column in 1 2; do
        printf '%s\n' "$@" | awk -v c="$column" '{ print $c }' | sort -n \
            | awk '{ v[NR] = $1 } END { printf "%.2f ", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
    done
}

# This machine's speed moves by a third from one minute to the next, so pioneer and curl are
# timed RUNS times each, alternately, and the median wall time (with the largest peak memory)
# is recorded; every run is printed. Each pioneer run starts from an empty store, so it
# downloads and reads the whole body (no 304), and its cached copy is removed afterwards.
# Python and jq take tens of seconds and run once: they are there for scale, not for a target.
# Arguments: label, the expected value, the indicator, the URL.
time_pioneer_and_curl() {
    local label=$1 expected=$2 indicator=$3 url=$4 run store got sample
    local pioneer_samples=() curl_samples=() walls=() pioneer_cpu=() curl_cpu=() cpus=()
    for run in $(seq 1 "$RUNS"); do
        settle; sample=$(timed curl -sf -o /dev/null "$url") || exit 2
        curl_samples+=("$sample")
        curl_cpu+=("$(cat "$WORK/time.cpu")")
        store="$WORK/store-$label-$run.sqlite"
        settle; sample=$(timed "$PIONEER" collect "$SITE" --period "$PERIOD" --store "$store" --quiet --indicator "$indicator") || exit 2
        got=$(stored_value "$indicator" "$store")
        [[ ${got%.0} == "$expected" ]] || die "pioneer's $indicator was ${got:-nothing} in run $run of $label, expected $expected"
        pioneer_samples+=("$sample")
        pioneer_cpu+=("$(cat "$WORK/time.cpu")")
        walls+=("${sample% *}")
        cpus+=("$(awk '{ printf "%s+%s", $1, $2 }' "$WORK/time.cpu")")
        rm -rf "$store" "$store"-*
    done
    echo "$label pioneer: ${walls[*]} s (value $expected, as expected); CPU, pioneer + server: ${cpus[*]} s" >&2
    record "$label" curl "$(summarise "${curl_samples[@]}" | awk '{ printf "%s %d", $1, $2 * 1024 }')" "$(median_cpu "${curl_cpu[@]}")"
    record "$label" pioneer "$(summarise "${pioneer_samples[@]}" | awk '{ printf "%s %d", $1, $2 * 1024 }')" "$(median_cpu "${pioneer_cpu[@]}")"
}

# One indicator entry of the benchmark site: id, name, plugin, and the config's keys (flow style).
indicator() {
    printf '  - id: %s\n    name: %s\n    kind: outcome\n    value_type: count\n    unit: admissions\n' "$1" "$2"
    printf '    period: month\n    better: lower\n    plugin: %s\n    config: { feed: exports, %s }\n' "$3" "$4"
}

# The smallest scale, where the extra shapes are timed.
SMALLEST=$(printf '%s\n' $SCALES | sort -n | head -n 1)
for scale in $SCALES; do
    csv_url="$BASE_URL/admissions-${scale}x.csv"
    json_url="$BASE_URL/admissions-${scale}x.json"
    csv_mb=$(( $(stat -c %s "$WORK/www/admissions-${scale}x.csv") / 1000000 ))
    json_mb=$(( $(stat -c %s "$WORK/www/admissions-${scale}x.json") / 1000000 ))
    count=$(expected_count $((CSV_ROWS * scale)))
    total=$(expected_sum $((JSON_ROWS * scale)))
    SITE="$WORK/sites-$scale/bench-extract"
    mkdir -p "$SITE"
    # The filter every CSV indicator shares, and the JSON path's filter.
    csv_where='delimiter: ";", where: { age_band: ["75-84", "85+"], outcome: home }'
    json_filter="\$.data[?@.band == '75-84' || @.band == '85+']"
    {
        cat <<EOF
site:
  id: bench-extract
  name: Extract benchmark
  region: Loopback
  wave: Benchmark
  focus: [large extracts]
feeds:
  exports:
    base_url: $BASE_URL
indicators:
EOF
        indicator admissions-csv "Admissions aged 75 and over discharged home" csv \
            "path: /admissions-${scale}x.csv, $csv_where, aggregate: count"
        indicator admissions-csv-crlf "The same, from a CSV with CR LF line ends" csv \
            "path: /admissions-${scale}x-crlf.csv, $csv_where, aggregate: count"
        indicator admissions-csv-dated "The same, admitted in the period" csv \
            "path: /admissions-${scale}x.csv, $csv_where, date_column: admitted, aggregate: count"
        indicator admissions-json "Admissions aged 75 and over" json \
            "path: /admissions-${scale}x.json, select: \"$json_filter.admissions\", aggregate: sum"
        indicator admissions-json-count "Rows aged 75 and over, counted" json \
            "path: /admissions-${scale}x.json, select: \"$json_filter\", aggregate: count"
    } >"$SITE/site.yaml"
    "$PIONEER" validate "$SITE" >/dev/null 2>"$WORK/validate.err" || die "the generated site is invalid: $(cat "$WORK/validate.err")"

    label="csv-${scale}x(${csv_mb}MB)"
    time_pioneer_and_curl "$label" "$count" admissions-csv "$csv_url"
    settle; sample=$(timed python3 -c "
import csv, sys, urllib.request
with urllib.request.urlopen('$csv_url') as response:
    lines = (line.decode('utf-8') for line in response)
    rows = csv.DictReader(lines, delimiter=';')
    print(sum(1 for row in rows if row['age_band'] in ('75-84', '85+') and row['outcome'] == 'home'))
") || exit 2
    [[ $(cat "$WORK/command.out") == "$count" ]] || die "Python's csv counted $(cat "$WORK/command.out"), expected $count"
    record "$label" python-csv "$sample" "$(cat "$WORK/time.cpu")"
    if [[ $scale == "$SMALLEST" ]]; then
        crlf_mb=$(( $(stat -c %s "$WORK/www/admissions-${scale}x-crlf.csv") / 1000000 ))
        time_pioneer_and_curl "csv-crlf-${scale}x(${crlf_mb}MB)" "$count" admissions-csv-crlf "$BASE_URL/admissions-${scale}x-crlf.csv"
        # The same CSV with a date filter on every row (each row is dated in the period).
        time_pioneer_and_curl "csv-dated-${scale}x(${csv_mb}MB)" "$count" admissions-csv-dated "$csv_url"
    fi

    label="json-${scale}x(${json_mb}MB)"
    time_pioneer_and_curl "$label" "$total" admissions-json "$json_url"
    if [[ $scale == "$SMALLEST" ]]; then
        # The elements a filter selects, counted (none built).
        time_pioneer_and_curl "json-count-${scale}x(${json_mb}MB)" "$(expected_elements $((JSON_ROWS * scale)))" admissions-json-count "$json_url"
    fi
    settle; sample=$(timed python3 -c "
import json, urllib.request
with urllib.request.urlopen('$json_url') as response:
    document = json.load(response)
print(sum(row['admissions'] for row in document['data'] if row['band'] in ('75-84', '85+')))
") || exit 2
    [[ $(cat "$WORK/command.out") == "$total" ]] || die "Python's json summed $(cat "$WORK/command.out"), expected $total"
    record "$label" python-json "$sample" "$(cat "$WORK/time.cpu")"
    if [[ $HAVE_JQ == 1 ]]; then
        settle; sample=$(timed bash -c "curl -sf '$json_url' | jq '[.data[] | select(.band == \"75-84\" or .band == \"85+\") | .admissions] | add'") || exit 2
        [[ $(cat "$WORK/command.out") == "$total" ]] || die "jq summed $(cat "$WORK/command.out"), expected $total"
        record "$label" jq "$sample" "$(cat "$WORK/time.cpu")"
    fi
done

echo
echo "Extract benchmark: one large body from 127.0.0.1, whole process ($CONFIG build);"
echo "pioneer and curl: median of $RUNS runs and the largest peak; Python and jq: one run."
echo "CPU: the tool's processor time (user and system) and the file server's meanwhile; on"
echo "$(nproc) cores a run takes at least their sum / $(nproc) (the bound column)."
echo
awk -v tt="$TIME_TARGET" -v mt="$MEMORY_TARGET_MB" -v cores="$(nproc)" '
    BEGIN { printf "%-22s %-12s %10s %12s %8s %11s %8s\n", "extract", "tool", "wall", "peak", "CPU", "server CPU", "bound" }
    { printf "%-22s %-12s %8.3f s %9.1f MB %6.2f s %9.2f s %6.2f s\n", $1, $2, $3, $4 / 1024, $5, $6, ($5 + $6) / cores
      if ($2 == "pioneer") { if ($3 >= tt || $4 / 1024 >= mt) missed = missed " " $1 } }
    END {
        printf "\n"
        if (missed == "") { printf "pioneer under %.1f s and %d MB for every extract: PASS\n", tt, mt; exit 0 }
        printf "pioneer under %.1f s and %d MB for every extract: FAIL (%s)\n", tt, mt, substr(missed, 2); exit 1
    }' "$RESULTS"
