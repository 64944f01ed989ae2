// A site's own words go into the report escaped.
import PioneerReport
import Testing

@Suite("HTML text")
struct HTMLTextTests {
    @Test func markupCharactersAreEscaped() {
        #expect(HTMLText.escape(#"<b>"A&E" isn't</b>"#) == "&lt;b&gt;&quot;A&amp;E&quot; isn&#39;t&lt;/b&gt;")
    }

    @Test func plainTextIsUnchanged() {
        #expect(HTMLText.escape("Torbay: 20.8 per 1,000 — März") == "Torbay: 20.8 per 1,000 — März")
    }
}
