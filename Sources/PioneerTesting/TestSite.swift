// A made-up site and indicator for plugin tests, so each test states only what it is about.
public import PioneerKit

extension SiteInfo {
    /// A test site with two population constants: `total` (136,000) and `aged_65_plus` (35,400).
    public static let testSite = SiteInfo(
        id: "test-site", name: "Test site",
        population: ["total": 136_000, "aged_65_plus": 35_400])

    /// The feeds ``testSite`` declares: `bi`, `council`, `mortality` and `survey`.
    public static let testFeeds: Set<String> = ["bi", "council", "mortality", "survey"]
}

extension IndicatorDefinition {
    /// A monthly test indicator of the given value type; a rate gets `per:` 1,000 unless told otherwise.
    public static func example(
        _ valueType: ValueType = .count, factor: PopulationFactor? = nil, period: PeriodType = .month,
        id: String = "test-indicator"
    ) -> IndicatorDefinition {
        IndicatorDefinition(
            id: id, name: "Test indicator", kind: .outcome, valueType: valueType,
            unit: valueType == .proportion ? "%" : "items", periodType: period, better: .lower,
            factor: valueType == .rate ? (factor ?? .per1000) : factor)
    }
}
