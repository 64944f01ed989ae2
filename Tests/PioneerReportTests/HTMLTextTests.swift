// A site's own words go into the report escaped.
import PioneerReport
import Testing

@Suite("HTML text")
struct HTMLTextTests {
    @Test func markupCharactersAreEscaped() {
        #expect(HTMLText.escape(#"<b>"A&E" isn't</b>"#) == "&lt;b&gt;&quot;A&amp;E&quot; isn&#39;t&lt;/b&gt;")
    }

    /// Found by a tester: a NUL in an event label reached the report's HTML.
    @Test func controlCharactersOtherThanLineBreaksAndTabsBecomeTheReplacementMark() {
        #expect(HTMLText.escape("ev \u{0} x\u{1B}[2J\u{7F}") == "ev \u{FFFD} x\u{FFFD}[2J\u{FFFD}")
        #expect(HTMLText.escape("two\r\nlines\tand a tab") == "two\r\nlines\tand a tab")
    }

    @Test func plainTextIsUnchanged() {
        #expect(HTMLText.escape("Torbay: 20.8 per 1,000 — März") == "Torbay: 20.8 per 1,000 — März")
    }
}
