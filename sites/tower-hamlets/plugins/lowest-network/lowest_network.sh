#!/bin/sh
# Tower Hamlets' `lowest-network` indicator: the share of the diabetes register that received
# all eight NICE care processes in the GP network doing worst, so the programme sees whether
# the care packages lift every network and not only the average.
#
# A Pioneer external plugin (protocol 1, docs/plugin-protocol.md) in POSIX sh and awk, no jq:
# one JSON request on stdin, one JSON answer on stdout, log lines on stderr.
set -u

here=$(dirname "$0")
protocol=1

if [ "${PIONEER_PLUGIN_MAGIC_COOKIE:-}" != "d2a7c1e0-pioneer-indicator-plugin" ]; then
    echo "error: this is a Pioneer indicator plugin; run it from pioneer (see README.md), or run ./test.sh here" >&2
    exit 1
fi

request=$(awk -f "$here/json.awk") || exit 1

# field PATH: the value at PATH in the request (strings still JSON-escaped), or nothing.
field() {
    printf '%s\n' "$request" | awk -F '\t' -v path="$1" '$1 == path { print substr($0, length(path) + 2); exit }'
}

# setting KEY DEFAULT: a `config:` setting.
setting() {
    value=$(field "config.$1")
    printf '%s' "${value:-$2}"
}

# quote TEXT: TEXT as a JSON string.
quote() {
    printf '%s' "$1" | awk 'BEGIN { ORS = "" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); if (NR > 1) print "\\n"; print } END { }' |
        { printf '"'; cat; printf '"'; }
}

requested=$(field protocol)
if [ "$requested" != "$protocol" ]; then
    printf '{"protocol": %s, "error": %s}\n' "$protocol" \
        "$(quote "this plugin speaks protocol version $protocol; the request is version ${requested:-missing}")"
    exit 0
fi

method=$(field method)
case "$method" in
describe)
    printf '{"protocol": 1, "summary": "Diabetes care processes in the lowest-achieving GP network.", "batch": false, "methods": ["validate", "requests", "observe"]}\n'
    exit 0
    ;;
validate)
    issues=""
    add_issue() {
        issues="$issues${issues:+, }{\"severity\": \"error\", \"key\": $(quote "$1"), \"message\": $(quote "$2")}"
    }
    for key in $(printf '%s\n' "$request" | awk -F '\t' '$1 ~ /^config\./ { sub(/^config\./, "", $1); sub(/\..*/, "", $1); print $1 }' | sort -u); do
        case "$key" in
        feed | path | network_column | register_column | achieved_column | minimum_register) ;;
        *) add_issue "$key" "unknown key \`$key\`; this plugin reads feed, path, network_column, register_column, achieved_column and minimum_register" ;;
        esac
    done
    [ -n "$(field config.feed)" ] || add_issue feed "missing required key \`feed\`, the feed of the GP extract"
    [ -n "$(field config.path)" ] || add_issue path "missing required key \`path\`, the extract's path, e.g. /extracts/ltc-registers.csv?month={period}"
    case "$(setting minimum_register 0)" in
    '' | *[!0-9]*) add_issue minimum_register "must be a whole number of patients, 0 or more, found \`$(field config.minimum_register)\`" ;;
    esac
    printf '{"protocol": 1, "issues": [%s]}\n' "$issues"
    exit 0
    ;;
requests | observe) ;;
*)
    echo "error: unknown method \`$method\`; this plugin answers describe, validate, requests and observe" >&2
    exit 1
    ;;
esac

# One period per call: describe says `"batch": false`.
period=$(field periods.0.id)
if [ -z "$period" ]; then
    echo "error: the request names no period" >&2
    exit 1
fi

if [ "$method" = requests ]; then
    path=$(setting path "" | awk -v id="$period" -v start="$(field periods.0.start)" -v end="$(field periods.0.end)" '
        function swap(text, name, value,    at) {
            while ((at = index(text, name)) > 0) text = substr(text, 1, at - 1) value substr(text, at + length(name))
            return text
        }
        { print swap(swap(swap($0, "{period.start}", start), "{period.end}", end), "{period}", id) }')
    # The feed and path are still JSON-escaped, as read: they go back into JSON as they are.
    printf '{"protocol": 1, "requests": [{"period": %s, "key": "registers", "feed": "%s", "path": "%s"}]}\n' \
        "$(quote "$period")" "$(setting feed "")" "$path"
    exit 0
fi

status=$(field periods.0.responses.registers.status)
url=$(field periods.0.responses.registers.url)
if [ "$status" != 200 ]; then
    printf '{"protocol": 1, "observations": [{"period": %s, "error": %s}]}\n' "$(quote "$period")" \
        "$(quote "$url answered HTTP ${status:-nothing}")"
    exit 0
fi

observation=$(field periods.0.responses.registers.body | awk \
    -v network_column="$(setting network_column network)" \
    -v register_column="$(setting register_column diabetes_register)" \
    -v achieved_column="$(setting achieved_column diabetes_all_8_care_processes)" \
    -v minimum="$(setting minimum_register 0)" -v url="$url" -f "$here/lowest_network.awk")
log=$(printf '%s\n' "$observation" | sed -n 2p)
[ -z "$log" ] || echo "info: $period: $log" >&2
printf '{"protocol": 1, "observations": [{"period": %s, %s}]}\n' "$(quote "$period")" "$(printf '%s\n' "$observation" | sed -n 1p)"
