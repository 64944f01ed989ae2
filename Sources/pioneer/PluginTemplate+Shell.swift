// The files `pioneer plugin new --shell` writes, into <site>/plugins/<name>/. Placeholders such as
// __NAME__ are filled in by PluginScaffold; the texts live here so the binary needs no files beside it.

extension PluginTemplate {
    /// The Shell plugin's files.
    static let shell: [PluginTemplate] = [
        PluginTemplate(path: "__MODULE__.sh", executable: true, text: ##"""
#!/bin/sh
# The `__NAME__` indicator plugin: counts the rows of a CSV feed, optionally only those whose
# `column` holds `equals`.
#
# A Pioneer external plugin (protocol 1, docs/plugin-protocol.md) in POSIX sh and awk, no jq:
# one JSON request on stdin, one JSON answer on stdout, log lines on stderr. Scaffolded by
# `pioneer plugin new __NAME__ --shell`: change count.awk to compute your indicator.
set -u
here=$(dirname "$0")

if [ "${PIONEER_PLUGIN_MAGIC_COOKIE:-}" != "d2a7c1e0-pioneer-indicator-plugin" ]; then
    echo "error: this is a Pioneer indicator plugin; run it from pioneer, or run ./test.sh here" >&2
    exit 1
fi

request=$(awk -f "$here/json.awk") || exit 1

# field PATH: the value at PATH in the request (strings still JSON-escaped), or nothing.
field() {
    printf '%s\n' "$request" | awk -F '\t' -v path="$1" '$1 == path { print substr($0, length(path) + 2); exit }'
}

if [ "$(field protocol)" != 1 ]; then
    printf '{"protocol": 1, "error": "this plugin speaks protocol version 1; the request is version %s"}\n' "$(field protocol)"
    exit 0
fi

case "$(field method)" in
describe)
    echo '{"protocol": 1, "summary": "Counts the rows of a CSV feed (scaffolded; say what yours computes).", "batch": false, "methods": ["validate", "requests", "observe"]}'
    ;;
validate)
    issues=""
    for key in $(printf '%s\n' "$request" | awk -F '\t' '$1 ~ /^config\./ { sub(/^config\./, "", $1); sub(/\..*/, "", $1); print $1 }' | sort -u); do
        case "$key" in
        feed | path | column | equals) ;;
        *) issues="$issues${issues:+, }{\"severity\": \"error\", \"key\": \"$key\", \"message\": \"unknown key \`$key\`; this plugin reads feed, path, column and equals\"}" ;;
        esac
    done
    for key in feed path; do
        [ -n "$(field "config.$key")" ] ||
            issues="$issues${issues:+, }{\"severity\": \"error\", \"key\": \"$key\", \"message\": \"missing required key \`$key\`\"}"
    done
    printf '{"protocol": 1, "issues": [%s]}\n' "$issues"
    ;;
requests)
    # One period per call (`"batch": false`). Values stay JSON-escaped, so they go back as they are.
    path=$(field config.path | awk -v id="$(field periods.0.id)" -v start="$(field periods.0.start)" -v end="$(field periods.0.end)" '
        function swap(text, name, value,    at) {
            while ((at = index(text, name)) > 0) text = substr(text, 1, at - 1) value substr(text, at + length(name))
            return text
        }
        { print swap(swap(swap($0, "{period.start}", start), "{period.end}", end), "{period}", id) }')
    printf '{"protocol": 1, "requests": [{"period": "%s", "key": "rows", "feed": "%s", "path": "%s"}]}\n' \
        "$(field periods.0.id)" "$(field config.feed)" "$path"
    ;;
observe)
    status=$(field periods.0.responses.rows.status)
    if [ "$status" = 200 ]; then
        file=$(field periods.0.responses.rows.body_file)
        if [ -n "$file" ] && ! iconv -f UTF-8 -t UTF-8 "$file" >/dev/null 2>&1; then
            # A file holds the body byte for byte, UTF-8 or not: its bytes would not match `equals`.
            observation="\"error\": \"the body of $(field periods.0.responses.rows.url) is not UTF-8 text; ask for a UTF-8 export\""
        elif [ -n "$file" ]; then
            # Declared with `bodies: file` in the site's `plugins:`: the body is in a file,
            # read a line at a time, however large.
            observation=$(awk -v raw=1 -v column="$(field config.column)" -v equals="$(field config.equals)" \
                -v url="$(field periods.0.responses.rows.url)" -f "$here/count.awk" "$file")
        elif [ -n "$(field periods.0.responses.rows.body_base64)" ]; then
            # A body that is not UTF-8 text comes as base64: its bytes would not match `equals`.
            observation="\"error\": \"the body of $(field periods.0.responses.rows.url) is not UTF-8 text; ask for a UTF-8 export\""
        else
            observation=$(field periods.0.responses.rows.body |
                awk -v column="$(field config.column)" -v equals="$(field config.equals)" -v url="$(field periods.0.responses.rows.url)" -f "$here/count.awk")
        fi
    else
        observation="\"error\": \"$(field periods.0.responses.rows.url) answered HTTP $status\""
    fi
    printf '{"protocol": 1, "observations": [{"period": "%s", %s}]}\n' "$(field periods.0.id)" "$observation"
    ;;
*)
    echo "error: unknown method \`$(field method)\`" >&2
    exit 1
    ;;
esac
"""##),
        PluginTemplate(path: "json.awk", executable: false, text: ##"""
# Flattens one JSON document into lines `path<TAB>value`, for plugins written in sh without jq.
# A path joins keys and array indices with dots: `config.feed`, `periods.0.responses.gp.body`.
# Strings keep their JSON escapes, so every value stays on one line; `unescape()` in the
# plugin turns a body back into text. Objects and arrays print nothing themselves.
# POSIX awk (mawk, gawk, BusyBox). Malformed input: a message on stderr and exit 2.

function fail(what) {
    printf "error: the request is not JSON: %s at character %d\n", what, P > "/dev/stderr"
    failed = 1
    exit 2
}

function skip() {
    while (P <= N && index(" \t\r\n", substr(T, P, 1)) > 0) P++
}

function text(    start, c) {
    if (substr(T, P, 1) != "\"") fail("expected a string")
    start = ++P
    while (P <= N) {
        c = substr(T, P, 1)
        if (c == "\\") { P += 2; continue }
        if (c == "\"") { P++; return substr(T, start, P - 1 - start) }
        P++
    }
    fail("a string is not closed")
}

function value(path,    c, start, key, index_) {
    skip()
    c = substr(T, P, 1)
    if (c == "{") {
        P++; skip()
        if (substr(T, P, 1) == "}") { P++; return }
        while (1) {
            skip(); key = text(); skip()
            if (substr(T, P++, 1) != ":") fail("expected `:` after a key")
            value(path == "" ? key : path "." key)
            skip(); c = substr(T, P++, 1)
            if (c == "}") return
            if (c != ",") fail("expected `,` or `}`")
        }
    }
    if (c == "[") {
        P++; skip(); index_ = 0
        if (substr(T, P, 1) == "]") { P++; return }
        while (1) {
            value(path == "" ? index_ : path "." index_)
            index_++
            skip(); c = substr(T, P++, 1)
            if (c == "]") return
            if (c != ",") fail("expected `,` or `]`")
        }
    }
    if (c == "\"") { print path "\t" text(); return }
    start = P
    while (P <= N && index(",}] \t\r\n", substr(T, P, 1)) == 0) P++
    if (P == start) fail("expected a value")
    print path "\t" substr(T, start, P - start)
}

{ T = T $0 "\n" }

END {
    if (failed) exit 2
    N = length(T); P = 1
    value("")
    skip()
    if (P <= N) fail("text after the document")
}
"""##),
        PluginTemplate(path: "count.awk", executable: false, text: ##"""
# The `__NAME__` calculation: reads a CSV body (one JSON-escaped line, as json.awk leaves a
# string; or, with -v raw=1, the body's own file a line at a time) and prints the JSON members
# of the observation. Change `take` and the END block to compute your indicator.

function unescape(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c != "\\") { out = out c; continue }
        c = substr(s, ++i, 1)
        if (c == "n") out = out "\n"
        else if (c == "t") out = out "\t"
        else if (c == "r") out = out "\r"
        else if (c == "u") { out = out "?"; i += 4 }
        else out = out c
    }
    return out
}

# The cells of one CSV record, in cells[1..n] (and no others); quoted cells may hold commas,
# "" quotes and line breaks.
function split_csv(line, cells,    n, i, c, cell, quoted) {
    split("", cells)
    n = 0; cell = ""; quoted = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (quoted) {
            if (c == "\"" && substr(line, i + 1, 1) == "\"") { cell = cell "\""; i++ }
            else if (c == "\"") quoted = 0
            else cell = cell c
        } else if (c == "\"") quoted = 1
        else if (c == ",") { cells[++n] = cell; cell = "" }
        else cell = cell c
    }
    cells[++n] = cell
    return n
}

# One line of the CSV text: the header first, then the rows, counted when they match. Rows
# are numbered as a spreadsheet shows them (the header is row 1). A line that leaves a quoted
# field open is held, and the next joined to it: a quoted line break does not end the row.
function take(line,    i, count, quotes) {
    sub(/\r$/, "", line)
    if (open) line = held "\n" line
    else row++
    quotes = line
    if (gsub(/"/, "", quotes) % 2) { open = 1; held = line; return }
    open = 0
    if (line == "" || missing || failed) return
    if (!started) {
        started = 1
        width = split_csv(line, header)
        for (i = 1; i <= width; i++) if (header[i] == column) wanted = i
        missing = column != "" && wanted == 0
        return
    }
    count = split_csv(line, cells)
    if (count != width) {
        failed = sprintf("row %d of %s has %d field%s but the header has %d columns", row, url, count, count == 1 ? "" : "s", width)
        return
    }
    if (column == "" || cells[wanted] == equals) rows++
}

raw { take($0); next }
{ body = body $0 }

END {
    if (!raw) {
        lines = split(unescape(body), record, "\n")
        for (i = 1; i <= lines; i++) take(record[i])
    }
    if (open && !missing && !failed) failed = sprintf("row %d of %s has a quoted field that is never closed", row, url)
    if (missing) failed = sprintf("%s has no `%s` column", url, column)
    if (failed) {
        printf "\"error\": \"%s\"\n", failed
        exit 0
    }
    printf "\"value\": %d, \"n\": %d\n", rows + 0, rows + 0
}
"""##),
        PluginTemplate(path: "test.sh", executable: true, text: ##"""
#!/bin/sh
# Tests of the `__NAME__` plugin, run as pioneer runs it: one JSON request on stdin, one JSON
# answer on stdout. POSIX sh; run ./test.sh in this folder. Exit 0 when every test passes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
failures=0
passed=0

# call REQUEST: the plugin's answer, with only the variables pioneer gives it.
call() {
    printf '%s' "$1" | env -i PATH="$PATH" PIONEER_PLUGIN_PROTOCOL=1 \
        PIONEER_PLUGIN_MAGIC_COOKIE=d2a7c1e0-pioneer-indicator-plugin "$here/__MODULE__.sh"
}

# expect NAME ANSWER TEXT: passes when ANSWER contains TEXT.
expect() {
    case "$2" in
    *"$3"*) passed=$((passed + 1)) ;;
    *) failures=$((failures + 1)); printf 'FAIL %s\n  expected: %s\n  answer:   %s\n' "$1" "$3" "$2" ;;
    esac
}

# recorded FILE: the file's text as a JSON string, as pioneer sends a body.
recorded() {
    awk 'BEGIN { ORS = ""; print "\"" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print $0 "\\n" } END { print "\"" }' "$here/testdata/$1"
}

config='"config": {"feed": "__FEED__", "path": "/__NAME__.csv?month={period}", "column": "outcome", "equals": "home"}'
june='{"id": "2026-06", "type": "month", "start": "2026-06-01", "end": "2026-06-30"'

expect "describe" "$(call '{"protocol": 1, "method": "describe"}')" '"batch": false'
expect "the sample configuration is valid" "$(call "{\"protocol\": 1, \"method\": \"validate\", $config}")" '"issues": []'
expect "an unknown key is an error" "$(call '{"protocol": 1, "method": "validate", "config": {"feed": "x", "path": "/x", "colum": "a"}}')" \
    '"key": "colum", "message": "unknown key `colum`'
expect "requests fill in the period" "$(call "{\"protocol\": 1, \"method\": \"requests\", $config, \"periods\": [$june}]}")" \
    '"requests": [{"period": "2026-06", "key": "rows", "feed": "__FEED__", "path": "/__NAME__.csv?month=2026-06"}]'
expect "observe counts the matching rows" \
    "$(call "{\"protocol\": 1, \"method\": \"observe\", $config, \"periods\": [$june, \"responses\": {\"rows\": {\"url\": \"http://x.test/r.csv\", \"status\": 200, \"body\": $(recorded rows.csv)}}}]}")" \
    '"observations": [{"period": "2026-06", "value": 2, "n": 2}]'
expect "observe reads a body from its file" \
    "$(call "{\"protocol\": 1, \"method\": \"observe\", $config, \"periods\": [$june, \"responses\": {\"rows\": {\"url\": \"http://x.test/r.csv\", \"status\": 200, \"body_file\": \"$here/testdata/rows.csv\", \"body_size\": 52}}}]}")" \
    '"observations": [{"period": "2026-06", "value": 2, "n": 2}]'
latin1=$(mktemp)
printf 'person,outcome\n1,caf\351\n' >"$latin1"
expect "a body file that is not UTF-8 fails the period" \
    "$(call "{\"protocol\": 1, \"method\": \"observe\", $config, \"periods\": [$june, \"responses\": {\"rows\": {\"url\": \"http://x.test/r.csv\", \"status\": 200, \"body_file\": \"$latin1\", \"body_size\": 20}}}]}")" \
    '"error": "the body of http://x.test/r.csv is not UTF-8 text; ask for a UTF-8 export"'
rm -f "$latin1"
expect "an HTTP error fails the period" \
    "$(call "{\"protocol\": 1, \"method\": \"observe\", $config, \"periods\": [$june, \"responses\": {\"rows\": {\"url\": \"http://x.test/r.csv\", \"status\": 503, \"body\": \"\"}}}]}")" \
    '"error": "http://x.test/r.csv answered HTTP 503"'

printf '%d passed, %d failed\n' "$passed" "$failures"
[ "$failures" -eq 0 ]
"""##),
        PluginTemplate(path: "testdata/rows.csv", executable: false, text: ##"""
person,outcome
1,home
2,"care home, residential"
3,home
"""##),
        PluginTemplate(path: "sample.yaml", executable: false, text: ##"""
- id: __NAME__
  name: __TITLE__
  kind: outcome
  value_type: count
  unit: people
  period: month
  better: higher
  decimals: 0
  plugin: __NAME__
  config:
    feed: __FEED__                          # a feed the site declares under `feeds:`
    path: /__NAME__.csv?month={period}      # {period}, {period.start} and {period.end} are filled in
    column: outcome                         # optional: count only rows whose `column`...
    equals: home                            # ...holds this value
"""##),
        PluginTemplate(path: "README.md", executable: false, text: ##"""
# `__NAME__`: counts the rows of a CSV feed

An external indicator plugin in POSIX `sh` and `awk` (no `jq`, no Python), speaking Pioneer's
plugin protocol version 1 (docs/plugin-protocol.md in the Pioneer checkout). Scaffolded by
`pioneer plugin new __NAME__ --shell`; change `count.awk` to compute your indicator, and this
README to say what it computes.

| file | what it is |
|---|---|
| `__MODULE__.sh` | the plugin: answers describe, validate, requests and observe |
| `json.awk` | flattens the JSON request into `path<TAB>value` lines (`config.feed`, `periods.0.id`) |
| `count.awk` | the calculation over the CSV body |
| `test.sh` | its tests: `./test.sh` in this folder |
| `testdata/rows.csv` | a recorded feed body the tests use |
| `sample.yaml` | an indicator entry using the plugin |

## Configuration

Declare the plugin in the site's `site.yaml`, and name it in an indicator (`sample.yaml`):

<!-- snippet: fragment -->
```yaml
plugins:
  __NAME__:
    kind: exec
    command: plugins/__NAME__/__MODULE__.sh
    deadline: 30
    bodies: file      # each body in a file of its own: awk reads an extract of any size quickly
indicators:
__SAMPLE__
```

## Output

value and n = the rows counted. An HTTP error fails the period naming the URL; a `column`
the CSV lacks fails it naming the column; a row with more or fewer fields than the header, or
a quoted field never closed, fails it naming the row; a body that is not UTF-8 text fails it
too. A quoted field may hold commas, `""` quotes and line breaks.

## Try it

```sh
./test.sh                                    # in this folder
pioneer plugin test __NAME__ --site __SITE__ --config __SITE__/plugins/__NAME__/sample.yaml \
  --feed rows=__SITE__/plugins/__NAME__/testdata/rows.csv --period 2026-06
```
"""##),
    ]
}
