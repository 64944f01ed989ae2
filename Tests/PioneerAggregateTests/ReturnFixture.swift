// Small signed returns for the aggregate's tests: a site's return for a month with the
// indicators and goals a test names, digested as `pioneer return` digests them.
import PioneerAggregate
import PioneerCore
import PioneerKit
import PioneerReturns

enum ReturnFixture {
    /// A programme of five sites reporting monthly: on time to the 15th, late to the 30th.
    static let programme = Programme(
        id: "pioneers", name: "Integrated Care Pioneers", sites: ["a", "b", "c", "d", "e"], periods: [.month],
        deadlines: ReturnDeadlines(soft: DueLag(count: 15, unit: .days), hard: DueLag(count: 30, unit: .days)),
        themes: [GoalTheme(name: "care plans", goals: ["care-plans"]), GoalTheme(name: "emergency admissions", goals: ["fewer-admissions"])],
        file: "programme.yaml")

    static func period(_ period: Period) -> ReturnPeriod {
        ReturnPeriod(label: period.label, type: period.type.rawValue, start: period.start.description, end: period.end.description)
    }

    static let provenance = ReturnProvenance(plugin: "json", runID: 1, collectedAt: "2026-04-02T08:00:00.000Z", sources: [])

    /// A proportion indicator with one measure for `period`.
    static func proportion(_ id: String = "care-plans", numerator: Double, denominator: Double, value: Double? = nil,
                           period: Period = .month(2026, 3), unit: String = "%") -> ReturnIndicator {
        ReturnIndicator(
            id: id, name: "Shared care plans", kind: "process", valueType: "proportion", unit: unit, factor: nil,
            better: "higher", decimals: 1,
            measures: [ReturnMeasure(period: Self.period(period), value: value ?? numerator / denominator,
                                     numerator: numerator, denominator: denominator, provenance: provenance)])
    }

    /// A rate per 1,000 with one measure for `period`.
    static func rate(_ id: String = "admissions", events: Double, population: Double, period: Period = .month(2026, 3),
                     factor: Int = 1000) -> ReturnIndicator {
        ReturnIndicator(
            id: id, name: "Emergency admissions", kind: "outcome", valueType: "rate", unit: "per 1,000", factor: factor,
            better: "lower", decimals: 1,
            measures: [ReturnMeasure(period: Self.period(period), value: events / population * Double(factor),
                                     numerator: events, denominator: population, provenance: provenance)])
    }

    static func count(_ value: Double, id: String = "referrals", period: Period = .month(2026, 3)) -> ReturnIndicator {
        ReturnIndicator(
            id: id, name: "Referrals", kind: "process", valueType: "count", unit: "referrals", factor: nil,
            better: "neutral", decimals: 0,
            measures: [ReturnMeasure(period: Self.period(period), value: value, provenance: provenance)])
    }

    static func goal(_ id: String, status: String?, rag: String? = nil, agreement: String = "agrees") -> ReturnGoal {
        ReturnGoal(id: id, indicator: "care-plans", title: "Goal \(id)",
                   baseline: ReturnPeriodValue(period: "2025-03", value: 0.5), target: ReturnPeriodValue(period: "2027-03", value: 0.75),
                   status: status, selfAssessment: ReturnSelfAssessment(rag: rag), agreement: agreement)
    }

    /// `site`'s signed return for `period`, made on `made` (a date) at 09:00 UTC.
    static func make(_ site: String, period: Period = .month(2026, 3), made: String = "2026-04-10", complete: Bool = true,
                     indicators: [ReturnIndicator], goals: [ReturnGoal] = [], sign: Bool = true) throws -> SiteReturn {
        let content = SiteReturn(
            generator: Generator(version: "0.1.0"),
            site: SiteIdentity(id: site, name: "Site \(site)", region: "South West", wave: "1"),
            period: Self.period(period), generatedAt: "\(made)T09:00:00.000Z", complete: complete,
            missing: complete ? [] : [MissingMeasure(indicator: "care-plans", period: period.label, reason: "nothing collected")],
            indicators: indicators, goals: goals, runs: [])
        return sign ? try ReturnCoding.signed(content) : content
    }

    static func received(_ content: SiteReturn) -> ReceivedReturn {
        ReceivedReturn(source: "returns/\(content.site.id)-\(content.period.label).json", content: content)
    }
}
