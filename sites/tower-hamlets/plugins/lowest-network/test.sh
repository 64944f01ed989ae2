#!/bin/sh
# Tests of the `lowest-network` plugin, run as pioneer runs it: one JSON request on stdin,
# one JSON answer on stdout. POSIX sh; run `./test.sh` in this folder. Exit 0 when all pass.
set -u
here=$(cd "$(dirname "$0")" && pwd)
plugin="$here/lowest_network.sh"
failures=0
passed=0

# json_string FILE: the file's text as a JSON string.
json_string() {
    awk 'BEGIN { ORS = ""; print "\"" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); print $0 "\\n" } END { print "\"" }' "$1"
}

# call REQUEST: the plugin's answer, run as pioneer runs it (only the protocol's variables set).
call() {
    printf '%s' "$1" | env -i PATH="$PATH" PIONEER_PLUGIN_PROTOCOL=1 \
        PIONEER_PLUGIN_MAGIC_COOKIE=d2a7c1e0-pioneer-indicator-plugin "$plugin" 2>/dev/null
}

# expect NAME ANSWER TEXT: passes when ANSWER contains TEXT.
expect() {
    case "$2" in
    *"$3"*) passed=$((passed + 1)) ;;
    *)
        failures=$((failures + 1))
        printf 'FAIL %s\n  expected: %s\n  answer:   %s\n' "$1" "$3" "$2"
        ;;
    esac
}

june='{"id": "2025-06", "type": "month", "start": "2025-06-01", "end": "2025-06-30"'
config='"config": {"feed": "gp", "path": "/extracts/ltc-registers.csv?month={period}"}'
url='http://127.0.0.1:8470/tower-hamlets/gp/extracts/ltc-registers.csv?month=2025-06'

observe() {
    call "{\"protocol\": 1, \"method\": \"observe\", $config, \"periods\": [$june, \"responses\": {\"registers\": {\"url\": \"$url\", \"status\": $1, \"content_type\": \"text/csv\", \"body\": $(json_string "$here/testdata/$2")}}}]}"
}

answer=$(call '{"protocol": 1, "method": "describe"}')
expect "describe takes one period per call" "$answer" '"batch": false, "methods": ["validate", "requests", "observe"]'

answer=$(call "{\"protocol\": 1, \"method\": \"validate\", $config}")
expect "a good configuration has no issues" "$answer" '{"protocol": 1, "issues": []}'

answer=$(call '{"protocol": 1, "method": "validate", "config": {"feed": "gp", "pth": "/x", "minimum_register": -3}}')
expect "an unknown key is an error at that key" "$answer" '{"severity": "error", "key": "pth", "message": "unknown key `pth`; this plugin reads feed, path,'
expect "a missing path is an error at path" "$answer" '"key": "path", "message": "missing required key `path`'
expect "a negative minimum is an error" "$answer" '"key": "minimum_register", "message": "must be a whole number of patients, 0 or more, found `-3`"'

answer=$(call "{\"protocol\": 1, \"method\": \"requests\", $config, \"periods\": [$june}]}")
expect "the request names the month's extract" "$answer" \
    '"requests": [{"period": "2025-06", "key": "registers", "feed": "gp", "path": "/extracts/ltc-registers.csv?month=2025-06"}]'

answer=$(observe 200 ltc-registers-2025-06.csv)
expect "network 1 is the lowest in June" "$answer" \
    '"observations": [{"period": "2025-06", "value": 0.758770201, "numerator": 1925, "denominator": 2537, "n": 2537}]'

answer=$(observe 200 ltc-registers-quoted.csv)
expect "quoted names with commas and quotes are read" "$answer" '"value": 0.703038674, "numerator": 509, "denominator": 724'

answer=$(observe 200 ltc-registers-line-break.csv)
expect "a quoted line break stays in its row" "$answer" '"value": 0.6, "numerator": 60, "denominator": 100'

answer=$(observe 200 ltc-registers-short-row.csv)
expect "a row shorter than the header fails the period naming it" "$answer" "row 3: 2 fields, but the header has 7 columns"

answer=$(observe 503 ltc-registers-2025-06.csv)
expect "an HTTP error fails the period naming the URL" "$answer" "\"error\": \"$url answered HTTP 503\""

answer=$(call "{\"protocol\": 1, \"method\": \"observe\", \"config\": {\"feed\": \"gp\", \"path\": \"/x\", \"register_column\": \"dm_register\"}, \"periods\": [$june, \"responses\": {\"registers\": {\"url\": \"$url\", \"status\": 200, \"body\": $(json_string "$here/testdata/ltc-registers-2025-06.csv")}}}]}")
expect "a missing column is named with the columns there are" "$answer" 'has no `dm_register` column; its columns are `month`, `practice_code`'

answer=$(call "{\"protocol\": 1, \"method\": \"observe\", \"config\": {\"feed\": \"gp\", \"path\": \"/x\", \"minimum_register\": 99999}, \"periods\": [$june, \"responses\": {\"registers\": {\"url\": \"$url\", \"status\": 200, \"body\": $(json_string "$here/testdata/ltc-registers-2025-06.csv")}}}]}")
expect "no network large enough is not available" "$answer" '"not_available": "no network has a diabetes register of 99999 or more"'

answer=$(call '{"protocol": 2, "method": "describe"}')
expect "another protocol version is answered naming both" "$answer" '{"protocol": 1, "error": "this plugin speaks protocol version 1; the request is version 2"}'

message=$(printf '{"protocol": 1, "method": "describe"}' | env -i PATH="$PATH" "$plugin" 2>&1)
expect "run by hand it says to run it from pioneer" "$message" "run it from pioneer"

message=$(printf '{"protocol": 1,' | env -i PATH="$PATH" PIONEER_PLUGIN_MAGIC_COOKIE=d2a7c1e0-pioneer-indicator-plugin "$plugin" 2>&1)
expect "a broken request is refused on stderr" "$message" "error: the request is not JSON"

printf '%d passed, %d failed\n' "$passed" "$failures"
[ "$failures" -eq 0 ]
