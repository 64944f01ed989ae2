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

    @Test func controlCharactersBecomeVisibleEscapes() {
        #expect("n/a\n2026-07      42".escapingControlCharacters() == "n/a\\n2026-07      42")
        #expect("\u{1B}[2J\u{1B}[31mred\u{07}".escapingControlCharacters() == "\\u001b[2J\\u001b[31mred\\u0007")
        #expect("a\r\tb\u{7F}\u{85}".escapingControlCharacters() == "a\\r\\tb\\u007f\\u0085")
        for plain in ["", "Ynys Môn 😀", "£1,204.50 — fine", "e\u{0301}"] {
            #expect(plain.escapingControlCharacters() == plain)
        }
    }

    @Test func aPluginErrorAndANotAvailableDetailAreOneLineWhateverAFeedSends() {
        let error = PluginError("`$.x` is a string `n/a\n2026-07      42     42`")
        #expect(error.description == "`$.x` is a string `n/a\\n2026-07      42     42`")
        #expect(!error.description.contains("\n"))
        let missing = NotAvailable(.noData, "the feed said \u{1B}[2Jnothing")
        #expect(missing.detail == "the feed said \\u001b[2Jnothing")
    }

}
