# The `lowest-network` calculation: reads the GP extract (one JSON-escaped line, as json.awk
# leaves a string), sums each network's register and care processes, and prints the JSON
# members of the observation for the network with the lowest share on one line, and on a
# second line which network that is, for the log.

function unescape(s,    out, i, c, n, hex, code) {
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c != "\\") { out = out c; continue }
        c = substr(s, ++i, 1)
        if (c == "n") out = out "\n"
        else if (c == "t") out = out "\t"
        else if (c == "r") out = out "\r"
        else if (c == "b" || c == "f") out = out " "
        else if (c == "u") {
            hex = tolower(substr(s, i + 1, 4)); i += 4
            code = 0
            for (k = 1; k <= 4; k++) code = code * 16 + index("0123456789abcdef", substr(hex, k, 1)) - 1
            # The host sends UTF-8 as it is; an escaped non-ASCII character is rare, and awk cannot write it portably.
            out = out (code >= 32 && code < 127 ? sprintf("%c", code) : "?")
        } else out = out c
    }
    return out
}

# Splits one CSV record into cells[1..n], and no others (RFC 4180 quotes; a quoted field may
# hold commas, "" quotes and line breaks).
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

function quote(s) {
    gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
    return "\"" s "\""
}

function fail(message) {
    printf "\"error\": %s\n", quote(message)
    failed = 1
    exit 0
}

function column(name, header, count,    i, list) {
    for (i = 1; i <= count; i++) if (header[i] == name) return i
    list = ""
    for (i = 1; i <= count; i++) list = list (i > 1 ? ", " : "") "`" header[i] "`"
    fail(url " has no `" name "` column; its columns are " list)
}

function whole(text, row, name) {
    gsub(/^[ \t]+|[ \t]+$/, "", text)
    if (text !~ /^[0-9]+$/) fail(url " row " row ": `" name "` should be a whole number, found `" text "`")
    return text + 0
}

{ body = body $0 }

END {
    if (failed) exit 0
    lines = split(unescape(body), record, "\n")
    if (lines < 1 || record[1] == "") fail(url " is empty; expected a CSV extract with a header row")
    sub(/\r$/, "", record[1]); sub(/^\357\273\277/, "", record[1])
    count = split_csv(record[1], header)
    n_col = column(network_column, header, count)
    r_col = column(register_column, header, count)
    a_col = column(achieved_column, header, count)
    for (row = 2; row <= lines; row++) {
        sub(/\r$/, "", record[row])
        if (record[row] == "") continue
        # A line that leaves a quoted field open goes on in the next: a quoted line break does
        # not end the row (rows are still numbered by their first line).
        line = record[row]; first = row
        quotes = line
        while (gsub(/"/, "", quotes) % 2 && row < lines) {
            row++; sub(/\r$/, "", record[row]); line = line "\n" record[row]; quotes = line
        }
        if (gsub(/"/, "", quotes) % 2) fail(url " row " first ": a quoted field is never closed")
        fields = split_csv(line, cells)
        if (fields != count) fail(url " row " first ": " fields " field" (fields == 1 ? "" : "s") ", but the header has " count " columns")
        network = cells[n_col]
        register[network] += whole(cells[r_col], first, register_column)
        achieved[network] += whole(cells[a_col], first, achieved_column)
    }
    lowest = ""; networks = 0
    for (network in register) {
        if (register[network] == 0 || register[network] < minimum + 0) continue
        networks++
        share = achieved[network] / register[network]
        if (lowest == "" || share < best || (share == best && network < lowest)) { lowest = network; best = share }
    }
    if (lowest == "") {
        printf "\"not_available\": %s\n", quote("no network has a diabetes register of " (minimum + 0) " or more")
        exit 0
    }
    printf "\"value\": %.10g, \"numerator\": %d, \"denominator\": %d, \"n\": %d\n", \
        best, achieved[lowest], register[lowest], register[lowest]
    # The second line is for the log: which network it was.
    printf "lowest of %d networks: %s\n", networks, lowest
}
