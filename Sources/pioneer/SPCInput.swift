// Reading `pioneer spc`'s input: CSV with a `series,index,value` header (RFC 4180 quoting),
// into series in time order. Works on the bytes directly: the benchmark reads 600,000 rows
// and a String per cell would spend most of the run allocating.
import Foundation

/// One series read from the input, its points in index order.
struct SPCInputSeries {
    var id: String
    var indices: [Int] = []
    var values: [Double] = []
    /// The input line of each point, for messages.
    var lines: [Int] = []
    /// The line where the series first appears.
    var firstLine: Int
}

/// A problem with the input, naming where it is.
struct SPCInputError: Error, CustomStringConvertible {
    var source: String
    var line: Int?
    var reason: String

    var description: String {
        if let line { "\(source):\(line): \(reason)" } else { "\(source): \(reason)" }
    }
}

/// Parses the whole input into series, in the order each first appears.
struct SPCInputReader {
    /// How the input is named in messages: the file's path, or "stdin".
    var source: String

    func read(_ bytes: [UInt8]) throws(SPCInputError) -> [SPCInputSeries] {
        var cursor = RecordCursor(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { cursor.position = 3 }
        var fields: [Range<Int>] = []
        var unquoted: [[UInt8]?] = []

        guard try next(&cursor, into: &fields, unquoted: &unquoted) else {
            throw SPCInputError(source: source, line: nil, reason: "the input is empty; expected a header line `series,index,value` and then one line per point")
        }
        let headerLine = cursor.recordLine
        let names = fields.indices.map { text(bytes, fields[$0], unquoted[$0]).trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) throws(SPCInputError) -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw SPCInputError(source: source, line: headerLine,
                                    reason: "the header has no `\(name)` column; it should name the columns `series,index,value` (found `\(names.joined(separator: ","))`)")
            }
            return index
        }
        let seriesColumn = try column("series"), indexColumn = try column("index"), valueColumn = try column("value")

        var series: [SPCInputSeries] = []
        var positions: [String: Int] = [:]
        var lastID: [UInt8] = []
        var last = -1
        // The rows of the series being read, moved into `series` when another one starts:
        // appending to locals avoids reaching into the array of series at every row.
        var current = SPCInputSeries(id: "", firstLine: 0)
        func stash() {
            guard last >= 0 else { return }
            series[last].indices += current.indices
            series[last].values += current.values
            series[last].lines += current.lines
            current.indices.removeAll(keepingCapacity: true)
            current.values.removeAll(keepingCapacity: true)
            current.lines.removeAll(keepingCapacity: true)
        }
        while try next(&cursor, into: &fields, unquoted: &unquoted) {
            let line = cursor.recordLine
            guard fields.count == names.count else {
                throw SPCInputError(source: source, line: line,
                                    reason: "expected \(names.count) fields as in the header, found \(fields.count)")
            }
            // Rows of one series usually come together: compare bytes before hashing a String.
            let idBytes = unquoted[seriesColumn].map { $0[...] } ?? bytes[fields[seriesColumn]]
            if last < 0 || !idBytes.elementsEqual(lastID) {
                let id = String(decoding: idBytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard !id.isEmpty else {
                    throw SPCInputError(source: source, line: line, reason: "the `series` field is empty")
                }
                stash()
                if let known = positions[id] {
                    last = known
                } else {
                    last = series.count
                    positions[id] = last
                    series.append(SPCInputSeries(id: id, firstLine: line))
                }
                lastID = Array(idBytes)
            }
            current.indices.append(try wholeNumber(bytes, fields[indexColumn], unquoted[indexColumn], line: line))
            current.values.append(try number(bytes, fields[valueColumn], unquoted[valueColumn], line: line))
            current.lines.append(line)
        }
        stash()
        guard !series.isEmpty else {
            throw SPCInputError(source: source, line: headerLine, reason: "the input has a header but no points")
        }
        for i in series.indices { try putInOrder(&series[i]) }
        return series
    }

    /// Sorts a series by index (input may come in any order) and rejects a repeated index.
    private func putInOrder(_ series: inout SPCInputSeries) throws(SPCInputError) {
        let indices = series.indices
        var sorted = true
        for i in indices.indices.dropFirst() where indices[i - 1] >= indices[i] {
            sorted = false
            break
        }
        if !sorted {
            let order = indices.indices.sorted { indices[$0] < indices[$1] }
            series.indices = order.map { indices[$0] }
            series.values = order.map { series.values[$0] }
            series.lines = order.map { series.lines[$0] }
        }
        for i in series.indices.indices.dropFirst() where series.indices[i - 1] == series.indices[i] {
            let lines = [series.lines[i - 1], series.lines[i]].sorted()
            throw SPCInputError(source: source, line: lines[1],
                                reason: "series `\(series.id)` has index \(series.indices[i]) twice (lines \(lines[0]) and \(lines[1]))")
        }
    }

    /// The next non-empty record, false at the end of the input.
    private func next(_ cursor: inout RecordCursor, into fields: inout [Range<Int>],
                      unquoted: inout [[UInt8]?]) throws(SPCInputError) -> Bool {
        do {
            return try cursor.next(into: &fields, unquoted: &unquoted)
        } catch {
            throw SPCInputError(source: source, line: error.line, reason: error.reason)
        }
    }

    private func text(_ bytes: [UInt8], _ range: Range<Int>, _ unquoted: [UInt8]?) -> String {
        String(decoding: unquoted ?? Array(bytes[range]), as: UTF8.self)
    }

    /// A field as a number: optional sign, digits with an optional decimal point, optional
    /// exponent; spaces around it are allowed. Not `nan`, `inf`, hexadecimal or empty.
    private func number(_ bytes: [UInt8], _ range: Range<Int>, _ unquoted: [UInt8]?, line: Int) throws(SPCInputError) -> Double {
        let parsed: Double? = if let unquoted { Self.parseNumber(unquoted[...]) } else { Self.parseNumber(bytes[range]) }
        guard let parsed, parsed.isFinite else {
            let shown = text(bytes, range, unquoted)
            throw SPCInputError(source: source, line: line,
                                reason: shown.trimmingCharacters(in: .whitespaces).isEmpty
                                    ? "the `value` field is empty; every point needs a number"
                                    : "the `value` field should be a number, but found `\(shown)`")
        }
        // Limits are the mean ± 2.66 moving ranges: beyond this, the arithmetic overflows.
        guard abs(parsed) <= Self.largestValue else {
            throw SPCInputError(source: source, line: line,
                                reason: "the value `\(text(bytes, range, unquoted))` is too large to chart; values must be within ±1e300")
        }
        return parsed
    }

    /// The largest magnitude a value may have: a chart's limits stay finite.
    static let largestValue = 1e300

    private func wholeNumber(_ bytes: [UInt8], _ range: Range<Int>, _ unquoted: [UInt8]?, line: Int) throws(SPCInputError) -> Int {
        let field = unquoted.map { $0[...] } ?? bytes[range]
        var start = field.startIndex, end = field.endIndex
        while start < end && field[start] == UInt8(ascii: " ") { start += 1 }
        while end > start && field[end - 1] == UInt8(ascii: " ") { end -= 1 }
        var value = 0
        var i = start
        let negative = i < end && field[i] == UInt8(ascii: "-")
        if i < end && (field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+")) { i += 1 }
        var digits = 0
        while i < end, field[i] >= UInt8(ascii: "0"), field[i] <= UInt8(ascii: "9"), digits < 18 {
            value = value * 10 + Int(field[i] - UInt8(ascii: "0"))
            digits += 1
            i += 1
        }
        guard digits > 0, i == end else {
            throw SPCInputError(source: source, line: line,
                                reason: "the `index` field should be a whole number (the point's position in its series), but found `\(text(bytes, range, unquoted))`")
        }
        return negative ? -value : value
    }

    /// Checks the syntax, then reads the number: directly when its digits fit a Double
    /// exactly and the power of ten is exact (then one division rounds correctly, Clinger's
    /// fast path), else with strtod. Benchmark input is all fast path.
    static func parseNumber(_ field: ArraySlice<UInt8>) -> Double? {
        var start = field.startIndex, end = field.endIndex
        while start < end && (field[start] == UInt8(ascii: " ") || field[start] == UInt8(ascii: "\t")) { start += 1 }
        while end > start && (field[end - 1] == UInt8(ascii: " ") || field[end - 1] == UInt8(ascii: "\t")) { end -= 1 }
        guard end > start, end - start < 64 else { return nil }
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        var i = start
        let negative = field[i] == UInt8(ascii: "-")
        if negative || field[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: Int64 = 0
        var digitCount = 0, fractionDigits = 0
        while i < end, field[i] >= zero, field[i] <= nine {
            if digitCount < 18 { mantissa = mantissa * 10 + Int64(field[i] - zero) }
            digitCount += 1
            i += 1
        }
        if i < end && field[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, field[i] >= zero, field[i] <= nine {
                if digitCount < 18 { mantissa = mantissa * 10 + Int64(field[i] - zero) }
                digitCount += 1
                fractionDigits += 1
                i += 1
            }
        }
        guard digitCount > 0 else { return nil }
        var hasExponent = false
        if i < end && (field[i] == UInt8(ascii: "e") || field[i] == UInt8(ascii: "E")) {
            hasExponent = true
            i += 1
            if i < end && (field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+")) { i += 1 }
            let exponentStart = i
            while i < end, field[i] >= zero, field[i] <= nine { i += 1 }
            guard i > exponentStart else { return nil }
        }
        guard i == end else { return nil }
        if !hasExponent && digitCount <= 15 && fractionDigits < powersOfTen.count {
            let magnitude = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        // A NUL-terminated copy on the stack for strtod.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: end - start + 1) { buffer in
            for offset in 0..<(end - start) { buffer[offset] = CChar(bitPattern: field[start + offset]) }
            buffer[end - start] = 0
            guard let base = buffer.baseAddress else { return .nan }
            return strtod(base, nil)
        }
    }

    /// 10⁰ … 10²², every one exact in a Double.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var power = 1.0
        for _ in 0..<exponent { power *= 10 }
        return power
    }
}

/// Walks CSV records over the bytes: fields as ranges, or unquoted copies for quoted fields.
struct RecordCursor {
    struct Failure: Error {
        var line: Int
        var reason: String
    }

    let bytes: [UInt8]
    var position = 0
    /// The line the cursor is on (1-based).
    var line = 1
    /// The line where the last record returned began.
    var recordLine = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""),
                       lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Reads the next record that is not an empty line. `unquoted[i]` is nil when field i
    /// was not quoted (its text is `bytes[fields[i]]`), else the field's text.
    mutating func next(into fields: inout [Range<Int>], unquoted: inout [[UInt8]?]) throws(Failure) -> Bool {
        fields.removeAll(keepingCapacity: true)
        unquoted.removeAll(keepingCapacity: true)
        let count = bytes.count
        // Skip empty lines.
        while position < count && (bytes[position] == Self.lf || bytes[position] == Self.cr) {
            endLine()
        }
        guard position < count else { return false }
        recordLine = line
        while true {
            if position < count && bytes[position] == Self.quote {
                let opened = line
                position += 1
                var text: [UInt8] = []
                while true {
                    guard position < count else {
                        throw Failure(line: opened, reason: "a quoted field is never closed (a `\"` opens it on this line)")
                    }
                    let byte = bytes[position]
                    if byte == Self.quote {
                        if position + 1 < count && bytes[position + 1] == Self.quote {
                            text.append(Self.quote)
                            position += 2
                            continue
                        }
                        position += 1
                        break
                    }
                    if byte == Self.lf || (byte == Self.cr && !(position + 1 < count && bytes[position + 1] == Self.lf)) {
                        line += 1
                    }
                    text.append(byte)
                    position += 1
                }
                fields.append(position..<position)
                unquoted.append(text)
                guard position >= count || bytes[position] == Self.comma || bytes[position] == Self.lf || bytes[position] == Self.cr else {
                    throw Failure(line: line, reason: "unexpected text after a closing quote; a quoted field must end at `,` or the end of the line (write `\"\"` for a quote inside it)")
                }
            } else {
                let start = position
                while position < count {
                    let byte = bytes[position]
                    if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
                    if byte == Self.quote {
                        throw Failure(line: line, reason: "a `\"` inside an unquoted field; quote the whole field and write `\"\"` for the quote")
                    }
                    position += 1
                }
                fields.append(start..<position)
                unquoted.append(nil)
            }
            if position < count && bytes[position] == Self.comma {
                position += 1
                continue
            }
            if position < count { endLine() }
            return true
        }
    }

    /// Steps over one line end: LF, CR or CRLF.
    private mutating func endLine() {
        if bytes[position] == Self.cr && position + 1 < bytes.count && bytes[position + 1] == Self.lf { position += 1 }
        position += 1
        line += 1
    }
}
