// The pooled national series: each period's point is what that period's own aggregate
// pools, a quarter's returns give their months pooled Σ numerators ÷ Σ denominators across
// the accepted sites, a rejected return stays out of its period's point, and the series
// gets an XmR verdict once it is long enough.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReturns
import Testing

@Suite("National history")
struct HistoryTests {
    /// Care plans for `site` in `month`: a numerator that grows month by month, and admissions.
    static func monthly(_ site: String, _ month: Period, offset: Int, sign: Bool = true) throws -> ReceivedReturn {
        let size = Double(["a": 100, "b": 250, "c": 400][site] ?? 100)
        let plans = (0.3 + 0.01 * Double(offset)) * size + Double(site.count)
        let made = month.end.adding(days: 10).description
        let content = try ReturnFixture.make(site, period: month, made: made, indicators: [
            ReturnFixture.proportion(numerator: plans.rounded(), denominator: size, period: month),
            ReturnFixture.rate(events: Double(20 + offset + site.count), population: size * 100, period: month),
        ], sign: sign)
        return ReturnFixture.received(content)
    }

    static let months = (0..<3).map { Period.month(2026, 1).advanced(by: $0) }

    @Test func eachPointEqualsThatPeriodsOwnAggregate() throws {
        var builder = HistoryBuilder(programme: ReturnFixture.programme, period: .month(2026, 3), asOf: CalendarDate(year: 2026, month: 6, day: 1) ?? .today())
        var byMonth: [Period: [ReceivedReturn]] = [:]
        for (offset, month) in Self.months.enumerated() {
            byMonth[month] = try ["a", "b", "c"].map { try Self.monthly($0, month, offset: offset) }
            builder.add(byMonth[month] ?? [], for: month)
        }
        let history = builder.history()
        #expect(history.period == "2026-03")
        #expect(history.periods.map(\.period) == ["2026-01", "2026-02", "2026-03"])
        #expect(history.series.map(\.indicator) == ["care-plans", "admissions"])
        for month in Self.months {
            let aggregate = Aggregator(programme: ReturnFixture.programme, period: month, asOf: builder.asOf).aggregate(byMonth[month] ?? [])
            for indicator in aggregate.indicators {
                let series = try #require(history.series(of: indicator.id))
                let point = try #require(series.points.first { $0.period == month.label })
                #expect(point.value == indicator.pooled?.value, "\(indicator.id) \(month.label)")
                #expect(point.numerator == indicator.pooled?.numerator)
                #expect(point.denominator == indicator.pooled?.denominator)
                #expect(point.source == .returns)
                #expect(point.sitesPooled == 3 && point.sitesReporting == 3)
            }
        }
        let plans = try #require(history.series(of: "care-plans"))
        #expect(plans.points.map(\.period) == ["2026-01", "2026-02", "2026-03"])
        #expect(plans.periodType == "month")
        #expect(plans.variation == nil)
        #expect(plans.spcUnavailable == "not enough pooled values for SPC limits: 3 of the 12 needed")
    }

    @Test func aRejectedReturnStaysOutOfItsPeriodsPoint() throws {
        let asOf = CalendarDate(year: 2026, month: 6, day: 1) ?? .today()
        var builder = HistoryBuilder(programme: ReturnFixture.programme, period: .month(2026, 2), asOf: asOf)
        // a's January return twice: the same return, counted once, superseded rather than rejected.
        let january = try ["a", "a", "b", "c"].map { try Self.monthly($0, .month(2026, 1), offset: 0) }
        // b's February return carries no digest: rejected, so February pools a and c only.
        let february = [try Self.monthly("a", .month(2026, 2), offset: 1), try Self.monthly("b", .month(2026, 2), offset: 1, sign: false),
                        try Self.monthly("c", .month(2026, 2), offset: 1)]
        builder.add(january, for: .month(2026, 1))
        builder.add(february, for: .month(2026, 2))
        let history = builder.history()
        // The superseded copy was counted among the rejected.
        #expect(history.periods == [HistoryPeriod(period: "2026-01", accepted: 3, rejected: 0, superseded: 1),
                                    HistoryPeriod(period: "2026-02", accepted: 2, rejected: 1)])
        let point = try #require(history.series(of: "care-plans")?.points.last)
        #expect(point.period == "2026-02")
        #expect(point.sitesPooled == 2 && point.sitesReporting == 2)
        let a = try #require(february[0].content.indicators.first?.measures.first)
        let c = try #require(february[2].content.indicators.first?.measures.first)
        let numerator = (a.numerator ?? 0) + (c.numerator ?? 0), denominator = (a.denominator ?? 0) + (c.denominator ?? 0)
        #expect(point.numerator == numerator && point.denominator == denominator)
        #expect(point.value == numerator / denominator)
    }

    /// A programme of quarterly returns whose care-plans indicator is measured monthly.
    static let quarterly = Programme(
        id: "pioneers", name: "Integrated Care Pioneers", sites: ["a", "b"], periods: [.quarter],
        deadlines: ReturnDeadlines(soft: DueLag(count: 15, unit: .days), hard: DueLag(count: 30, unit: .days)),
        themes: [], file: "programme.yaml")

    static func quarterReturn(_ site: String, _ quarter: Period, parts: [(Double, Double)]) throws -> ReceivedReturn {
        let months = (0..<3).map { Period.month(quarter.start.year, quarter.start.month).advanced(by: $0) }
        let measures = zip(months, parts).map { month, part in
            ReturnMeasure(period: ReturnFixture.period(month), value: part.0 / part.1, numerator: part.0, denominator: part.1,
                          provenance: ReturnFixture.provenance)
        }
        let indicator = ReturnIndicator(id: "care-plans", name: "Shared care plans", kind: "process", valueType: "proportion", unit: "%",
                                        factor: nil, better: "higher", decimals: 1, measures: measures)
        let total = parts.reduce(0) { $0 + $1.1 }
        let content = try ReturnFixture.make(site, period: quarter, made: quarter.end.adding(days: 10).description,
                                             indicators: [indicator, ReturnFixture.count(total, period: quarter)])
        return ReturnFixture.received(content)
    }

    @Test func aQuartersMonthlyMeasuresArePooledPerMonthAcrossTheAcceptedSites() throws {
        let asOf = CalendarDate(year: 2026, month: 9, day: 1) ?? .today()
        var builder = HistoryBuilder(programme: Self.quarterly, period: .quarter(2026, 1), asOf: asOf)
        builder.add([
            try Self.quarterReturn("a", .quarter(2026, 1), parts: [(10, 100), (20, 100), (30, 100)]),
            try Self.quarterReturn("b", .quarter(2026, 1), parts: [(50, 400), (80, 400), (200, 400)]),
        ], for: .quarter(2026, 1))
        builder.add([
            try Self.quarterReturn("a", .quarter(2025, 4), parts: [(5, 100), (6, 100), (7, 100)]),
            try Self.quarterReturn("b", .quarter(2025, 4), parts: [(40, 400), (41, 400), (42, 400)]),
        ], for: .quarter(2025, 4))
        let history = builder.history()
        // The quarterly count comes from the quarters' own returns; the monthly proportion from the months inside them.
        let referrals = try #require(history.series(of: "referrals"))
        #expect(referrals.periodType == "quarter")
        #expect(referrals.points.map(\.period) == ["2025Q4", "2026Q1"])
        #expect(referrals.points.map(\.value) == [300 + 1200, 300 + 1200], "a total: a's 300 and b's 1,200 people")
        let plans = try #require(history.series(of: "care-plans"))
        #expect(plans.periodType == "month")
        #expect(plans.points.map(\.period) == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"])
        #expect(plans.points.allSatisfy { $0.source == .subPeriod && $0.sitesPooled == 2 })
        // Σ numerators ÷ Σ denominators: January is 60 of 500 = 12%, not the 11.25% mean of 10% and 12.5%.
        let numerators: [Double] = [45, 47, 49, 60, 100, 230]
        let expected: [Double?] = numerators.map { $0 / 500 }
        #expect(plans.points.map(\.value) == expected)
        #expect(plans.points[3].numerator == 60 && plans.points[3].denominator == 500)
    }

    @Test func aLongEnoughSeriesGetsAnXmRVerdictWithItsBetterDirection() throws {
        let asOf = CalendarDate(year: 2027, month: 9, day: 1) ?? .today()
        let months = (0..<14).map { Period.month(2026, 1).advanced(by: $0) }
        var builder = HistoryBuilder(programme: ReturnFixture.programme, period: months[13], asOf: asOf)
        for (offset, month) in months.enumerated() {
            builder.add(try ["a", "b", "c"].map { try Self.monthly($0, month, offset: offset) }, for: month)
        }
        // Returns for later periods and other period types are not part of it.
        #expect(builder.includes("2027-03") == nil)
        #expect(builder.includes("2026Q1") == nil)
        #expect(builder.includes("2026-05") == .month(2026, 5))
        let history = builder.history()
        let plans = try #require(history.series(of: "care-plans"))
        #expect(plans.points.count == 14)
        let values = plans.points.compactMap(\.value)
        let expected = try #require(XmR.analyse(values, options: SPCOptions(better: .higher)).chart)
        #expect(plans.points.map { $0.spc?.pointType } == expected.points.map(\.pointType))
        #expect(plans.points.map { $0.spc?.upperLimit } == expected.points.map(\.upperLimit))
        // Care plans rise month on month: a run and trend of improvement.
        #expect(plans.variation == .specialCauseImprovement)
        #expect(plans.spcUnavailable == nil)
        let decoded = try JSONDecoder().decode(NationalHistory.self, from: JSONEncoder().encode(history))
        #expect(decoded == history)
    }

    @Test func aMonthPooledWithoutOneSiteIsLeftOutOfTheChartNotTakenForAChange() throws {
        let asOf = CalendarDate(year: 2027, month: 9, day: 1) ?? .today()
        let months = (0..<14).map { Period.month(2026, 1).advanced(by: $0) }
        var builder = HistoryBuilder(programme: ReturnFixture.programme, period: months[13], asOf: asOf)
        for (offset, month) in months.enumerated() {
            // c, the largest site, sends no return for the sixth month.
            let sites = offset == 5 ? ["a", "b"] : ["a", "b", "c"]
            builder.add(try sites.map { try Self.monthly($0, month, offset: 0) }, for: month)
        }
        let admissions = try #require(builder.history().series(of: "admissions"))
        let gap = admissions.points[5]
        #expect(gap.sites == ["a", "b"] && gap.value != nil)
        #expect(gap.spc == nil)
        #expect(gap.leftOutOfSPC == "pooled over other sites than the latest period (lacks c)")
        // The other thirteen months pool the same three sites, the same figures: common cause.
        let charted = admissions.points.filter { $0.spc != nil }
        #expect(charted.count == 13)
        #expect(charted.allSatisfy { $0.sites == ["a", "b", "c"] && $0.leftOutOfSPC == nil })
        #expect(admissions.variation == .commonCause)
    }
}
