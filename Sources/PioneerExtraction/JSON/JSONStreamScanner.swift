// Checking JSON syntax as the bytes stream past, without building values: what lets a
// JSONPath skip every part of a large document it does not select, in bounded memory,
// while still reporting a syntax error anywhere with its line and column.
import PioneerKit


/// Walks a ``JSONByteStream`` value by value, checking RFC 8259 syntax.
///
/// A value that lies whole in the bytes in hand is read (or skipped) by ``JSONParser`` in
/// one go: the fast path for the millions of small elements of an extract. Any other value,
/// one cut by the end of the buffer or one with an error in it, is walked here a byte at a
/// time, reading more as needed, then parsed from the bytes marked on the way, so an error
/// is reported with its line and column whichever way the value was first tried.
struct JSONStreamScanner {
    let stream: JSONByteStream
    /// How deeply the read position is nested.
    private(set) var depth = 0

    /// A scanner at the start of `stream`, nested `depth` deep (a stream that starts inside
    /// an array, for the second half of a body read in two).
    init(_ stream: JSONByteStream, depth: Int = 0) {
        self.stream = stream
        self.depth = depth
    }

    // MARK: Reading

    mutating func skipWhitespace() throws {
        while true {
            while stream.index < stream.end {
                switch stream.buffer[stream.index] {
                case 0x20, 0x09, 0x0A, 0x0D: stream.index += 1
                default: return
                }
            }
            guard try stream.refill() else { return }
        }
    }

    /// Skips `byte` if it is next; whitespace before it is skipped too.
    mutating func take(_ byte: UInt8) throws -> Bool {
        try skipWhitespace()
        guard try stream.peek() == byte else { return false }
        stream.index += 1
        return true
    }

    /// Walks one value, checking its syntax.
    mutating func skipValue() throws {
        try skipWhitespace()
        if let count = JSONParser.skipPrefix(stream.available, depth: depth) {
            stream.index += count
            return
        }
        guard let byte = try stream.peek() else { throw unexpected(where: "a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            stream.index += 1
            if try take(UInt8(ascii: "}")) {
                depth -= 1
                return
            }
            while true {
                try skipWhitespace()
                guard try stream.peek() == UInt8(ascii: "\"") else { throw unexpected(where: "an object key (a quoted string)") }
                try skipString()
                guard try take(UInt8(ascii: ":")) else { throw error("expected `:` after an object key, found \(try describeCurrent())") }
                try skipValue()
                if try take(UInt8(ascii: ",")) { continue }
                if try take(UInt8(ascii: "}")) { break }
                throw error("expected `,` or `}` in an object, found \(try describeCurrent())")
            }
            depth -= 1
        case UInt8(ascii: "["):
            try enter()
            stream.index += 1
            if try take(UInt8(ascii: "]")) {
                depth -= 1
                return
            }
            while true {
                try skipValue()
                if try take(UInt8(ascii: ",")) { continue }
                if try take(UInt8(ascii: "]")) { break }
                throw error("expected `,` or `]` in an array, found \(try describeCurrent())")
            }
            depth -= 1
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw unexpected(where: "a value")
        }
    }

    mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw error("the JSON nests more than \(JSONParser.maximumDepth) levels deep")
        }
    }

    mutating func leave() {
        depth -= 1
    }

    private mutating func literal(_ word: StaticString) throws {
        for offset in 0..<word.utf8CodeUnitCount {
            guard try stream.peek() == word.utf8Start[offset] else { throw unexpected(where: "a value") }
            stream.index += 1
        }
    }

    /// Walks a string from its opening quote; returns whether it held an escape.
    @discardableResult
    mutating func skipString() throws -> Bool {
        let open = stream.index
        var openPosition: (line: Int, column: Int)?
        var escaped = false
        stream.index += 1
        while true {
            while stream.index < stream.end {
                let byte = stream.buffer[stream.index]
                if byte == UInt8(ascii: "\"") {
                    stream.index += 1
                    return escaped
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    try skipEscape()
                    continue
                }
                if byte < 0x20 { throw error("a string holds a raw control character; it must be escaped") }
                stream.index += 1
            }
            // A message about an unclosed string points at its opening quote: where that is
            // is worked out before the refill drops it (only for a string that spans pieces).
            let opening = openPosition ?? stream.position(of: open)
            openPosition = opening
            guard try stream.refill() else {
                throw JSONValue.ParseError(description: "a string is not closed with `\"` (line \(opening.line), column \(opening.column))")
            }
        }
    }

    private mutating func skipEscape() throws {
        stream.index += 1
        guard let escape = try stream.peek() else { throw error("a string is not closed with `\"`") }
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            stream.index += 1
        case UInt8(ascii: "u"):
            stream.index += 1
            for _ in 0..<4 {
                guard let digit = try stream.peek(), Self.isHex(digit) else { throw error("a \\u escape needs four hex digits") }
                stream.index += 1
            }
        default:
            throw error("`\\\(String(UnicodeScalar(escape)))` is not a JSON escape")
        }
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }

    private mutating func skipNumber() throws {
        if try stream.peek() == UInt8(ascii: "-") { stream.index += 1 }
        guard let first = try stream.peek(), Self.isDigit(first) else { throw error("a number needs digits after `-`") }
        if first == UInt8(ascii: "0") {
            stream.index += 1
            if let next = try stream.peek(), Self.isDigit(next) { throw error("a number may not start with 0 followed by digits") }
        } else {
            try skipDigits()
        }
        if try stream.peek() == UInt8(ascii: ".") {
            stream.index += 1
            guard let next = try stream.peek(), Self.isDigit(next) else { throw error("a number needs digits after its decimal point") }
            try skipDigits()
        }
        if let next = try stream.peek(), next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            stream.index += 1
            if let sign = try stream.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { stream.index += 1 }
            guard let digit = try stream.peek(), Self.isDigit(digit) else { throw error("a number needs digits in its exponent") }
            try skipDigits()
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() throws {
        while let byte = try stream.peek(), Self.isDigit(byte) { stream.index += 1 }
    }

    // MARK: Values wanted

    /// Walks one value and parses it: the bytes are held only while it is read. Of an object,
    /// only the members in `keeping` are built (all of them when it is nil).
    ///
    /// A value of more than ``FeedResponse/wholeValueLimit`` values is refused, as `json()`
    /// refuses a document: an element of 48 MB of small objects would take gigabytes as a tree.
    mutating func readValue(keeping: JSONMemberSet? = nil) throws -> JSONValue {
        try skipWhitespace()
        if stream.mark == nil, let (value, count) = JSONParser.parsePrefix(stream.available, depth: depth, keeping: keeping,
                                                                          maximumValues: FeedResponse.wholeValueLimit) {
            stream.index += count
            return value
        }
        let outer = stream.mark
        let start = stream.index
        if outer == nil { stream.mark = start }
        defer { if outer == nil { stream.mark = nil } }
        try skipValue()
        return try parseMarked(keeping: keeping)
    }

    /// Judges the element at the read position with `filter` (see ``JSONPath/ElementFilter``):
    /// the value it selects, or nil in the inner optional when it selects none; nil when the
    /// element is not one it can judge from the bytes in hand, and the caller reads it whole.
    mutating func select(_ filter: JSONPath.ElementFilter) throws -> JSONValue?? {
        try skipWhitespace()
        guard let (selected, count) = filter.apply(to: stream.available, depth: depth) else { return nil }
        stream.index += count
        return .some(selected)
    }

    /// The marked bytes parsed; where they start in the body is worked out only for a message.
    private func parseMarked(keeping: JSONMemberSet? = nil) throws -> JSONValue {
        let limit = FeedResponse.wholeValueLimit
        do {
            return try JSONParser.parse(stream.marked, keeping: keeping, maximumValues: limit)
        } catch {
            return try JSONParser.parse(stream.marked, origin: stream.position(of: stream.mark ?? stream.index), keeping: keeping,
                                        maximumValues: limit)
        }
    }

    /// Reads an object key (the next byte is its quote) as text.
    mutating func readKey() throws -> String {
        let outer = stream.mark
        let start = stream.index
        if outer == nil { stream.mark = start }
        defer { if outer == nil { stream.mark = nil } }
        let escaped = try skipString()
        let bytes = stream.marked
        if !escaped, let text = String(validating: UnsafeBufferPointer(rebasing: bytes.dropFirst().dropLast()), as: UTF8.self) {
            return text
        }
        guard case .string(let text) = try parseMarked() else { return "" }
        return text
    }

    // MARK: Messages

    /// The current byte for a message: `the end of the body`, `` `x` ``, or a code point.
    func describeCurrent() throws -> String {
        guard let byte = try stream.peek() else { return "the end of the body" }
        if byte >= 0x21 && byte < 0x7F { return "`\(String(UnicodeScalar(byte)))`" }
        if byte == 0x20 { return "a space" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    func unexpected(where what: String) -> JSONValue.ParseError {
        guard stream.index < stream.end else { return error("the JSON ends where \(what) was expected") }
        let shown = (try? describeCurrent()) ?? "the end of the body"
        return error("unexpected \(shown) where \(what) was expected")
    }

    /// An error at `offset` in the buffer (the read position by default), with its line and column.
    func error(_ message: String, at offset: Int? = nil) -> JSONValue.ParseError {
        let (line, column) = stream.position(of: offset ?? stream.index)
        return JSONValue.ParseError(description: "\(message) (line \(line), column \(column))")
    }
}
