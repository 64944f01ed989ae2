// A suppressed measure keeps its numerator and denominator in the store, for pooled
// figures and later re-checks, while what is shown of it hides them.
import Foundation
import PioneerKit
import PioneerExtraction
import PioneerStore
import PioneerTesting
import Testing

@Suite struct SuppressedMeasureTests {
    @Test func aSuppressedObservationKeepsBothPartsThroughTheStore() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-05")
            let suppressed = Observation(value: nil, numerator: 3, denominator: 35_400, sampleSize: nil,
                                         notAvailable: NotAvailable(.suppressed, "the numerator is below the small-number threshold of 5"))
            try store.record(measure(suppressed), site: "torbay", runID: run)

            let stored = try #require(try store.currentMeasure(site: "torbay", indicator: "admissions", period: .month(2026, 5)))
            #expect(stored.measure.observation == suppressed)
            #expect(stored.measure.observation.value == nil)
            #expect(stored.measure.observation.numerator == 3)
            #expect(stored.measure.observation.denominator == 35_400)
            #expect(stored.measure.observation.notAvailable?.reason == .suppressed)
            #expect(try store.outcomes(runID: run).map(\.kind) == [.notAvailable])
            #expect(stored.measure.observation.published == Observation(value: nil, notAvailable: suppressed.notAvailable))
        }
    }

    @Test func aSuppressedSurveyKeepsItsCountsAndShowsOnlyN() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-05")
            let suppressed = Observation(value: nil, numerator: 5, denominator: 7, sampleSize: 7,
                                         notAvailable: NotAvailable(.suppressed, "n = 7, below the minimum of 30"))
            try store.record(measure(suppressed), site: "torbay", runID: run)
            let stored = try #require(try store.currentMeasure(site: "torbay", indicator: "admissions", period: .month(2026, 5)))
            #expect(stored.measure.observation == suppressed)
            #expect(stored.measure.observation.published == Observation(value: nil, sampleSize: 7, notAvailable: suppressed.notAvailable))
        }
    }

    @Test func anObservationThatIsNotSuppressedIsPublishedWhole() {
        let collected = Observation.value(0.25, numerator: 25, denominator: 100, interval: .wilson(successes: 25, trials: 100))
        #expect(collected.published == collected)
        let noData = Observation.notAvailable(.noData, "nothing", sampleSize: 0)
        #expect(noData.published == noData)
    }
}
