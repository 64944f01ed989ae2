// Signed returns and a programme for the intake server's tests: four sites reporting monthly,
// on time to the 15th of the next month and late to the 30th, as sites/programme.yaml says.
import Foundation
import PioneerCore
import PioneerKit
import PioneerReturns

enum IntakeFixture {
    static let sites = ["torbay", "tower-hamlets", "cambridge", "northumbria"]

    static let programme = Programme(
        id: "pioneers", name: "Integrated Care Pioneers", sites: sites, periods: [.month, .quarter],
        deadlines: ReturnDeadlines(soft: DueLag(count: 15, unit: .days), hard: DueLag(count: 30, unit: .days)),
        themes: [GoalTheme(name: "care plans", goals: ["care-plans"])], file: "programme.yaml")

    static let march = Period.month(2026, 3)

    /// 10 April 2026, 09:00 UTC: March's returns are on time.
    static let onTime = date("2026-04-10T09:00:00Z")
    /// 20 April 2026: after March's soft deadline (15 April), before its hard one (30 April).
    static let afterSoftDeadline = date("2026-04-20T09:00:00Z")

    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    static func returnPeriod(_ period: Period) -> ReturnPeriod {
        ReturnPeriod(label: period.label, type: period.type.rawValue, start: period.start.description, end: period.end.description)
    }

    /// `site`'s signed return for March: care plans (a proportion) and emergency admissions (a rate).
    static func siteReturn(_ site: String, plans: (Double, Double) = (30, 100), admissions: (Double, Double) = (50, 20_000),
                           sign: Bool = true) throws -> SiteReturn {
        let period = returnPeriod(march)
        let provenance = ReturnProvenance(plugin: "json", runID: 1, collectedAt: "2026-04-02T08:00:00.000Z", sources: [])
        let content = SiteReturn(
            generator: Generator(version: "0.1.0"),
            site: SiteIdentity(id: site, name: site.capitalized, region: "England", wave: "1"),
            period: period, generatedAt: "2026-04-05T09:00:00.000Z", complete: true, missing: [],
            indicators: [
                ReturnIndicator(id: "care-plans", name: "Shared care plans", kind: "process", valueType: "proportion", unit: "%",
                                factor: nil, better: "higher", decimals: 1,
                                measures: [ReturnMeasure(period: period, value: plans.0 / plans.1, numerator: plans.0,
                                                         denominator: plans.1, provenance: provenance)]),
                ReturnIndicator(id: "admissions", name: "Emergency admissions", kind: "outcome", valueType: "rate", unit: "per 1,000",
                                factor: 1000, better: "lower", decimals: 2,
                                measures: [ReturnMeasure(period: period, value: admissions.0 / admissions.1 * 1000,
                                                         numerator: admissions.0, denominator: admissions.1, provenance: provenance)]),
            ],
            goals: [], runs: [])
        return sign ? try ReturnCoding.signed(content) : content
    }

    /// The return's bytes as `pioneer return --format json` writes them.
    static func json(_ site: String, plans: (Double, Double) = (30, 100)) throws -> [UInt8] {
        Array(try ReturnCoding.pretty(try siteReturn(site, plans: plans)))
    }
}
