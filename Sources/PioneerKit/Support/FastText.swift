// Text helpers with an ASCII fast path, shared by Pioneer's own modules (package
// access, not part of the plugin API). Configuration keys, URLs and header names are
// nearly always ASCII, and the general Unicode paths showed up in the collection
// benchmark's profile: Character-by-Character trimming, String.lowercased(), and
// Foundation's trimmingCharacters(in:).

extension StringProtocol {
    /// The text without leading and trailing whitespace (`Character.isWhitespace`,
    /// so "\r\n" counts as one). Returns the text as it is when both ends are printable ASCII.
    package func trimmingWhitespaceFast() -> String {
        var text = Substring(self)
        // ASCII spaces, tabs and line breaks come off byte by byte; only text that still
        // ends in something other than printable ASCII needs the Character-level check.
        let utf8 = text.utf8
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, Self.isASCIISpace(utf8[start]) { start = utf8.index(after: start) }
        while start < end, Self.isASCIISpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        if start == end { return "" }
        if (0x21...0x7E).contains(utf8[start]), (0x21...0x7E).contains(utf8[utf8.index(before: end)]) {
            return String(text[start..<end])
        }
        while let head = text.first, head.isWhitespace { text = text.dropFirst() }
        while let tail = text.last, tail.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// `lowercased()`, without the Unicode machinery when the text is ASCII.
    package func lowercasedFast() -> String {
        var text = String(self)
        let found = text.withUTF8 { bytes -> LetterCase in
            var found = LetterCase.lower
            for byte in bytes {
                if byte >= 0x80 { return .unicode }
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { found = .upperASCII }
            }
            return found
        }
        switch found {
        case .lower:
            return text
        case .unicode:
            return text.lowercased()
        case .upperASCII:
            return text.withUTF8 { bytes in
                String(unsafeUninitializedCapacity: bytes.count) { output in
                    for (index, byte) in bytes.enumerated() {
                        output[index] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                    }
                    return bytes.count
                }
            }
        }
    }

    /// Whether the text is empty or only spaces and tabs: Foundation's
    /// `CharacterSet.whitespaces` (tab and the space separators), without Foundation.
    package var isBlankOnOneLine: Bool {
        unicodeScalars.allSatisfy(\.isSpaceOrTab)
    }

    /// The text without leading and trailing spaces and tabs (`CharacterSet.whitespaces`),
    /// as `trimmingCharacters(in: .whitespaces)` gives, without Foundation.
    package func trimmingSpacesAndTabs() -> String {
        let scalars = Substring(self).unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.isSpaceOrTab }),
              let end = scalars.lastIndex(where: { !$0.isSpaceOrTab }) else { return "" }
        return String(Substring.UnicodeScalarView(scalars[start...end]))
    }
}

/// What ``StringProtocol/lowercasedFast()`` found in the bytes.
private enum LetterCase {
    case lower, upperASCII, unicode
}

extension Unicode.Scalar {
    /// Tab or a space separator (general category Zs): Foundation's `CharacterSet.whitespaces`.
    package var isSpaceOrTab: Bool {
        self == " " || self == "\t" || (value >= 0x80 && properties.generalCategory == .spaceSeparator)
    }
}

extension String {
    /// The text with its control characters (C0 but for the space, DEL, C1) and invisible ones
    /// (see `isControl`) written as visible escapes, `\n`, `\u001b`, `\u200b`: text from a feed
    /// or a configuration file quoted in a one-line message or a table cell can then neither
    /// start a line of its own nor send the terminal a control sequence, and `u\u200bnit`
    /// does not look like `unit`.
    /// Returns the text as it is when it holds none (nearly always).
    package func escapingControlCharacters() -> String {
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var escaped = ""
        for scalar in unicodeScalars {
            guard Self.isControl(scalar) else {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return escaped
    }

    /// The text without the characters ``escapingControlCharacters()`` escapes: what a reader
    /// sees of it. Returns the text as it is when it holds none.
    package func removingControlCharacters() -> String {
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var visible = String.UnicodeScalarView()
        visible.append(contentsOf: unicodeScalars.filter { !Self.isControl($0) })
        return String(visible)
    }

    /// Control characters, and the invisible ones a reader cannot tell from nothing or from a
    /// space: format characters (a zero-width space, a byte-order mark, the bidirectional
    /// controls that reorder what a terminal shows) and spaces other than the ASCII one.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return true }
        guard scalar.value >= 0xA0 else { return false }
        switch scalar.properties.generalCategory {
        case .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
