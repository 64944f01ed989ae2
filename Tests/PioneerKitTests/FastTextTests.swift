// The ASCII fast paths must give exactly what the general Unicode (and Foundation) versions give.
import Foundation
@testable import PioneerKit
import Testing

@Suite struct FastTextTests {
    static let samples = [
        "", " ", "\t", "\r\n", "Content-Type", "content-type", "  Padded\t", "\r\nETag\r\n", "ÉCOLE", "Straße",
        "İstanbul", "mixed Ünïcode ", "\u{00A0}nbsp\u{00A0}", "\u{3000}ideographic\u{3000}", "e\u{0301}", " e\u{0301} ",
        "line\nbreak", "a", "A", "\u{2028}sep", "tab\tinside", "ΣΑΣ", "x\r", "\u{0301}",
    ]

    @Test(arguments: samples)
    func lowercasingMatchesTheStandardLibrary(text: String) {
        #expect(text.lowercasedFast() == text.lowercased())
        #expect(text[...].lowercasedFast() == text.lowercased())
    }

    @Test(arguments: samples)
    func whitespaceTrimmingMatchesCharacterLevelTrimming(text: String) {
        var expected = Substring(text)
        while let first = expected.first, first.isWhitespace { expected = expected.dropFirst() }
        while let last = expected.last, last.isWhitespace { expected = expected.dropLast() }
        #expect(text.trimmingWhitespaceFast() == String(expected))
    }

    @Test(arguments: samples)
    func spaceAndTabTrimmingMatchesFoundation(text: String) {
        #expect(text.trimmingSpacesAndTabs() == text.trimmingCharacters(in: .whitespaces))
        #expect(text.isBlankOnOneLine == text.trimmingCharacters(in: .whitespaces).isEmpty)
    }
}
