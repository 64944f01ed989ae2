// A cheap pass over YAML text before libyaml parses it, refusing two shapes early and
// with a plain message: nesting far deeper than any configuration (libyaml would keep
// a state per level, and the composer a frame per level, for thousands of levels) and
// lists, mappings or aliases used as keys (refused here at the key, before any of it
// is composed).

/// Finds input that must not reach the parser, without parsing it.
///
/// The depth estimate errs on the high side: flow brackets (`[`, `{`) outside quotes
/// and comments, plus one level per increase of block indentation, plus one per
/// compact `- ` on a line. Configuration files nest a handful of levels, so a
/// generous limit never rejects them.
struct YAMLPrescan {
    enum Finding: Equatable {
        /// The estimated nesting depth first passes the limit here.
        case tooDeep(line: Int, column: Int)
        /// An explicit `? ` key, or a list, mapping or alias used as a key.
        case complexKey(line: Int, column: Int, what: String)
    }

    let depthLimit: Int

    /// One code per Unicode scalar of the text: the scalar itself when it is ASCII,
    /// ``lineBreak`` for the line breaks outside ASCII (NEL, LS, PS), ``other`` for any
    /// other scalar. Every character the prescan reacts to is ASCII, so this keeps what it
    /// needs in a byte per scalar, and offsets stay scalar offsets, as libyaml counts columns.
    typealias Code = UInt8
    static let lineBreak: Code = 0x85
    static let other: Code = 0x80

    static func codes(of text: String) -> [Code] {
        var text = text
        return text.withUTF8 { bytes in
            var codes: [Code] = []
            codes.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    codes.append(byte)
                    index += 1
                    continue
                }
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let next = index + 1 < bytes.count ? bytes[index + 1] : 0
                if byte == 0xC2, next == 0x85 {
                    codes.append(lineBreak)  // NEL
                } else if byte == 0xE2, next == 0x80, index + 2 < bytes.count,
                          bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                    codes.append(lineBreak)  // LS, PS
                } else {
                    codes.append(other)
                }
                index += length
            }
            return codes
        }
    }

    /// The first problem in `text`, or nil.
    func firstFinding(in text: String) -> Finding? {
        let scalars = Self.codes(of: text)
        var flowDepth = 0
        var indents: [Int] = []
        var blockDepth = 0
        var quote: Code?
        var inComment = false
        var atLineStart = true
        var line = 1, lineStart = 0
        var index = 0

        func at(_ offset: Int) -> Code? { offset < scalars.count ? scalars[offset] : nil }
        func column(_ offset: Int) -> Int { offset - lineStart + 1 }

        while index < scalars.count {
            let scalar = scalars[index]
            let previous = index > lineStart ? scalars[index - 1] : ASCII.newline
            index += 1

            if Self.isBreak(scalar) {
                if scalar == ASCII.carriageReturn, at(index) == ASCII.newline { index += 1 }
                line += 1
                lineStart = index
                inComment = false
                atLineStart = quote == nil
                continue
            }
            if inComment { continue }
            if let open = quote {
                if open == ASCII.doubleQuote, scalar == ASCII.backslash, let next = at(index), !Self.isBreak(next) {
                    index += 1
                } else if scalar == open {
                    if open == ASCII.singleQuote, at(index) == ASCII.singleQuote { index += 1 } else { quote = nil }
                }
                continue
            }
            if atLineStart {
                if scalar == ASCII.space { continue }
                atLineStart = false
                if scalar == ASCII.hash {
                    inComment = true
                    continue
                }
                if flowDepth == 0 {
                    let indent = index - 1 - lineStart
                    while let last = indents.last, last > indent { indents.removeLast() }
                    if indents.last.map({ $0 < indent }) ?? true { indents.append(indent) }
                    blockDepth = indents.count
                }
            }
            let startsToken = Self.startsToken(after: previous)
            switch scalar {
            case ASCII.hash where previous == ASCII.space || previous == ASCII.tab:
                inComment = true
            case ASCII.doubleQuote where startsToken, ASCII.singleQuote where startsToken:
                quote = scalar
            case ASCII.openBracket, ASCII.openBrace:
                flowDepth += 1
            case ASCII.closeBracket, ASCII.closeBrace:
                flowDepth = max(0, flowDepth - 1)
                if Self.keyIndicatorFollows(scalars, from: index) {
                    return .complexKey(line: line, column: column(index - 1), what: "a list or mapping used as a key")
                }
            case ASCII.dash where flowDepth == 0 && (at(index) == ASCII.space || at(index) == nil):
                // A compact nested sequence (`- - x`) nests once more on the same line.
                blockDepth += 1
            case ASCII.question where Self.startsKey(scalars, at: index - 1, lineStart: lineStart)
                && (at(index).map { $0 == ASCII.space || $0 == ASCII.tab || Self.isBreak($0) } ?? true):
                return .complexKey(line: line, column: column(index - 1), what: "an explicit `? ` key")
            case ASCII.star where startsToken:
                var end = index
                while let next = at(end), !Self.endsAlias(next) { end += 1 }
                if Self.keyIndicatorFollows(scalars, from: end) {
                    return .complexKey(line: line, column: column(index - 1), what: "an alias used as a key")
                }
                index = end
            default:
                break
            }
            if flowDepth + blockDepth > depthLimit {
                return .tooDeep(line: line, column: column(index - 1))
            }
        }
        return nil
    }

    /// The ASCII characters the prescan looks for.
    private enum ASCII {
        static let tab: Code = 0x09
        static let newline: Code = 0x0A
        static let carriageReturn: Code = 0x0D
        static let space: Code = 0x20
        static let doubleQuote: Code = 0x22
        static let hash: Code = 0x23
        static let singleQuote: Code = 0x27
        static let star: Code = 0x2A
        static let comma: Code = 0x2C
        static let dash: Code = 0x2D
        static let colon: Code = 0x3A
        static let question: Code = 0x3F
        static let openBracket: Code = 0x5B
        static let backslash: Code = 0x5C
        static let closeBracket: Code = 0x5D
        static let openBrace: Code = 0x7B
        static let closeBrace: Code = 0x7D
    }

    /// Line breaks as libyaml reads them (and ``TextPosition`` counts them).
    private static func isBreak(_ code: Code) -> Bool {
        code == ASCII.newline || code == ASCII.carriageReturn || code == lineBreak
    }

    /// Whether a quote or alias after `previous` starts a token (not an apostrophe in `don't`).
    private static func startsToken(after previous: Code) -> Bool {
        switch previous {
        case ASCII.space, ASCII.tab, ASCII.newline, ASCII.carriageReturn, ASCII.openBracket, ASCII.openBrace,
             ASCII.comma, ASCII.colon, ASCII.dash, ASCII.question: return true
        default: return false
        }
    }

    /// Whether `offset` is where a key may begin: first on its line (after indentation
    /// or `- `), or just after `{`, `[` or `,`. A `?` elsewhere is text (`Is it? Yes`).
    private static func startsKey(_ scalars: [Code], at offset: Int, lineStart: Int) -> Bool {
        var index = offset - 1
        while index >= lineStart, scalars[index] == ASCII.space || scalars[index] == ASCII.tab { index -= 1 }
        guard index >= lineStart else { return true }
        switch scalars[index] {
        case ASCII.openBrace, ASCII.openBracket, ASCII.comma: return true
        case ASCII.dash: return index == lineStart || scalars[index - 1] == ASCII.space
        default: return false
        }
    }

    private static func endsAlias(_ code: Code) -> Bool {
        switch code {
        case ASCII.space, ASCII.tab, ASCII.comma, ASCII.openBracket, ASCII.closeBracket,
             ASCII.openBrace, ASCII.closeBrace, ASCII.colon: return true
        default: return isBreak(code)
        }
    }

    /// Whether, after optional spaces, `:` follows as a key indicator (then a space, break, end or flow indicator).
    private static func keyIndicatorFollows(_ scalars: [Code], from start: Int) -> Bool {
        var index = start
        while index < scalars.count, scalars[index] == ASCII.space || scalars[index] == ASCII.tab { index += 1 }
        guard index < scalars.count, scalars[index] == ASCII.colon else { return false }
        let after = index + 1
        guard after < scalars.count else { return true }
        let next = scalars[after]
        return next == ASCII.space || next == ASCII.tab || next == ASCII.comma || next == ASCII.closeBrace
            || next == ASCII.closeBracket || isBreak(next)
    }
}
