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
