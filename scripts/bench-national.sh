#!/usr/bin/env bash
# The national-scale benchmark (issue 14): ten times today's national size, 420 sites x 150
# indicators x 36 monthly returns (15,120 returns), loaded through the API into PostgreSQL by
# two `pioneer serve` processes on one database, in four steps of nine months. After each step
# it records each server's memory and times the one-period aggregate; at the end it times the
# aggregate of the last month and its whole 36-month history from the service, and `pioneer
# aggregate` over the same returns as files (the very bytes sent), compares their figures, and
# checks the targets:
#   - two servers together >= 1,000 submissions/s of 150-value returns, p99 < 100 ms, none lost;
#   - the one-period aggregate from the service under 1 s;
#   - server memory flat as the data grows: each server's resident memory after the last step
#     within 25% of what it was after the first;
#   - the service's pooled figures equal those of `pioneer aggregate` over the files.
# Loopback only. A throwaway PostgreSQL cluster (initdb, pg_ctl; Debian's packages, installed by
# scripts/install-system-packages.sh) with its default durability settings, stopped at the end.
#
#   scripts/bench-national.sh                          # release build, 420 sites, 36 months
#   PIONEER=.build/release/pioneer scripts/bench-national.sh   # a binary built earlier
#   SITES=42 MONTHS=12 CONFIG=debug scripts/bench-national.sh  # a small run on the debug build
#
# Exit status: 0 targets met, 1 a target missed, 2 the benchmark itself could not run.
set -euo pipefail

SITES=${SITES:-420}
MONTHS=${MONTHS:-36}
STEPS=${STEPS:-4}
INDICATORS=${INDICATORS:-150}
CONCURRENCY=${CONCURRENCY:-32}
SERVERS=${SERVERS:-2}
CONFIG=${CONFIG:-release}
FIRST_MONTH=${FIRST_MONTH:-}
RATE_TARGET=1000
P99_TARGET_MS=100
AGGREGATE_TARGET_S=1
MEMORY_GROWTH_LIMIT=1.25

cd "$(dirname "$0")/.."

die() { echo "bench-national: $*" >&2; exit 2; }

for name in SITES MONTHS STEPS INDICATORS CONCURRENCY SERVERS; do
    [[ ${!name} =~ ^[1-9][0-9]*$ ]] || die "$name must be a positive whole number, not '${!name}'"
done
(( SITES <= 1000 && SERVERS <= 8 )) || die "at most 1000 sites and 8 servers (the run is bounded)"
(( MONTHS % STEPS == 0 )) || die "MONTHS ($MONTHS) must be a multiple of STEPS ($STEPS)"
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (apt-get install time)"
command -v curl >/dev/null || die "needs curl"
command -v python3 >/dev/null || die "needs python3 to compare the aggregates"
command -v psql >/dev/null || die "needs psql (scripts/install-system-packages.sh installs postgresql)"
PG_BIN=${PIONEER_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] || die "no PostgreSQL server (initdb, pg_ctl); run scripts/install-system-packages.sh or set PIONEER_PG_BIN"

source scripts/bench-pioneer.sh
build_pioneer

# month_after YYYY-MM N: the month N months later.
month_after() {
    local year=${1%-*} month=${1#*-}
    local index=$(( 10#$year * 12 + 10#$month - 1 + $2 ))
    printf '%04d-%02d' $(( index / 12 )) $(( index % 12 + 1 ))
}
# By default the months end with the last one over: a deadline of 36 months after each month
# (the most a programme file allows) keeps even the first on time by today's clock, which is
# the clock the service judges receipts by.
[[ -n $FIRST_MONTH ]] || FIRST_MONTH=$(month_after "$(date -u +%Y-%m)" $(( -MONTHS )))
[[ $FIRST_MONTH =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]] || die "FIRST_MONTH must be YYYY-MM, not '$FIRST_MONTH'"
(( MONTHS <= 36 )) || die "at most 36 months: the programme's deadlines can be at most 36 months after a month"
LAST_MONTH=$(month_after "$FIRST_MONTH" $(( MONTHS - 1 )))

mkdir -p .build
WORK=$(cd "$(mktemp -d .build/bench-national.XXXXXX)" && pwd)
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user, in a
# folder that user can reach.
PGDIR=$(mktemp -d /tmp/pioneer-bench-pg.XXXXXX)
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [[ $(id -u) == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (Debian's postgresql package creates it)"
    chown postgres: "$PGDIR"
fi
SERVER_PIDS=()
SAMPLER_PID=
cleanup() {
    for pid in "${SERVER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
    as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" stop -m fast -w -t 30 >/dev/null 2>&1 || true
    rm -rf "$PGDIR" "$WORK"
}
trap cleanup EXIT

echo "Starting PostgreSQL ($PG_BIN)..." >&2
as_pg "$PG_BIN/initdb" -D "$PGDIR/data" -U pioneer --auth=trust -E UTF8 --locale=C --no-instructions >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDIR -c max_connections=200" start >/dev/null \
    || { cat "$PGDIR/server.log" >&2; die "PostgreSQL did not start"; }
psql -h 127.0.0.1 -p "$PG_PORT" -U pioneer -d postgres -X -q -c "CREATE DATABASE intake" || die "cannot create the database"
DB="postgres://pioneer@127.0.0.1:$PG_PORT/intake"

SITE_IDS=()
for i in $(seq "$SITES"); do SITE_IDS+=("$(printf 'site-%03d' "$i")"); done
# No return is late or missing by today's clock, whether judged on the day received (the
# service) or on generatedAt (the files).
cat > "$WORK/programme.yaml" <<YAML
programme:
  id: bench-national
  name: National-scale benchmark
sites: [$(IFS=,; echo "${SITE_IDS[*]}" | sed 's/,/, /g')]
reporting:
  periods: [month]
  due: { soft: 36 months, hard: 36 months }
YAML

# One office token: it may submit for any site.
OFFICE=$("$PIONEER" serve token create --office --db "$DB" | tail -n 1) || die "token create failed"
[[ $OFFICE == pio_* ]] || die "token create did not print a token"
for site in "${SITE_IDS[@]}"; do echo "$site $OFFICE"; done > "$WORK/tokens.txt"

URLS=()
for n in $(seq "$SERVERS"); do
    "$PIONEER" serve --db "$DB" --programme "$WORK/programme.yaml" --host 127.0.0.1 --port 0 --log-level warning \
        >"$WORK/serve-$n.out" 2>"$WORK/serve-$n.log" &
    SERVER_PIDS+=($!)
    url=
    for _ in $(seq 300); do
        url=$(sed -n 's/.*pioneer serve listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$WORK/serve-$n.log" | head -n 1)
        [[ -n $url ]] && break
        kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null || { cat "$WORK/serve-$n.log" >&2; die "pioneer serve $n exited before it listened"; }
        sleep 0.1
    done
    [[ -n $url ]] || die "pioneer serve $n did not listen within 30 s"
    URLS+=("$url")
done
echo "Servers: ${URLS[*]} on $DB; $SITES sites x $MONTHS months ($FIRST_MONTH to $LAST_MONTH) of $INDICATORS values, $CONCURRENCY in flight" >&2

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# timed_get URL FILE: fetches with the office token, prints the seconds it took; fails on non-2xx.
timed_get() {
    curl -sS --fail-with-body -o "$2" -w '%{time_total}' -H "Authorization: Bearer $OFFICE" "$1" \
        || { echo >&2; cat "$2" >&2; die "GET $1 failed"; }
}

status=0
STEP_MONTHS=$(( MONTHS / STEPS ))
TO_ARGS=()
for url in "${URLS[@]}"; do TO_ARGS+=(--to "$url"); done
total_answered=0 total_seconds=0 worst_p99=0
declare -a FIRST_RSS LAST_RSS
printf '\n%-6s %-17s %10s %8s %8s %7s %12s  %s\n' step months "returns" "subm/s" "p99 ms" "no 2xx" "aggregate" "server memory (RSS MB)"
for step in $(seq 0 $(( STEPS - 1 ))); do
    from=$(month_after "$FIRST_MONTH" $(( step * STEP_MONTHS )))
    to=$(month_after "$from" $(( STEP_MONTHS - 1 )))
    count=$(( SITES * STEP_MONTHS ))
    set +e
    timeout 1800 "$PIONEER" bench-intake "${TO_ARGS[@]}" --tokens "$WORK/tokens.txt" --count "$count" \
        --concurrency "$CONCURRENCY" --months "$STEP_MONTHS" --first-month "$from" --indicators "$INDICATORS" \
        --max-seconds 1200 --timeout 60 --save "$WORK/returns" > "$WORK/load-$step.txt" 2>"$WORK/load-$step.log"
    load_status=$?
    set -e
    (( load_status == 0 || load_status == 1 )) || { cat "$WORK/load-$step.log" >&2; die "pioneer bench-intake failed (exit $load_status)"; }
    result=$(grep '^result: ' "$WORK/load-$step.txt") || { cat "$WORK/load-$step.log" >&2; die "bench-intake printed no result"; }
    value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" ${result#result: }"; }
    answered=$(value answered)
    seconds=$(sed -n 's/^time: \([0-9.]*\) s.*/\1/p' "$WORK/load-$step.txt")
    (( answered == count )) || { echo "step $step: $answered of $count answered 2xx" >&2; status=1; }
    total_answered=$(( total_answered + answered ))
    total_seconds=$(awk -v a="$total_seconds" -v b="$seconds" 'BEGIN { print a + b }')
    worst_p99=$(awk -v a="$worst_p99" -v b="$(value p99_ms)" 'BEGIN { print (b > a ? b : a) }')
    aggregate_s=$(timed_get "${URLS[0]}/v1/aggregate?period=$to" "$WORK/aggregate-$step.json")
    memory=""
    for i in "${!SERVER_PIDS[@]}"; do
        rss=$(rss_mb "${SERVER_PIDS[$i]}")
        memory+="$rss "
        [[ $step == 0 ]] && FIRST_RSS[$i]=$rss
        LAST_RSS[$i]=$rss
    done
    printf '%-6s %-17s %10s %8s %8s %7s %10.3f s  %s\n' $(( step + 1 )) "$from..$to" "$answered" "$(value rate)" \
        "$(value p99_ms)" "$(( count - answered ))" "$aggregate_s" "$memory"
done

# The database holds exactly what was answered 2xx: every submission once.
stored=$(psql -h 127.0.0.1 -p "$PG_PORT" -U pioneer -d intake -X -A -t \
    -c "SELECT count(*), count(DISTINCT digest) FROM submission WHERE status <> 'rejected'")
echo
echo "database: $stored (accepted submissions, distinct digests) against $total_answered answered 2xx"
[[ $stored == "$total_answered|$total_answered" ]] || { echo "target missed: the database does not hold exactly the submissions answered 2xx"; status=1; }

rate=$(awk -v n="$total_answered" -v s="$total_seconds" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
echo "load: $total_answered returns in $total_seconds s through $SERVERS servers: $rate submissions/s; worst step p99 $worst_p99 ms"

# The last month and its whole history, from the service: three runs each, the median.
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
runs=()
for _ in 1 2 3; do runs+=("$(timed_get "${URLS[0]}/v1/aggregate?period=$LAST_MONTH" "$WORK/service-aggregate.json")"); done
service_aggregate_s=$(median "${runs[@]}")
runs=()
for _ in 1 2 3; do runs+=("$(timed_get "${URLS[0]}/v1/history?period=$LAST_MONTH&periods=$MONTHS" "$WORK/service-history.json")"); done
service_history_s=$(median "${runs[@]}")
server_memory=""
for pid in "${SERVER_PIDS[@]}"; do server_memory+="$(rss_mb "$pid") MB now, $(hwm_mb "$pid") MB peak; "; done

# The same returns as files.
/usr/bin/time -f '%e %M' -o "$WORK/files-aggregate.time" "$PIONEER" aggregate "$WORK/returns" --period "$LAST_MONTH" \
    --programme "$WORK/programme.yaml" --format json --output "$WORK/files-aggregate.json" 2>"$WORK/files-aggregate.log" \
    || { tail -n 5 "$WORK/files-aggregate.log" >&2; die "pioneer aggregate over the files failed"; }
/usr/bin/time -f '%e %M' -o "$WORK/files-history.time" "$PIONEER" aggregate "$WORK/returns" --period "$LAST_MONTH" \
    --programme "$WORK/programme.yaml" --format json --history --output "$WORK/files-history.json" 2>"$WORK/files-history.log" \
    || { tail -n 5 "$WORK/files-history.log" >&2; die "pioneer aggregate --history over the files failed"; }
read -r files_aggregate_s files_aggregate_kb < "$WORK/files-aggregate.time"
read -r files_history_s files_history_kb < "$WORK/files-history.time"

echo
printf '%-44s %10s %s\n' "" "time" "peak memory"
printf '%-44s %8.3f s %s\n' "service: aggregate of $LAST_MONTH" "$service_aggregate_s" ""
printf '%-44s %8.3f s %s\n' "service: history, $MONTHS months to $LAST_MONTH" "$service_history_s" ""
printf '%-44s %8.3f s %.1f MB\n' "pioneer aggregate, files: $LAST_MONTH" "$files_aggregate_s" "$(awk -v k="$files_aggregate_kb" 'BEGIN { print k / 1024 }')"
printf '%-44s %8.3f s %.1f MB\n' "pioneer aggregate --history, files" "$files_history_s" "$(awk -v k="$files_history_kb" 'BEGIN { print k / 1024 }')"
echo "servers: $server_memory"

# The service's figures against the files': every indicator's pooled value, sites and funnel.
python3 - "$WORK/service-aggregate.json" "$WORK/files-aggregate.json" <<'PY' || status=1
import json, re, sys
# The API writes camelCase keys, `pioneer aggregate --format json` snake_case: compared alike.
def snake(value):
    if isinstance(value, dict):
        return {re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower(): snake(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake(item) for item in value]
    return value
service, files = (snake(json.load(open(path))) for path in sys.argv[1:3])
def figures(national):
    return [(i["id"], i.get("pooled"), [(s["site"], s.get("value"), s.get("numerator"), s.get("denominator"), s.get("position"))
             for s in i.get("sites", [])], i.get("funnel")) for i in national["indicators"]]
a, b = figures(service), figures(files)
if a == b and a:
    print(f"the service's aggregate equals pioneer aggregate over the files: {len(a)} indicators, pooled values, sites and funnels alike")
else:
    differing = [x[0] for x, y in zip(a, b) if x != y]
    print(f"target missed: the service's aggregate differs from the files' ({len(a)} against {len(b)} indicators; differing: {differing[:5]})")
    sys.exit(1)
PY

echo
if awk -v r="$rate" -v t="$RATE_TARGET" 'BEGIN { exit !(r >= t) }'; then
    echo "target met: $rate submissions/s >= $RATE_TARGET through $SERVERS servers"
else
    echo "target missed: $rate submissions/s < $RATE_TARGET through $SERVERS servers"; status=1
fi
if awk -v p="$worst_p99" -v t="$P99_TARGET_MS" 'BEGIN { exit !(p < t) }'; then
    echo "target met: p99 $worst_p99 ms < $P99_TARGET_MS ms"
else
    echo "target missed: p99 $worst_p99 ms >= $P99_TARGET_MS ms"; status=1
fi
if awk -v s="$service_aggregate_s" -v t="$AGGREGATE_TARGET_S" 'BEGIN { exit !(s < t) }'; then
    echo "target met: the one-period aggregate took $service_aggregate_s s < $AGGREGATE_TARGET_S s"
else
    echo "target missed: the one-period aggregate took $service_aggregate_s s >= $AGGREGATE_TARGET_S s"; status=1
fi
for i in "${!SERVER_PIDS[@]}"; do
    if awk -v a="${FIRST_RSS[$i]}" -v b="${LAST_RSS[$i]}" -v l="$MEMORY_GROWTH_LIMIT" 'BEGIN { exit !(b <= a * l) }'; then
        echo "target met: server $(( i + 1 )) memory ${FIRST_RSS[$i]} MB after the first step, ${LAST_RSS[$i]} MB after the last (limit x$MEMORY_GROWTH_LIMIT)"
    else
        echo "target missed: server $(( i + 1 )) memory grew from ${FIRST_RSS[$i]} MB to ${LAST_RSS[$i]} MB (limit x$MEMORY_GROWTH_LIMIT)"; status=1
    fi
done
exit $status
