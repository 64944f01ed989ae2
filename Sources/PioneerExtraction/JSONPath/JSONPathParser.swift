// Reads RFC 9535 JSONPath text into a query, one Unicode scalar at a time, naming the
// position of any mistake. Filters are read here and type-checked in JSONPathParser+Filters.

/// A recursive-descent reader for RFC 9535's grammar (§2.1-§2.5, ABNF in its appendix A):
///
/// ```
/// query      = "$" *(S segment)
/// segment    = "." (name | "*") | ".." (name | "*" | brackets) | brackets
/// brackets   = "[" S selector *(S "," S selector) S "]"
/// selector   = string | int | [int S] ":" S [int S] [":" [S int]] | "*" | "?" S logical
/// ```
/// S is optional blank space (space, tab, CR, LF), allowed between segments and inside
/// brackets and filters, but not at either end of the query.
struct JSONPathParser {
    let expression: String
    let scalars: [Unicode.Scalar]
    var position = 0
    /// How deeply filters, parentheses and function calls nest here; bounded to protect the stack.
    var depth = 0
    /// How many `$` queries the filters so far hold (see ``JSONPath/Query/cacheSlot``).
    var absoluteQueries = 0

    static let maximumDepth = 64
    /// I-JSON's exact integers (RFC 7493): indices and slice bounds must lie within ±(2^53 - 1).
    static let largestInteger = 9_007_199_254_740_991

    init(_ expression: String) {
        self.expression = expression
        self.scalars = Array(expression.unicodeScalars)
    }

    mutating func parse() throws(JSONPath.ParseError) -> JSONPath.Query {
        guard peek() == "$" else {
            if scalars.isEmpty { throw failure("the path is empty; it must start with `$`") }
            throw failure("a path must start with `$`, found \(found())")
        }
        position += 1
        let segments = try segments()
        if position < scalars.count {
            if isBlank(peek()) {
                throw failure("blank space may not end a path")
            }
            if peek() == "-" {
                throw failure("a name after `.` holds only letters, digits and `_`; write other names in brackets, as in `['age-band']`")
            }
            throw failure("expected `.`, `..` or `[` after \(position == 1 ? "`$`" : "a segment"), found \(found())")
        }
        return JSONPath.Query(isRelative: false, segments: segments)
    }

    // MARK: Segments

    /// Segments up to the first character that cannot start one; blank space before a segment is allowed.
    mutating func segments() throws(JSONPath.ParseError) -> [JSONPath.Segment] {
        var segments: [JSONPath.Segment] = []
        while true {
            let before = position
            skipBlanks()
            guard peek() == "." || peek() == "[" else {
                position = before
                return segments
            }
            segments.append(try segment())
        }
    }

    private mutating func segment() throws(JSONPath.ParseError) -> JSONPath.Segment {
        if peek() == "[" {
            return JSONPath.Segment(isDescendant: false, selectors: try bracketedSelection())
        }
        position += 1
        if peek() == "." {
            position += 1
            switch peek() {
            case "[":
                return JSONPath.Segment(isDescendant: true, selectors: try bracketedSelection())
            case "*":
                position += 1
                return JSONPath.Segment(isDescendant: true, selectors: [.wildcard])
            case let c? where isNameFirst(c):
                return JSONPath.Segment(isDescendant: true, selectors: [.name(memberName())])
            default:
                throw failure("expected a member name, `*` or `[` after `..`, found \(found())")
            }
        }
        switch peek() {
        case "*":
            position += 1
            return JSONPath.Segment(isDescendant: false, selectors: [.wildcard])
        case let c? where isNameFirst(c):
            return JSONPath.Segment(isDescendant: false, selectors: [.name(memberName())])
        default:
            throw failure("expected a member name or `*` after `.`, found \(found()); write `['...']` for names that start with a digit or hold other characters")
        }
    }

    /// A member name written after `.`: a letter, `_` or non-ASCII character, then those or digits.
    private mutating func memberName() -> String {
        var name = String.UnicodeScalarView()
        while let c = peek(), isNameFirst(c) || ("0"..."9").contains(c) {
            name.append(c)
            position += 1
        }
        return String(name)
    }

    private func isNameFirst(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c.value >= 0x80
    }

    private mutating func bracketedSelection() throws(JSONPath.ParseError) -> [JSONPath.Selector] {
        position += 1
        skipBlanks()
        var selectors = [try selector()]
        while true {
            skipBlanks()
            switch peek() {
            case ",":
                position += 1
                skipBlanks()
                selectors.append(try selector())
            case "]":
                position += 1
                return selectors
            case "-":
                throw failure("a name after `.` holds only letters, digits and `_`; write other names in brackets, as in `['age-band']`")
            default:
                throw failure("expected `,` or `]` after a selector, found \(found())")
            }
        }
    }

    private mutating func selector() throws(JSONPath.ParseError) -> JSONPath.Selector {
        switch peek() {
        case "'", "\"":
            return .name(try stringLiteral())
        case "*":
            position += 1
            return .wildcard
        case "?":
            try enter()
            position += 1
            skipBlanks()
            let expression = try filter()
            depth -= 1
            return .filter(expression)
        case let c? where c == "-" || c == ":" || ("0"..."9").contains(c):
            return try indexOrSlice()
        default:
            throw failure("expected a quoted name, an index, a slice, `*` or `?` after `[`, found \(found())")
        }
    }

    /// `[2]`, `[-1]`, or a slice `[start:end:step]` with each part optional.
    private mutating func indexOrSlice() throws(JSONPath.ParseError) -> JSONPath.Selector {
        var start: Int?
        if peek() != ":" {
            start = try integer()
            let before = position
            skipBlanks()
            guard peek() == ":" else {
                position = before
                return .index(start!)
            }
        }
        position += 1
        skipBlanks()
        var end: Int?
        if let c = peek(), c == "-" || ("0"..."9").contains(c) {
            end = try integer()
            skipBlanks()
        }
        var step: Int?
        if peek() == ":" {
            position += 1
            skipBlanks()
            if let c = peek(), c == "-" || ("0"..."9").contains(c) {
                step = try integer()
            }
        }
        return .slice(start: start, end: end, step: step)
    }

    /// An index or slice bound: `0`, or digits without a leading zero, optionally negative.
    private mutating func integer() throws(JSONPath.ParseError) -> Int {
        let start = position
        var negative = false
        if peek() == "-" {
            negative = true
            position += 1
        }
        guard let first = peek(), ("0"..."9").contains(first) else {
            throw failure("expected a digit after `-`, found \(found())")
        }
        var magnitude = 0
        var digits = 0
        while let c = peek(), ("0"..."9").contains(c) {
            if digits == 1 && first == "0" {
                throw failure("a whole number may not start with `0`", at: start)
            }
            magnitude = min(magnitude * 10 + Int(c.value - 48), Self.largestInteger + 1)
            digits += 1
            position += 1
        }
        if negative && magnitude == 0 {
            throw failure("`-0` is not an index; write `0`", at: start)
        }
        guard magnitude <= Self.largestInteger else {
            throw failure("the number is too large; indices lie within ±9007199254740991", at: start)
        }
        return negative ? -magnitude : magnitude
    }

    // MARK: String literals

    /// `'...'` or `"..."` with JSON's escapes; the other quote may be written as is or not escaped.
    mutating func stringLiteral() throws(JSONPath.ParseError) -> String {
        let quote = scalars[position]
        let open = position
        position += 1
        var text = String.UnicodeScalarView()
        while let c = peek() {
            if c == quote {
                position += 1
                return String(text)
            }
            if c == "\\" {
                text.append(try escape(quote: quote))
                continue
            }
            if c.value < 0x20 {
                throw failure("a control character (U+\(hex4(c.value))) in a string must be escaped, as `\\u\(hex4(c.value))`")
            }
            text.append(c)
            position += 1
        }
        throw failure("the string starting here is not closed with \(quote)", at: open)
    }

    private mutating func escape(quote: Unicode.Scalar) throws(JSONPath.ParseError) -> Unicode.Scalar {
        let start = position
        position += 1
        guard let c = peek() else { throw failure("the path ends inside a string") }
        position += 1
        switch c {
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "/", "\\": return c
        case quote: return c
        case "u":
            let high = try hexEscape(start: start)
            if (0xDC00...0xDFFF).contains(high) {
                throw failure("`\\u\(hex4(high))` is half of a surrogate pair without its first half", at: start)
            }
            guard (0xD800...0xDBFF).contains(high) else { return Unicode.Scalar(high)! }
            guard peek() == "\\", position + 1 < scalars.count, scalars[position + 1] == "u" else {
                throw failure("`\\u\(hex4(high))` must be followed by the `\\u` of its low surrogate", at: start)
            }
            position += 2
            let low = try hexEscape(start: start)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw failure("`\\u\(hex4(high))` must be followed by the `\\u` of its low surrogate", at: start)
            }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        default:
            position -= 1
            let allowed = quote == "'" ? "\\'" : "\\\""
            throw failure("`\\\(c)` is not an escape here; the escapes are \(allowed) \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX", at: start)
        }
    }

    private mutating func hexEscape(start: Int) throws(JSONPath.ParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), c.isASCII, let digit = UInt32(String(c), radix: 16) else {
                throw failure("`\\u` needs four hex digits", at: start)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func hex4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    // MARK: Helpers

    func peek() -> Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    func isBlank(_ c: Unicode.Scalar?) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r"
    }

    mutating func skipBlanks() {
        while isBlank(peek()) { position += 1 }
    }

    /// The current character, described for a message.
    func found() -> String {
        switch peek() {
        case nil: return "the end of the path"
        case " ": return "a space"
        case "\t": return "a tab"
        case "\n", "\r": return "a line break"
        case let c?: return "`\(c)`"
        }
    }

    /// An error at `offset` (the current position by default), counted in characters as a reader sees them.
    func failure(_ reason: String, at offset: Int? = nil) -> JSONPath.ParseError {
        let offset = min(offset ?? position, scalars.count)
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[0..<offset])
        return JSONPath.ParseError(expression: expression, position: String(prefix).count + 1, reason: reason)
    }
}
