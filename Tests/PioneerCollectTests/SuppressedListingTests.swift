// `pioneer measures` never shows the parts of a suppressed value, which the store keeps.
import Foundation
import PioneerCollect
import PioneerCore
import PioneerKit
import PioneerStore
import Testing

@Suite struct SuppressedListingTests {
    private let suppressed = Observation(
        value: nil, numerator: 3, denominator: 41_729, sampleSize: 11,
        interval: nil, notAvailable: NotAvailable(.suppressed, "the numerator is below the small-number threshold of 5"))

    private var listing: MeasureListing {
        let fetched = Date(timeIntervalSince1970: 1_780_000_000)
        let row = StoredMeasure(
            id: 1, site: "testshire",
            measure: Measure(indicatorID: "share", period: .quarter(2026, 1), observation: suppressed,
                             provenance: Provenance(plugin: "rate", sources: [], collectedAt: fetched)),
            runID: 1, confirmedRunID: 1, confirmedAt: fetched, recordedAt: fetched, isCurrent: true, supersededBy: nil)
        let site = TestSite.site(baseURL: "http://127.0.0.1", [TestSite.indicator("share", path: "/x", valueType: .proportion, period: .quarter)]).0
        return MeasureListing(site: site, rows: [row])
    }

    @Test func theTableHidesTheNumeratorAndDenominator() {
        let table = listing.table()
        #expect(!table.contains("41,729"))
        #expect(!table.contains(" 3 "))
        #expect(table.contains("not available: suppressed small number: the numerator is below the small-number threshold of 5"))
        #expect(table.contains("11"))
    }

    @Test func csvAndJSONHideThemToo() throws {
        let csv = listing.csv()
        #expect(!csv.contains("41729"))
        let fields = csv.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields[8] == "" && fields[9] == "", "numerator and denominator columns: \(fields)")
        #expect(fields[10] == "11")
        let json = try listing.json()
        #expect(!json.contains("41729"))
        #expect(!json.contains(#""numerator" :"#))
        #expect(!json.contains(#""denominator" :"#))
        #expect(json.contains(#""sample_size" : 11"#))
    }
}
