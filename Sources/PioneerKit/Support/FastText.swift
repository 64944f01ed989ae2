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
        if let first = text.utf8.first, let last = text.utf8.last,
           (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return String(text)
        }
        while let head = text.first, head.isWhitespace { text = text.dropFirst() }
        while let tail = text.last, tail.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    /// `lowercased()`, without the Unicode machinery when the text is ASCII.
    package func lowercasedFast() -> String {
        var hasUpper = false
        for byte in utf8 {
            if byte >= 0x80 { return lowercased() }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
        }
        guard hasUpper else { return String(self) }
        return String(decoding: utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
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

extension Unicode.Scalar {
    /// Tab or a space separator (general category Zs): Foundation's `CharacterSet.whitespaces`.
    package var isSpaceOrTab: Bool {
        self == " " || self == "\t" || (value >= 0x80 && properties.generalCategory == .spaceSeparator)
    }
}
