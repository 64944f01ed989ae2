// Dates read from extracts: ISO dates, with a time after `T` or a space, trimmed.
import PioneerExtraction
import PioneerKit
import Testing

@Suite struct DateFieldFormatTests {
    @Test func anISODateMayBeFollowedByATimeAfterTOrASpace() {
        let june30 = CalendarDate(year: 2026, month: 6, day: 30)
        for text in ["2026-06-30", " 2026-06-30 ", "2026-06-30T23:59:59Z", "2026-06-30 08:00", "2026-06-30T"] {
            #expect(DateFieldFormat.iso.parse(text) == june30, "\(text)")
        }
        for text in ["2026-06-30X", "2026-06-30é", "30/06/2026", "2026-06-3", "", "2026-06-30\u{301}"] {
            #expect(DateFieldFormat.iso.parse(text) == nil, "\(text)")
        }
    }
}
