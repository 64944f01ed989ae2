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

    /// The first problem in `text`, or nil.
    func firstFinding(in text: String) -> Finding? {
        let scalars = Array(text.unicodeScalars)
        var flowDepth = 0
        var indents: [Int] = []
        var blockDepth = 0
        var quote: Unicode.Scalar?
        var inComment = false
        var atLineStart = true
        var line = 1, lineStart = 0
        var index = 0

        func at(_ offset: Int) -> Unicode.Scalar? { offset < scalars.count ? scalars[offset] : nil }
        func column(_ offset: Int) -> Int { offset - lineStart + 1 }

        while index < scalars.count {
            let scalar = scalars[index]
            let previous = index > lineStart ? scalars[index - 1] : "\n"
            index += 1

            if TextPosition.isBreak(scalar) {
                if scalar == "\r", at(index) == "\n" { index += 1 }
                line += 1
                lineStart = index
                inComment = false
                atLineStart = quote == nil
                continue
            }
            if inComment { continue }
            if let open = quote {
                if open == "\"", scalar == "\\", let next = at(index), !TextPosition.isBreak(next) {
                    index += 1
                } else if scalar == open {
                    if open == "'", at(index) == "'" { index += 1 } else { quote = nil }
                }
                continue
            }
            if atLineStart {
                if scalar == " " { continue }
                atLineStart = false
                if scalar == "#" {
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
            case "#" where previous == " " || previous == "\t":
                inComment = true
            case "\"" where startsToken, "'" where startsToken:
                quote = scalar
            case "[", "{":
                flowDepth += 1
            case "]", "}":
                flowDepth = max(0, flowDepth - 1)
                if Self.keyIndicatorFollows(scalars, from: index) {
                    return .complexKey(line: line, column: column(index - 1), what: "a list or mapping used as a key")
                }
            case "-" where flowDepth == 0 && (at(index) == " " || at(index) == nil):
                // A compact nested sequence (`- - x`) nests once more on the same line.
                blockDepth += 1
            case "?" where Self.startsKey(scalars, at: index - 1, lineStart: lineStart)
                && (at(index).map { $0 == " " || $0 == "\t" || TextPosition.isBreak($0) } ?? true):
                return .complexKey(line: line, column: column(index - 1), what: "an explicit `? ` key")
            case "*" where startsToken:
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

    /// Whether a quote or alias after `previous` starts a token (not an apostrophe in `don't`).
    private static func startsToken(after previous: Unicode.Scalar) -> Bool {
        switch previous {
        case " ", "\t", "\n", "\r", "[", "{", ",", ":", "-", "?": return true
        default: return false
        }
    }

    /// Whether `offset` is where a key may begin: first on its line (after indentation
    /// or `- `), or just after `{`, `[` or `,`. A `?` elsewhere is text (`Is it? Yes`).
    private static func startsKey(_ scalars: [Unicode.Scalar], at offset: Int, lineStart: Int) -> Bool {
        var index = offset - 1
        while index >= lineStart, scalars[index] == " " || scalars[index] == "\t" { index -= 1 }
        guard index >= lineStart else { return true }
        switch scalars[index] {
        case "{", "[", ",": return true
        case "-": return index == lineStart || scalars[index - 1] == " "
        default: return false
        }
    }

    private static func endsAlias(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", ",", "[", "]", "{", "}", ":": return true
        default: return TextPosition.isBreak(scalar)
        }
    }

    /// Whether, after optional spaces, `:` follows as a key indicator (then a space, break, end or flow indicator).
    private static func keyIndicatorFollows(_ scalars: [Unicode.Scalar], from start: Int) -> Bool {
        var index = start
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        guard index < scalars.count, scalars[index] == ":" else { return false }
        let after = index + 1
        guard after < scalars.count else { return true }
        let next = scalars[after]
        return next == " " || next == "\t" || next == "," || next == "}" || next == "]" || TextPosition.isBreak(next)
    }
}
