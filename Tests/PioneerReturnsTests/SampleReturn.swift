// A small return with every kind of field filled in, for the coding and reader tests.
import PioneerReturns

enum SampleReturn {
    static func period(_ label: String, _ type: String, _ start: String, _ end: String) -> ReturnPeriod {
        ReturnPeriod(label: label, type: type, start: start, end: end)
    }

    static let provenance = ReturnProvenance(
        plugin: "rate", runID: 3, collectedAt: "2026-04-02T09:14:07.512Z",
        sources: [ReturnSource(feed: "admissions", url: "https://bi.example.nhs.uk/api/admissions?month=2026-03",
                               fetchedAt: "2026-04-02T09:14:06.001Z",
                               contentHash: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", status: 200)])

    static var value: SiteReturn {
        SiteReturn(
            generator: Generator(version: "0.10.0"),
            site: SiteIdentity(id: "torbay", name: "Torbay and South Devon", region: "South West", wave: "Pioneer wave 1 (2013)"),
            period: period("2026Q1", "quarter", "2026-01-01", "2026-03-31"),
            generatedAt: "2026-04-10T08:00:00.000Z",
            complete: true, missing: [],
            indicators: [
                ReturnIndicator(
                    id: "emergency-admissions-65", name: "Emergency admissions, aged 65+", kind: "outcome",
                    valueType: "rate", unit: "admissions per 1,000 aged 65+", factor: 1000, better: "lower", decimals: 1,
                    definitionVersion: "0123456789ab",
                    measures: [
                        ReturnMeasure(period: period("2026-03", "month", "2026-03-01", "2026-03-31"), value: 20.123456789,
                                      numerator: 612, denominator: 30412.5,
                                      interval: ReturnInterval(lower: 18.6, upper: 21.8, level: 0.95, method: "poisson"),
                                      provenance: provenance),
                    ]),
                ReturnIndicator(
                    id: "involved-in-decisions", name: "I was involved in decisions about my care", kind: "experience",
                    valueType: "proportion", unit: "%", factor: nil, better: "higher", decimals: 1,
                    definitionVersion: "ba9876543210",
                    measures: [
                        ReturnMeasure(period: period("2026Q1", "quarter", "2026-01-01", "2026-03-31"), value: nil,
                                      sampleSize: 7, notAvailable: ReturnNotAvailable(reason: "suppressed", detail: "n = 7, below the minimum of 10"),
                                      provenance: provenance),
                    ]),
            ],
            goals: [
                ReturnGoal(id: "fewer-admissions", indicator: "emergency-admissions-65", title: "Reduce emergency admissions by 10%",
                           baseline: ReturnPeriodValue(period: "2024-03", value: 20.8),
                           target: ReturnPeriodValue(period: "2027-03", value: 18.7),
                           trajectoryValue: 19.4, status: "at risk",
                           latest: ReturnPeriodValue(period: "2026-03", value: 20.123456789),
                           interval: ReturnInterval(lower: 18.6, upper: 21.8, level: 0.95, method: "poisson"),
                           projection: ReturnProjection(value: 19.1, meetsTarget: false, pointsUsed: 12, slopePerPeriod: -0.05),
                           variation: "common_cause", assurance: "inconsistent",
                           selfAssessment: ReturnSelfAssessment(rag: "green", confidence: "high", narrative: "Falls service / frailty hub \"live\"", asOf: "2026-03-15"),
                           agreement: "optimistic"),
            ],
            runs: [ReturnRun(id: 3, startedAt: "2026-04-02T09:14:00.000Z", finishedAt: "2026-04-02T09:14:09.250Z",
                             status: "finished", periods: "2026-01…2026-03")])
    }
}
