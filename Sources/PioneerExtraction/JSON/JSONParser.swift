// A strict RFC 8259 JSON parser straight into JSONValue: one pass over the bytes, no
// Foundation, errors that say what was found where (line, column). Feeds are parsed
// once per response, and decoding through JSONDecoder's Codable machinery cost more
// than fetching a small body (scripts/bench-collect.sh).

/// Parses UTF-8 JSON text into a ``JSONValue``.
struct JSONParser {
    /// Deepest nesting accepted; deeper input is refused rather than risk the stack.
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Where `bytes` start in the body, for messages about a piece of a streamed document.
    private let origin: (line: Int, column: Int)
    /// For a try at the bytes a streaming reader has in hand: an error only means "read it
    /// the careful way", so no message is written.
    private let quiet: Bool
    /// The members to build of the outermost object; the others are checked and skipped.
    private var keeping: JSONMemberSet?
    /// Values the parse may still build before it refuses the document.
    private var valuesLeft = Int.max
    private var valueLimit = Int.max

    private init(_ bytes: UnsafeBufferPointer<UInt8>, origin: (line: Int, column: Int), quiet: Bool = false) {
        self.bytes = bytes
        self.origin = origin
        self.quiet = quiet
    }

    /// The one JSON value `bytes` hold, with only whitespace around it; `origin` is the line
    /// and column of the first byte, when `bytes` are a piece of a larger body. Of an outermost
    /// object, only the members in `keeping` are built (all when it is nil).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, origin: (line: Int, column: Int) = (1, 1),
                      keeping: JSONMemberSet? = nil, maximumValues: Int = .max) throws(JSONValue.ParseError) -> JSONValue {
        var parser = JSONParser(bytes, origin: origin)
        parser.keeping = keeping
        parser.valuesLeft = maximumValues
        parser.valueLimit = maximumValues
        parser.skipWhitespace()
        guard parser.index < bytes.count else { throw parser.error("the body holds only whitespace") }
        let value = try parser.value()
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the JSON value")
        }
        return value
    }

    /// Reads the members `members` names of the object at the start of `bytes` into their slots
    /// of `found`, checking the rest of it; how many bytes it took, or nil as for
    /// ``parsePrefix(_:depth:keeping:)`` (and for a value that is not an object).
    static func readMembers(_ bytes: UnsafeBufferPointer<UInt8>, depth: Int, members: JSONMemberSet,
                            into found: UnsafeMutableBufferPointer<JSONMemberValue>) -> Int? {
        var parser = JSONParser(bytes, origin: (1, 1), quiet: true)
        parser.depth = depth
        let read = members.withView { names in (try? parser.members(names, into: found)) != nil }
        guard read, parser.index < bytes.count else { return nil }
        return parser.index
    }

    /// The value at the start of `bytes`, and how many bytes it took; nil when the bytes do not
    /// hold a whole value followed by at least one more byte, or hold an error anywhere in it.
    ///
    /// For a streaming reader: `depth` is how deep the value sits, and an object's members
    /// outside `keeping` are checked and skipped, not built. On nil the reader walks the
    /// bytes the careful way, reading more as needed, and reports any error with its place.
    static func parsePrefix(_ bytes: UnsafeBufferPointer<UInt8>, depth: Int,
                            keeping: JSONMemberSet?, maximumValues: Int = .max) -> (value: JSONValue, count: Int)? {
        var parser = JSONParser(bytes, origin: (1, 1), quiet: true)
        parser.depth = depth
        parser.keeping = keeping
        parser.valuesLeft = maximumValues
        parser.valueLimit = maximumValues
        // A value that runs to the last byte may be cut short (a number), so one more is needed.
        guard let value = try? parser.value(), parser.index < bytes.count else { return nil }
        return (value, parser.index)
    }

    /// How many bytes the value at the start of `bytes` takes, its syntax checked as
    /// ``JSONStreamScanner`` checks a value it skips; nil as for ``parsePrefix(_:depth:keeping:)``.
    static func skipPrefix(_ bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> Int? {
        var parser = JSONParser(bytes, origin: (1, 1), quiet: true)
        parser.depth = depth
        guard (try? parser.skipValue()) != nil, parser.index < bytes.count else { return nil }
        return parser.index
    }

    // MARK: Values

    private mutating func value() throws(JSONValue.ParseError) -> JSONValue {
        guard index < bytes.count else { throw unexpected(where: "a value") }
        valuesLeft &-= 1
        if valuesLeft < 0 {
            var refusal = error("the document holds more than \(valueLimit) values")
            refusal.valueLimit = valueLimit
            throw refusal
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw unexpected(where: "a value")
        }
    }

    private mutating func object() throws(JSONValue.ParseError) -> JSONValue {
        if let keeping {
            self.keeping = nil
            return try object(keeping: keeping)
        }
        var members: [String: JSONValue] = [:]
        try walkObject { parser throws(JSONValue.ParseError) in
            let keyAt = parser.index
            let key = try parser.string()
            try parser.takeColon(after: "the key \"\(key)\"")
            // Which of two values a repeated key means is not defined (RFC 8259): readers differ
            // (JSONSerialization keeps the last, a streaming reader meets both), so none is chosen.
            if members.updateValue(try parser.value(), forKey: key) != nil { throw parser.repeatedMember(at: keyAt) }
        }
        return .object(members)
    }

    /// An object of which only the members in `keeping` are built; the rest are checked and skipped.
    private mutating func object(keeping: JSONMemberSet) throws(JSONValue.ParseError) -> JSONValue {
        var found = [JSONMemberValue](repeating: .absent, count: keeping.count)
        try found.withUnsafeMutableBufferPointer { (found: inout UnsafeMutableBufferPointer<JSONMemberValue>) throws(JSONValue.ParseError) in
            try keeping.withView { (names) throws(JSONValue.ParseError) in try self.members(names, into: found) }
        }
        var object = [String: JSONValue](minimumCapacity: keeping.count)
        for (slot, member) in found.enumerated() {
            if let value = member.value { object[keeping.names[slot]] = value }
        }
        return .object(object)
    }

    /// Reads the object at the read position, each member `keeping` names into its slot of
    /// `found` (from `base`; the last one written, for a name written twice), the others
    /// checked and skipped. A name with members of its own to read is gone into when its value
    /// is an object (and its members are absent when it is not, or is written again).
    private mutating func members(_ keeping: JSONMemberSet.View, into found: UnsafeMutableBufferPointer<JSONMemberValue>,
                                  base: Int = 0) throws(JSONValue.ParseError) {
        guard peek() == UInt8(ascii: "{") else { throw unexpected(where: "an object") }
        // The kept names met in this object (the first 64 slots; a path names a handful), so
        // a repeated one is refused as a whole parse refuses it.
        var seen: UInt64 = 0
        try walkObject { parser throws(JSONValue.ParseError) in
            let keyAt = parser.index
            let slot = try parser.keptSlot(keeping)
            try parser.takeColon()
            guard let slot else { return try parser.skipValue() }
            if slot < 64 {
                guard seen & (1 << slot) == 0 else { throw parser.repeatedMember(at: keyAt) }
                seen |= 1 << slot
            }
            guard let inner = keeping.inside(slot) else {
                found[base + slot] = try parser.member()
                return
            }
            let first = base + inner.firstSlot
            for index in first..<(first + inner.count) { found[index] = .absent }
            parser.skipWhitespace()
            if parser.peek() == UInt8(ascii: "{") {
                try parser.members(inner.view, into: found, base: first)
            } else {
                try parser.skipValue()
            }
        }
    }

    /// Reads a key (the next byte is its quote): its slot in `keeping`, or nil.
    private mutating func keptSlot(_ keeping: JSONMemberSet.View) throws(JSONValue.ParseError) -> Int? {
        let start = index + 1
        let plain = try skipStringTellingIfPlain()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
        // Names are compared code point by code point; without an escape, that is byte by byte.
        guard !plain && raw.contains(UInt8(ascii: "\\")) else { return keeping.slot(matching: raw) }
        index = start - 1
        return keeping.slot(matching: try string())
    }

    /// A member's value: a string without escapes and a number are left as bytes and a double.
    private mutating func member() throws(JSONValue.ParseError) -> JSONMemberValue {
        switch peek() {
        case UInt8(ascii: "\"")?:
            let open = index
            let plain = try skipStringTellingIfPlain()
            let utf8 = UnsafeBufferPointer(rebasing: bytes[(open + 1)..<(index - 1)])
            if plain { return .text(utf8) }
            if utf8.contains(UInt8(ascii: "\\")) {
                index = open
                return .value(.string(try string()))
            }
            guard utf8.allSatisfy({ $0 < 0x80 }) || String(validating: utf8, as: UTF8.self) != nil else {
                throw error("a string is not valid UTF-8", at: open)
            }
            return .text(utf8)
        case UInt8(ascii: "-")?, (UInt8(ascii: "0")...UInt8(ascii: "9"))?:
            return .number(try number())
        default:
            return .value(try value())
        }
    }

    private mutating func array() throws(JSONValue.ParseError) -> JSONValue {
        var elements: [JSONValue] = []
        try walkArray { parser throws(JSONValue.ParseError) in elements.append(try parser.value()) }
        return .array(elements)
    }

    /// Walks the object whose `{` is at the read position to its `}`: `member` is called at
    /// each key's opening quote and reads the key, the `:` and the value.
    private mutating func walkObject(_ member: (inout JSONParser) throws(JSONValue.ParseError) -> Void) throws(JSONValue.ParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw unexpected(where: "an object key (a quoted string)")
            }
            try member(&self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return
            default:
                throw error("expected `,` or `}` in an object, found \(describeCurrent())")
            }
        }
    }

    /// Walks the array whose `[` is at the read position to its `]`: `element` is called at
    /// each element and reads it.
    private mutating func walkArray(_ element: (inout JSONParser) throws(JSONValue.ParseError) -> Void) throws(JSONValue.ParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return
            default:
                throw error("expected `,` or `]` in an array, found \(describeCurrent())")
            }
        }
    }

    /// Takes the `:` after a key, with the whitespace around it.
    private mutating func takeColon(after key: @autoclosure () -> String = "an object key") throws(JSONValue.ParseError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw error("expected `:` after \(key()), found \(describeCurrent())") }
        index += 1
        skipWhitespace()
    }

    private mutating func enter() throws(JSONValue.ParseError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("the JSON nests more than \(Self.maximumDepth) levels deep")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONValue.ParseError) {
        let count = word.utf8CodeUnitCount
        let matches = index + count <= bytes.count && (0..<count).allSatisfy { bytes[index + $0] == word.utf8Start[$0] }
        guard matches else { throw unexpected(where: "a value") }
        index += count
    }

    // MARK: Numbers

    private mutating func number() throws(JSONValue.ParseError) -> Double {
        let start = index
        try skipNumber()
        let written = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if let number = DecimalBytes.value(UnsafeRawBufferPointer(written)) { return number }
        let text = String(decoding: written, as: UTF8.self)
        guard let number = Double(text), number.isFinite else {
            throw error("the number \(text) is too large", at: start)
        }
        return number
    }

    /// Walks a number, checking RFC 8259's grammar for it.
    private mutating func skipNumber() throws(JSONValue.ParseError) {
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw error("a number needs digits after `-`") }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw error("a number may not start with 0 followed by digits") }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let next = peek(), isDigit(next) else { throw error("a number needs digits after its decimal point") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let next = peek(), isDigit(next) else { throw error("a number needs digits in its exponent") }
            skipDigits()
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        var position = index
        while position < bytes.count && isDigit(bytes[position]) { position += 1 }
        index = position
    }

    // MARK: Skipping

    /// Walks a value without building it, checking its syntax (not the UTF-8 of its strings
    /// or the range of its numbers, as ``JSONStreamScanner`` does for what it skips).
    private mutating func skipValue() throws(JSONValue.ParseError) {
        guard index < bytes.count else { throw unexpected(where: "a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try walkObject { parser throws(JSONValue.ParseError) in
                try parser.skipString()
                try parser.takeColon()
                try parser.skipValue()
            }
        case UInt8(ascii: "["):
            try walkArray { parser throws(JSONValue.ParseError) in try parser.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw unexpected(where: "a value")
        }
    }

    /// Walks a string from its opening quote, checking its escapes and that it holds no raw
    /// control character.
    private mutating func skipString() throws(JSONValue.ParseError) {
        _ = try skipStringTellingIfPlain()
    }

    /// Walks a string as ``skipString()`` does; returns whether it is plain: no escape, and
    /// ASCII only (so its bytes are its text, with nothing to check or decode).
    private mutating func skipStringTellingIfPlain() throws(JSONValue.ParseError) -> Bool {
        let open = index
        // The usual string, with no escape, is walked in a local index the compiler keeps in a
        // register, eight bytes at a time while eight are in hand.
        var position = index + 1
        let bytes = self.bytes
        var seenWords: UInt64 = 0
        if let base = bytes.baseAddress {
            let quotes = ByteWord.repeating(UInt8(ascii: "\"")), backslashes = ByteWord.repeating(UInt8(ascii: "\\"))
            while bytes.count - position >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                let stops = ByteWord.matches(word, quotes) | ByteWord.matches(word, backslashes) | ByteWord.controls(word)
                guard stops != 0 else {
                    seenWords |= word
                    position += 8
                    continue
                }
                // The bytes before the first stop are the string's; the byte loop takes the stop.
                let before = stops.trailingZeroBitCount >> 3
                seenWords |= word & ((1 << (8 * UInt64(before))) &- 1)
                position += before
                break
            }
        }
        var seen: UInt8 = seenWords & ByteWord.highBits == 0 ? 0 : 0x80
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                index = position + 1
                return seen < 0x80
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            seen |= byte
            position += 1
        }
        index = position
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return false
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard let escape = peek() else { break }
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    index += 1
                    _ = try hex4()
                default:
                    throw error("`\\\(String(UnicodeScalar(escape)))` is not a JSON escape")
                }
                continue
            }
            if byte < 0x20 { throw error("a string holds a raw control character; it must be escaped") }
            index += 1
        }
        throw error("a string is not closed with `\"`", at: open)
    }

    // MARK: Strings

    private mutating func string() throws(JSONValue.ParseError) -> String {
        let open = index
        index += 1
        let start = index
        // The common case: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard let text = Self.text(slice) else {
                    throw error("a string is not valid UTF-8", at: open)
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("a string holds a raw control character; it must be escaped") }
            index += 1
        }
        guard index < bytes.count else { throw error("a string is not closed with `\"`", at: open) }

        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw error("a string is not valid UTF-8", at: open)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard let escape = peek() else { break }
                index += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try unicodeEscape()
                    utf8.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    index -= 1
                    throw error("`\\\(String(UnicodeScalar(escape)))` is not a JSON escape")
                }
            default:
                if byte < 0x20 { throw error("a string holds a raw control character; it must be escaped") }
                utf8.append(byte)
                index += 1
            }
        }
        throw error("a string is not closed with `\"`", at: open)
    }

    /// `utf8` as a String, nil when it is not UTF-8; ASCII, the usual case, needs no generic check.
    private static func text(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        return String(validating: utf8, as: UTF8.self)
    }

    /// The scalar of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    private mutating func unicodeEscape() throws(JSONValue.ParseError) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("a \\u escape of a high surrogate must be followed by its low surrogate")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low),
                  let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
                throw error("a \\u escape of a high surrogate must be followed by its low surrogate")
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else {
            throw error("a \\u escape holds a lone low surrogate")
        }
        return scalar
    }

    private mutating func hex4() throws(JSONValue.ParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: Positions and messages

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default:
                index = position
                return
            }
        }
        index = position
    }

    /// The current byte for a message: `the end of the body`, `` `x` ``, or a code point.
    private func describeCurrent() -> String {
        guard index < bytes.count else { return "the end of the body" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "`\(String(UnicodeScalar(byte)))`" }
        if byte == 0x20 { return "a space" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// The error for a member whose key (its opening quote at `offset`) the object has already had.
    private func repeatedMember(at offset: Int) -> JSONValue.ParseError {
        if quiet { return JSONValue.ParseError(description: "") }
        var reader = self
        reader.index = offset
        let name = (try? reader.string()) ?? "?"
        return error("the member \"\(name)\" appears twice in one object; a repeated member is ambiguous, so the body cannot be read",
                     at: offset)
    }

    /// "unexpected `x` where <what> was expected", or "the JSON ends where…" at the end.
    private func unexpected(where what: String) -> JSONValue.ParseError {
        guard index < bytes.count else { return error("the JSON ends where \(what) was expected") }
        return error("unexpected \(describeCurrent()) where \(what) was expected")
    }

    /// An error at `offset` (the current position by default), with its line and column.
    private func error(_ message: @autoclosure () -> String, at offset: Int? = nil) -> JSONValue.ParseError {
        if quiet { return JSONValue.ParseError(description: "") }
        let message = message()
        let offset = min(offset ?? index, bytes.count)
        var line = 1, column = 1
        var position = 0
        while position < offset {
            let byte = bytes[position]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Columns count characters: UTF-8 continuation bytes do not start one.
                column += 1
            }
            position += 1
        }
        if line == 1 { column += origin.column - 1 }
        line += origin.line - 1
        return JSONValue.ParseError(description: "\(message) (line \(line), column \(column))")
    }
}
