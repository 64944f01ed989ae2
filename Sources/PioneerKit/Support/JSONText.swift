// Writing JSON strings by hand, for Pioneer's own modules (package access): the store's
// provenance column and the demo simulator's bodies both write JSON without JSONEncoder.

package enum JSONText {
    /// Appends `text` as a JSON string, escaped as `JSONEncoder` escapes it: `"` and `\`,
    /// control characters as `\n`-style escapes or `\u00XX`; everything else (including
    /// `/` and non-ASCII) as it is.
    package static func appendString(_ text: String, to out: inout String) {
        out += "\""
        appendEscaped(text, quote: "\"", to: &out)
        out += "\""
    }

    /// Appends `text` with `quote` and `\` escaped by a backslash and control characters as
    /// `\b \f \n \r \t` or lower-case `\u00XX`: JSON's string escapes with `"`, and RFC 9535's
    /// normalized-path names (§2.7) with `'`. `quote` is an ASCII character.
    package static func appendEscaped(_ text: String, quote: Unicode.Scalar, to out: inout String) {
        let quoteByte = UInt8(truncatingIfNeeded: quote.value)
        let needsEscaping = text.utf8.contains { $0 < 0x20 || $0 == quoteByte || $0 == UInt8(ascii: "\\") }
        guard needsEscaping else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote: out += "\\"; out.unicodeScalars.append(quote)
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
    }
}
