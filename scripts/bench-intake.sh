#!/usr/bin/env bash
# The intake load test: a fresh `pioneer serve` on 127.0.0.1 over a temporary database, one
# token per site, then `pioneer bench-intake` sending COUNT distinct signed returns of
# INDICATORS values with CONCURRENCY in flight through libcurl, and checking afterwards that
# the database holds exactly every submission answered 2xx. Prints submissions/s, p50/p99
# latency and the count lost, and checks the targets: >= 500 submissions/s, p99 < 100 ms,
# none lost. Loopback only; bounded in count (COUNT) and time (MAX_SECONDS, and a hard
# timeout around every step); stops the server itself. See docs/intake.md.
#
#   scripts/bench-intake.sh                       # 5,000 submissions, 32 in flight, release build
#   COUNT=20000 CONCURRENCY=64 scripts/bench-intake.sh
#   CONFIG=debug scripts/bench-intake.sh          # use .build/debug (no release build; slower)
#   PIONEER=/path/to/pioneer scripts/bench-intake.sh   # a binary built earlier, used as it is
#   TIMELINE=/tmp/timeline.txt scripts/bench-intake.sh  # also keep each submission's send time and latency
#   SERVER_LOG=/tmp/serve.log scripts/bench-intake.sh   # also keep the server's log (a duration per request)
#
# Exit status: 0 targets met, 1 a target missed, 2 the benchmark itself could not run.
set -euo pipefail

COUNT=${COUNT:-5000}
CONCURRENCY=${CONCURRENCY:-32}
# Sent first and left out of the figures: a server that has just started answers its first
# wave slowly (docs/intake.md, "The first requests"). The database check covers them too.
WARM_UP=${WARM_UP:-$(( 2 * ${CONCURRENCY} ))}
SITES=${SITES:-40}
MONTHS=${MONTHS:-24}
INDICATORS=${INDICATORS:-150}
MAX_SECONDS=${MAX_SECONDS:-120}
CONFIG=${CONFIG:-release}
RATE_TARGET=500
P99_TARGET_MS=100

cd "$(dirname "$0")/.."

die() { echo "bench-intake: $*" >&2; exit 2; }

[[ $WARM_UP =~ ^[0-9]+$ ]] || die "WARM_UP must be a whole number, not '$WARM_UP'"
for name in COUNT CONCURRENCY SITES MONTHS INDICATORS MAX_SECONDS; do
    [[ ${!name} =~ ^[1-9][0-9]*$ ]] || die "$name must be a positive whole number, not '${!name}'"
done
(( COUNT <= 200000 )) || die "COUNT must be at most 200000 (the test is bounded), not $COUNT"
(( MAX_SECONDS <= 600 )) || die "MAX_SECONDS must be at most 600, not $MAX_SECONDS"
[[ $CONFIG == release || $CONFIG == debug ]] || die "CONFIG must be release or debug, not '$CONFIG'"

if [[ -n ${PIONEER:-} ]]; then
    # A binary given (an earlier build kept aside, say): used as it is, nothing built.
    [[ -x $PIONEER ]] || die "PIONEER=$PIONEER is not an executable file"
else
    if [[ $CONFIG == release ]]; then
        echo "Building pioneer (release)..." >&2
        swift build -c release --product pioneer >&2 || die "the release build failed"
    fi
    PIONEER=.build/$CONFIG/pioneer
    [[ -x $PIONEER ]] || die "no $PIONEER; build it first (swift build)"
fi

mkdir -p .build
WORK=$(mktemp -d .build/bench-intake.XXXXXX)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ -n ${SERVER_LOG:-} && -f $WORK/serve.log ]]; then cp "$WORK/serve.log" "$SERVER_LOG" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

DB=$WORK/intake.sqlite
SITE_IDS=()
for i in $(seq "$SITES"); do SITE_IDS+=("$(printf 'bench-%03d' "$i")"); done
# Deadlines 3 years after each month: none of the returns (from 2024-01) is late by today's clock.
cat > "$WORK/programme.yaml" <<YAML
programme:
  id: bench-intake
  name: Intake load test
sites: [$(IFS=,; echo "${SITE_IDS[*]}" | sed 's/,/, /g')]
reporting:
  periods: [month]
  due: { soft: 35 months, hard: 36 months }
YAML

echo "Making $SITES site tokens..." >&2
: > "$WORK/tokens.txt"
for site in "${SITE_IDS[@]}"; do
    token=$(timeout 30 "$PIONEER" serve token create --site "$site" --db "$DB" | tail -n 1) || die "token create failed for $site"
    [[ $token == pio_* ]] || die "token create for $site did not print a token"
    echo "$site $token" >> "$WORK/tokens.txt"
done

"$PIONEER" serve --db "$DB" --programme "$WORK/programme.yaml" --host 127.0.0.1 --port 0 \
    >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
URL=
for _ in $(seq 300); do
    URL=$(sed -n 's/.*pioneer serve listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$WORK/serve.log" | head -n 1)
    [[ -n $URL ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; die "pioneer serve exited before it listened"; }
    sleep 0.1
done
[[ -n $URL ]] || die "pioneer serve did not listen within 30 s"
echo "pioneer serve at $URL (pid $SERVER_PID); $COUNT submissions of $INDICATORS values, $CONCURRENCY in flight" >&2

# The server's CPU time (user + system, in clock ticks) from /proc: its cost per submission,
# which unlike the rate does not depend on what else the machine is running.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0; }
ticks_before=$(server_ticks)

set +e
timeout $(( MAX_SECONDS + 120 )) "$PIONEER" bench-intake --to "$URL" --tokens "$WORK/tokens.txt" --count "$COUNT" \
    --concurrency "$CONCURRENCY" --warm-up "$WARM_UP" --months "$MONTHS" --indicators "$INDICATORS" --max-seconds "$MAX_SECONDS" \
    --db "$DB" ${TIMELINE:+--timeline "$TIMELINE"} > "$WORK/result.txt"
load_status=$?
set -e
ticks_after=$(server_ticks)
cat "$WORK/result.txt"
(( load_status == 0 || load_status == 1 )) || die "pioneer bench-intake failed (exit $load_status)"

result=$(grep '^result: ' "$WORK/result.txt") || die "pioneer bench-intake printed no result line"
value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" ${result#result: }"; }
rate=$(value rate); p99=$(value p99_ms); lost=$(value lost); answered=$(value answered)

hz=$(getconf CLK_TCK)
if [[ -n $answered && $answered -gt 0 ]]; then
    # Every submission the server handled, the warm-up's too.
    awk -v t=$(( ticks_after - ticks_before )) -v hz="$hz" -v n="$(( answered + WARM_UP ))" 'BEGIN {
        cpu = t / hz; each = cpu / n * 1000
        printf "server CPU: %.2f s for %d submissions, %.2f ms each (one core at that cost: %.0f submissions/s)\n", cpu, n, each, (each > 0 ? 1000 / each : 0) }'
fi

status=0
if awk "BEGIN { exit !($rate >= $RATE_TARGET) }"; then
    echo "target met: $rate submissions/s >= $RATE_TARGET"
else
    echo "target missed: $rate submissions/s < $RATE_TARGET"; status=1
fi
if awk "BEGIN { exit !($p99 < $P99_TARGET_MS) }"; then
    echo "target met: p99 $p99 ms < $P99_TARGET_MS ms"
else
    echo "target missed: p99 $p99 ms >= $P99_TARGET_MS ms"; status=1
fi
if [[ $lost == 0 && $answered == "$COUNT" && $load_status == 0 ]]; then
    echo "target met: none lost; the database holds exactly the $answered submissions answered 2xx"
else
    echo "target missed: $answered of $COUNT answered 2xx, $lost lost (see the lines above)"; status=1
fi
exit $status
