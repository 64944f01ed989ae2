// A site and a real SQLite store with a quarter of measures, for the builder tests.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerStore

struct ReturnFixture {
    static let admissions = IndicatorDefinition(
        id: "emergency-admissions-65", name: "Emergency admissions, aged 65+", kind: .outcome, valueType: .rate,
        unit: "admissions per 1,000 aged 65+", periodType: .month, better: .lower, factor: .per1000)
    static let involved = IndicatorDefinition(
        id: "involved-in-decisions", name: "I was involved in decisions about my care", kind: .experience,
        valueType: .proportion, unit: "%", periodType: .quarter, better: .higher)
    static let careHomes = IndicatorDefinition(
        id: "care-home-admissions", name: "Permanent admissions to care homes, 65+", kind: .outcome, valueType: .count,
        unit: "admissions", periodType: .financialYear, better: .lower)
    /// Counted 60 days after a month ends, so March is not due on 2026-04-10.
    static let readmissions = IndicatorDefinition(
        id: "readmissions-30", name: "Readmissions within 30 days", kind: .outcome, valueType: .count,
        unit: "readmissions", periodType: .month, better: .lower, dueAfter: DueLag(count: 60, unit: .days))

    static func spec(_ definition: IndicatorDefinition) -> IndicatorSpec {
        IndicatorSpec(definition: definition, plugin: "json", config: .mapping([]), location: .unknown("site.yaml"))
    }

    static let goal = Goal(
        id: "fewer-admissions", indicatorID: admissions.id, title: "Reduce emergency admissions by 10%",
        baseline: PeriodValue(period: .month(2025, 3), value: 21), target: PeriodValue(period: .month(2027, 3), value: 18.9),
        assessment: SelfAssessment(confidence: .high, rag: .green, narrative: "Frailty hub live", asOf: CalendarDate(year: 2026, month: 3, day: 15)))

    static func site(indicators: [IndicatorDefinition] = [admissions, involved, careHomes, readmissions],
                     feeds: [FeedDefinition] = []) -> Site {
        Site(id: "torbay", name: "Torbay and South Devon", region: "South West", wave: "Pioneer wave 1 (2013)",
             focus: ["older people"], population: ["aged_65_plus": 30_000], feeds: feeds,
             indicators: indicators.map(spec), goals: [goal], directory: "sites/torbay", file: "sites/torbay/site.yaml")
    }

    static let collectedAt = Date(timeIntervalSince1970: 1_775_121_247.512) // 2026-04-02T09:14:07.512Z

    static func provenance(url: String = "https://bi.example.nhs.uk/api/admissions?month=2026-03") -> Provenance {
        Provenance(plugin: "json", sources: [FeedSource(feed: "bi", url: url, fetchedAt: collectedAt.addingTimeInterval(-1),
                                                         contentHash: "sha256:" + String(repeating: "ab", count: 32), status: 200)],
                   collectedAt: collectedAt)
    }

    let store: MeasureStore
    let runID: Int64

    /// A store at `path` with January to March 2026 of admissions, 2026Q1 of involvement (and
    /// the months `skipping` left out), collected by one run.
    init(path: String, skipping: Set<Period> = [], url: String? = nil) throws {
        store = try MeasureStore(path: path)
        runID = try store.beginRun(site: "torbay", command: "pioneer collect sites/torbay", periods: "2026-01…2026-03",
                                   at: Self.collectedAt.addingTimeInterval(-7))
        var writes: [StoreWrite] = []
        for (index, month) in Period.month(2026, 1).through(.month(2026, 3)).enumerated() where !skipping.contains(month) {
            let numerator = Double(600 + index * 7)
            writes.append(.measure(Measure(
                indicatorID: Self.admissions.id, period: month,
                observation: .value(numerator / 30.0, numerator: numerator, denominator: 30_000,
                                    interval: ConfidenceInterval(lower: numerator / 30.0 - 1.5, upper: numerator / 30.0 + 1.6, method: "poisson")),
                provenance: Self.provenance(url: url ?? "https://bi.example.nhs.uk/api/admissions?month=\(month.label)"))))
            writes.append(.measure(Measure(indicatorID: Self.readmissions.id, period: month, observation: .value(40 + Double(index)),
                                           provenance: Self.provenance())))
        }
        writes.append(.measure(Measure(indicatorID: Self.involved.id, period: .quarter(2026, 1),
                                       observation: .value(0.62, numerator: 62, denominator: 100, sampleSize: 100),
                                       provenance: Self.provenance())))
        // Last year's, which a 2026Q1 return leaves out.
        writes.append(.measure(Measure(indicatorID: Self.involved.id, period: .quarter(2025, 4),
                                       observation: .value(0.55, numerator: 55, denominator: 100, sampleSize: 100),
                                       provenance: Self.provenance())))
        _ = try store.record(writes, site: "torbay", runID: runID, at: Self.collectedAt)
        try store.finishRun(runID, counts: RunCounts(collected: writes.count), at: Self.collectedAt.addingTimeInterval(2))
    }
}
