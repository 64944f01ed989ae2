// A period's returns brought together: completeness and timeliness against the programme's
// deadlines, every return left out listed with its reason, pooling and funnels over the
// accepted ones only, definitions that differ left unpooled, goals by theme.
@testable import PioneerAggregate
import PioneerCore
import PioneerKit
import PioneerReturns
import Testing

@Suite("National aggregate")
struct AggregatorTests {
    static let march = Period.month(2026, 3)

    static func aggregate(_ returns: [SiteReturn], asOf: String = "2026-05-10", programme: Programme = ReturnFixture.programme,
                          options: FunnelOptions = FunnelOptions()) -> NationalAggregate {
        Aggregator(programme: programme, period: march, asOf: CalendarDate(iso: asOf)!, funnelOptions: options)
            .aggregate(returns.map(ReturnFixture.received))
    }

    @Test func eachExpectedSiteIsOnTimeLateIncompleteOrMissing() throws {
        let national = Self.aggregate([
            try ReturnFixture.make("a", made: "2026-04-15", indicators: [ReturnFixture.count(10)]),
            try ReturnFixture.make("b", made: "2026-04-16", indicators: [ReturnFixture.count(20)]),
            try ReturnFixture.make("c", made: "2026-04-05", complete: false, indicators: [ReturnFixture.count(30)]),
            try ReturnFixture.make("e", made: "2026-05-01", indicators: [ReturnFixture.count(40)]),
        ])
        let completeness = national.completeness
        #expect(completeness.softDeadline.description == "2026-04-15")
        #expect(completeness.hardDeadline.description == "2026-04-30")
        #expect(completeness.sites.map(\.site) == ["a", "b", "c", "d", "e"])
        #expect(completeness.sites.map(\.status) == [.onTime, .late, .incomplete, .missing, .missing])
        #expect(completeness.sites[4].submitted == "2026-05-01")
        // The return after the hard deadline is listed, not dropped, and kept out of the total.
        #expect(national.rejected.map(\.site) == ["e"])
        #expect(national.rejected.first?.reason == "made on 2026-05-01, after the hard deadline of 2026-04-30; counted as missing")
        #expect(national.indicators.first?.pooled?.value == 60)
        #expect(national.accepted == ["a", "b", "c"])
    }

    @Test func aReturnNotYetReceivedIsAwaitedUntilTheHardDeadline() throws {
        let national = Self.aggregate([try ReturnFixture.make("a", indicators: [ReturnFixture.count(1)])], asOf: "2026-04-30")
        #expect(national.completeness.sites.map(\.status) == [.onTime, .awaited, .awaited, .awaited, .awaited])
        let after = Self.aggregate([try ReturnFixture.make("a", indicators: [ReturnFixture.count(1)])], asOf: "2026-05-01")
        #expect(after.completeness.count(.missing) == 4)
    }

    @Test func aTamperedReturnIsListedAsADigestMismatchAndLeftOutOfTheTotals() throws {
        var tampered = try ReturnFixture.make("b", indicators: [ReturnFixture.proportion(numerator: 80, denominator: 100)])
        tampered.indicators[0].measures[0].numerator = 90
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [ReturnFixture.proportion(numerator: 30, denominator: 100)]),
            tampered,
        ])
        let rejected = try #require(national.rejected.first)
        #expect(rejected.site == "b")
        #expect(rejected.reason.hasPrefix("its digest does not match its content (recorded "))
        #expect(rejected.reason.hasSuffix("it was changed or corrupted after it was made"))
        let indicator = try #require(national.indicators.first)
        #expect(indicator.pooled?.value == 0.3)
        #expect(indicator.sites.map(\.site) == ["a"])
        #expect(national.completeness.sites[1].status == .missing)
    }

    @Test func returnsBreakingTheRulesAreRejectedWithTheirReasons() throws {
        let unsigned = try ReturnFixture.make("a", indicators: [ReturnFixture.count(5)], sign: false)
        var newer = try ReturnFixture.make("b", indicators: [ReturnFixture.count(5)], sign: false)
        newer.schemaVersion = 2
        newer = try ReturnCoding.signed(newer)
        let returns = [
            unsigned,
            newer,
            try ReturnFixture.make("z", indicators: [ReturnFixture.count(5)]),
            try ReturnFixture.make("c", indicators: [ReturnFixture.proportion(numerator: 120, denominator: 100, value: 1.2)]),
            try ReturnFixture.make("d", indicators: [ReturnFixture.count(-3)]),
        ]
        let reasons = Dictionary(uniqueKeysWithValues: Self.aggregate(returns).rejected.map { ($0.site, $0.reason) })
        #expect(reasons["a"] == "it carries no SHA-256 digest, so changes since it was made cannot be detected")
        #expect(reasons["b"] == "schema version 2 is not one this pioneer reads (it reads version 1); make the return again with a matching pioneer")
        #expect(reasons["z"] == "site `z` is not one the programme expects (a, b, c, d, e)")
        #expect(reasons["c"] == "values break the rules: `care-plans` for 2026-03 is a proportion of 1.2, outside 0 to 1; `care-plans` for 2026-03 has a numerator (120) above its denominator (100)")
        #expect(reasons["d"] == "values break the rules: `referrals` for 2026-03 is a negative count (-3)")
        #expect(Self.aggregate(returns).indicators.isEmpty)
    }

    @Test func anIndicatorListedTwiceOrAHugeOrInconsistentFigureIsRejectedNotPooled() throws {
        var twice = ReturnFixture.count(5)
        twice.measures.append(twice.measures[0])
        let returns = [
            // Listed twice, it was pooled twice: a wrong national figure.
            try ReturnFixture.make("a", indicators: [ReturnFixture.rate(events: 783, population: 37_600), ReturnFixture.rate(events: 783, population: 37_600)]),
            try ReturnFixture.make("b", indicators: [twice]),
            // 1e308 crashed the intake server's dashboard; a tiny denominator pooled to infinity.
            try ReturnFixture.make("c", indicators: [ReturnFixture.count(1e308)]),
            try ReturnFixture.make("d", indicators: [ReturnFixture.rate(events: 783, population: 1e-300)]),
            try ReturnFixture.make("e", indicators: [ReturnFixture.proportion(numerator: 1_886, denominator: 2_416, value: 0.99)]),
        ]
        let national = Self.aggregate(returns)
        let reasons = Dictionary(uniqueKeysWithValues: national.rejected.map { ($0.site, $0.reason) })
        #expect(reasons["a"] == "values break the rules: indicator `admissions` is listed twice")
        #expect(reasons["b"] == "values break the rules: `referrals` has two measures for 2026-03")
        #expect(reasons["c"] == "values break the rules: `referrals` for 2026-03 has a value of 1e+308, beyond ±1e100")
        #expect(reasons["d"]?.hasPrefix("values break the rules: `admissions` for 2026-03 has a value of ") == true, "\(reasons["d"] ?? "")")
        #expect(reasons["d"]?.contains("`admissions` for 2026-03 has a denominator of 1e-300, too small to divide by") == true)
        #expect(reasons["e"] == "values break the rules: `care-plans` for 2026-03 has a value of 0.99 that is not its numerator over its denominator (1886 / 2416 = 0.7806)")
        #expect(national.indicators.isEmpty)
        // A proportion whose numerator is rounded to a whole number of its value keeps the rules.
        let rounded = Self.aggregate([try ReturnFixture.make("a", indicators: [ReturnFixture.proportion(numerator: 23, denominator: 31, value: 0.7419)])])
        #expect(rounded.rejected.isEmpty)
    }

    @Test func aReturnForAPeriodTheProgrammeDoesNotCollectIsRejected() throws {
        var quarterly = ReturnFixture.programme
        quarterly.periods = [.quarter]
        let national = Self.aggregate([try ReturnFixture.make("a", indicators: [ReturnFixture.count(5)])], programme: quarterly)
        #expect(national.rejected.first?.reason == "the programme collects returns by calendar quarter, not by month")
        #expect(national.completeness.sites.isEmpty)
    }

    @Test func returnsForOtherPeriodsAreSetAsideAndNamed() throws {
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [ReturnFixture.count(5)]),
            try ReturnFixture.make("a", period: .month(2026, 2), made: "2026-03-10", indicators: [ReturnFixture.count(4, period: .month(2026, 2))]),
        ])
        #expect(national.otherPeriods.map(\.reason) == ["for 2026-02, not 2026-03"])
        #expect(national.rejected.isEmpty)
        #expect(national.indicators.first?.pooled?.value == 5)
    }

    @Test func aLaterReturnFromTheSameSiteSupersedesTheEarlierOne() throws {
        let national = Self.aggregate([
            try ReturnFixture.make("a", made: "2026-04-12", indicators: [ReturnFixture.count(7)]),
            try ReturnFixture.make("a", made: "2026-04-03", indicators: [ReturnFixture.count(5)]),
        ])
        #expect(national.indicators.first?.pooled?.value == 7)
        #expect(national.rejected.count == 1)
        #expect(national.rejected.first?.reason.hasPrefix("superseded by a later return from the same site") == true)
        #expect(national.completeness.sites.first?.submitted == "2026-04-12")
    }

    @Test func twoDifferentReturnsMadeAtTheSameMomentCountNeitherWhateverTheirOrder() throws {
        let seven = try ReturnFixture.make("a", made: "2026-04-12", indicators: [ReturnFixture.count(7)])
        let five = try ReturnFixture.make("a", made: "2026-04-12", indicators: [ReturnFixture.count(5)])
        let older = try ReturnFixture.make("a", made: "2026-04-03", indicators: [ReturnFixture.count(4)])
        func received(_ content: SiteReturn, _ name: String) -> ReceivedReturn {
            ReceivedReturn(source: "returns/\(name).json", content: content)
        }
        let aggregator = Aggregator(programme: ReturnFixture.programme, period: Self.march, asOf: CalendarDate(iso: "2026-05-10")!)
        let forwards = aggregator.aggregate([received(seven, "x"), received(five, "y"), received(older, "z")])
        let backwards = aggregator.aggregate([received(older, "z"), received(five, "y"), received(seven, "x")])
        for national in [forwards, backwards] {
            #expect(national.indicators.first?.pooled?.value == nil, "neither counts: \(String(describing: national.indicators.first?.pooled))")
            let reasons = Dictionary(uniqueKeysWithValues: national.rejected.map { ($0.source, $0.reason) })
            #expect(reasons["returns/x.json"] == "differs from another return from the same site made at the same moment, \(seven.generatedAt) (returns/y.json), so neither counts; make the return again")
            #expect(reasons["returns/y.json"] == "differs from another return from the same site made at the same moment, \(seven.generatedAt) (returns/x.json), so neither counts; make the return again")
            #expect(reasons["returns/z.json"] == "superseded by later returns from the same site (returns/x.json, returns/y.json, made \(seven.generatedAt))")
        }
        // The same return twice is counted once.
        let twice = aggregator.aggregate([received(seven, "x"), received(seven, "copy")])
        #expect(twice.indicators.first?.pooled?.value == 7)
        #expect(twice.rejected.map(\.reason) == ["the same return as returns/copy.json, counted once"])
    }

    @Test func anNHSYearQuartersMeasureCountsForTheCalendarQuarterItSpans() throws {
        // FY2025-26 Q4 is January to March 2026: its JSON measure counts for 2026Q1, as the same
        // measure in ADX (2026-01-01/P3M) always did.
        var quarterly = ReturnFixture.programme
        quarterly.periods = [.quarter]
        let q1 = Period.quarter(2026, 1)
        let returns = [
            try ReturnFixture.make("a", period: q1, indicators: [ReturnFixture.proportion(numerator: 30, denominator: 100, period: .financialQuarter(2025, 4))]),
            try ReturnFixture.make("b", period: q1, indicators: [ReturnFixture.proportion(numerator: 70, denominator: 100, period: q1)]),
        ]
        let national = Aggregator(programme: quarterly, period: q1, asOf: CalendarDate(iso: "2026-05-10")!).aggregate(returns.map(ReturnFixture.received))
        #expect(national.rejected.isEmpty, "\(national.rejected)")
        let pooled = try #require(national.indicators.first?.pooled)
        #expect(pooled.value == 0.5)
        #expect(pooled.sites == ["a", "b"])
    }

    @Test func thePooledRateIsTheRatioOfSumsAndSitesGetTheirFunnelPositions() throws {
        // 1,490 admissions in 355,000 people: 4.197183 per 1,000, where the sites' rates average 3.638889.
        let parts: [(String, Double, Double)] = [("a", 50, 20000), ("b", 300, 60000), ("c", 90, 45000), ("d", 800, 150000), ("e", 40, 10000)]
        let returns = try parts.map { try ReturnFixture.make($0.0, indicators: [ReturnFixture.rate(events: $0.1, population: $0.2)]) }
        let national = Self.aggregate(returns, options: FunnelOptions(overdispersion: .none))
        let indicator = try #require(national.indicators.first)
        let pooled = try #require(indicator.pooled?.value)
        #expect(abs(pooled - 1280.0 / 285_000 * 1000) < 1e-12)
        let meanOfSites = indicator.sites.compactMap(\.value).reduce(0, +) / 5
        #expect(abs(pooled - meanOfSites) > 0.5)
        let funnel = try #require(indicator.funnel)
        #expect(funnel.distribution == .poisson)
        #expect(indicator.sites.allSatisfy { $0.position != nil })
        #expect(indicator.sites.first { $0.site == "d" }?.position == .above998)
    }

    @Test func anIndicatorDefinedDifferentlyAcrossSitesIsNotPooled() throws {
        let percent = ReturnFixture.proportion(numerator: 30, denominator: 100)
        let share = ReturnFixture.proportion(numerator: 50, denominator: 100, unit: "share")
        let (first, second) = (percent.definitionVersion, share.definitionVersion)
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [percent]),
            try ReturnFixture.make("b", indicators: [ReturnFixture.proportion(numerator: 40, denominator: 100)]),
            try ReturnFixture.make("c", indicators: [share]),
        ])
        let indicator = try #require(national.indicators.first)
        #expect(indicator.pooled == nil)
        #expect(indicator.funnel == nil)
        #expect(indicator.notPooled == "not pooled: the sites define it differently (a, b use \(first); c uses \(second))")
        #expect(indicator.definitions == [DefinitionGroup(version: first, sites: ["a", "b"]),
                                          DefinitionGroup(version: second, sites: ["c"])])
        // Each site's own value is still shown.
        #expect(indicator.sites.map(\.value) == [0.3, 0.4, 0.5])
    }

    /// A definition edited by hand after the return was made, and the digest made again: its
    /// version still claims the real definition's, so it would be pooled with it.
    @Test func aDefinitionThatDoesNotHashToItsVersionOrANonPositiveFactorIsRejected() throws {
        var edited = ReturnFixture.rate(events: 783, population: 37_600)
        edited.unit = "per person"
        edited.factor = 1
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [ReturnFixture.rate(events: 783, population: 37_600)]),
            try ReturnFixture.make("b", indicators: [edited]),
            try ReturnFixture.make("c", indicators: [ReturnFixture.rate(events: 783, population: 37_600, factor: -1000)]),
            try ReturnFixture.make("d", indicators: [ReturnFixture.rate(events: 783, population: 37_600, factor: 0)]),
        ])
        let reasons = Dictionary(uniqueKeysWithValues: national.rejected.map { ($0.site, $0.reason) })
        let claimed = edited.definitionVersion, computed = edited.computedDefinitionVersion
        #expect(reasons["b"]?.hasPrefix("values break the rules: `admissions`'s definition does not match its definitionVersion \(claimed) "
                + "(its fields hash to \(computed)): it was changed after the return was made") == true, "\(reasons["b"] ?? "")")
        #expect(reasons["c"]?.hasPrefix("values break the rules: `admissions` has a factor of -1000; a factor is a whole number above 0") == true,
                "\(reasons["c"] ?? "")")
        #expect(reasons["d"]?.hasPrefix("values break the rules: `admissions` has a factor of 0; ") == true, "\(reasons["d"] ?? "")")
        #expect(national.accepted == ["a"])
        let pooled = try #require(national.indicators.first?.pooled?.value)
        #expect(abs(pooled - 783.0 / 37_600 * 1000) < 1e-9)
    }

    /// A measure for a period outside the return's was left out of the aggregate without a word;
    /// a period whose days disagree with its label was counted for the days.
    @Test func aMeasureOutsideTheReturnsPeriodOrAPeriodThatDisagreesWithItsLabelIsRejected() throws {
        var february = ReturnFixture.count(5, period: .month(2026, 2))
        february.measures.append(ReturnFixture.count(6).measures[0])
        var wrongDays = ReturnFixture.count(5)
        wrongDays.measures[0].period.start = "2026-02-01"
        var wrongType = ReturnFixture.count(5)
        wrongType.measures[0].period.type = "quarter"
        var reportingSpelling = try ReturnFixture.make("e", indicators: [ReturnFixture.count(5)], sign: false)
        reportingSpelling.period.end = "2026-03-30"
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [ReturnFixture.count(4)]),
            try ReturnFixture.make("b", indicators: [february]),
            try ReturnFixture.make("c", indicators: [wrongDays]),
            try ReturnFixture.make("d", indicators: [wrongType]),
            try ReturnCoding.signed(reportingSpelling),
        ])
        let reasons = Dictionary(uniqueKeysWithValues: national.rejected.map { ($0.site, $0.reason) })
        #expect(reasons["b"] == "values break the rules: `referrals` has a measure for 2026-02 (2026-02-01 to 2026-02-28), "
                + "outside the return's period 2026-03 (2026-03-01 to 2026-03-31): "
                + "a return carries the measures of its period and of the shorter periods inside it")
        #expect(reasons["c"] == "values break the rules: `referrals` has a measure whose period `2026-03` says it runs from "
                + "2026-02-01 to 2026-03-31; 2026-03 runs from 2026-03-01 to 2026-03-31")
        #expect(reasons["d"] == "values break the rules: `referrals` has a measure whose period `2026-03` is a month, but its type says `quarter`")
        #expect(reasons["e"] == "values break the rules: the return's period `2026-03` says it runs from 2026-03-01 to 2026-03-30; "
                + "2026-03 runs from 2026-03-01 to 2026-03-31")
        #expect(national.accepted == ["a"])
    }

    /// Foundation's ISO 8601 parser rolled 31 April over to 1 May and hour 25 to the next day,
    /// so a deadline could be judged on a day the site never wrote.
    @Test(arguments: ["2026-04-31T12:00:00Z", "2026-02-29T12:00:00Z", "2026-04-10T25:00:00Z", "2026-04-10T12:61:00Z",
                      "2026-04-10T12:00:00+25:00", "2026-4-10T12:00:00Z", "2026-04-10 12:00", "2026-04-10T12:00:00.Z", "yesterday"])
    func aGeneratedAtThatNamesNoRealMomentIsRejected(_ generatedAt: String) throws {
        var content = try ReturnFixture.make("a", indicators: [ReturnFixture.count(4)], sign: false)
        content.generatedAt = generatedAt
        let national = Self.aggregate([try ReturnCoding.signed(content)])
        #expect(national.accepted.isEmpty)
        #expect(national.rejected.first?.reason == "its generatedAt `\(generatedAt)` is not an ISO 8601 date and time "
                + "(`2026-04-10T09:00:00Z`, every part in range: no 31 April, no hour 25)", "\(national.rejected)")
    }

    @Test func timestampsAreReadStrictlyAndDatedInUTCInTheProlepticGregorianCalendar() throws {
        #expect(ReturnTimestamp("2026-04-30T23:30:00-02:00")?.utcDay == CalendarDate(year: 2026, month: 5, day: 1))
        #expect(ReturnTimestamp("2026-05-01T00:30:00+14:00")?.utcDay == CalendarDate(year: 2026, month: 4, day: 30))
        #expect(ReturnTimestamp("2026-04-10T09:00:00")?.utcDay == CalendarDate(year: 2026, month: 4, day: 10))
        #expect(ReturnTimestamp("2026-04-10")?.utcDay == CalendarDate(year: 2026, month: 4, day: 10))
        #expect(ReturnTimestamp("2024-02-29T23:59:60.5Z")?.utcDay == CalendarDate(year: 2024, month: 3, day: 1))
        // Before 1582 Foundation counted in the Julian calendar: 1000-04-10 came out as 1000-04-16.
        #expect(ReturnTimestamp("1000-04-10T00:00:00.000Z")?.utcDay == CalendarDate(year: 1000, month: 4, day: 10))
        let earlier = try #require(ReturnTimestamp("2026-04-10T10:00:00+01:00"))
        let later = try #require(ReturnTimestamp("2026-04-10T09:30:00.000Z"))
        #expect(earlier < later)
        #expect(ReturnTimestamp("2026-04-10T09:00:00+14:01") == nil)
    }

    /// The intake accepted a return made in 2030, on time there and missing in `aggregate`.
    @Test func aReturnMadeAfterTheDayItIsJudgedOnIsRejected() throws {
        let asOf = try #require(CalendarDate(iso: "2026-04-12"))
        let aggregator = Aggregator(programme: ReturnFixture.programme, period: Self.march, asOf: asOf)
        let future = try ReturnFixture.make("a", made: "2030-01-01", indicators: [ReturnFixture.count(4)])
        #expect(aggregator.problem(with: ReturnFixture.received(future)) == "made on 2030-01-01, after 2026-04-12, the day it is judged on "
                + "(the day it was received, or --as-of): is the clock of the machine that made it wrong?")
        // A clock a little fast, or a site east of Greenwich, is given a day.
        let tomorrow = try ReturnFixture.make("a", made: "2026-04-13", indicators: [ReturnFixture.count(4)])
        #expect(aggregator.problem(with: ReturnFixture.received(tomorrow)) == nil)
    }

    /// A quarter's return carries its months; a label in another spelling is named with pioneer's.
    @Test func aQuartersReturnMayCarryItsMonthsButNotALabelInAnotherSpelling() throws {
        var months = ReturnFixture.count(5, period: .quarter(2026, 1))
        months.measures += [Period.month(2026, 1), .month(2026, 2), .month(2026, 3)].map { month in
            var measure = months.measures[0]
            measure.period = ReturnFixture.period(month)
            return measure
        }
        let quarterly = Programme(id: "p", name: "P", sites: ["a", "b"], periods: [.quarter],
                                  deadlines: ReturnFixture.programme.deadlines, themes: [], file: "programme.yaml")
        var spelled = months
        spelled.measures[1].period.label = "2026-1"
        let asOf = try #require(CalendarDate(iso: "2026-04-10"))
        let national = Aggregator(programme: quarterly, period: .quarter(2026, 1), asOf: asOf).aggregate([
            try ReturnFixture.make("a", period: .quarter(2026, 1), indicators: [months]),
            try ReturnFixture.make("b", period: .quarter(2026, 1), indicators: [spelled]),
        ].map(ReturnFixture.received))
        #expect(national.accepted == ["a"])
        #expect(national.rejected.first?.reason.hasPrefix("values break the rules: `referrals` has a measure whose period `2026-1` is not a period pioneer knows") == true,
                "\(national.rejected.first?.reason ?? "")")
    }

    /// A label changed to the next month, its days left in this one: it was set aside as a
    /// return for another period, and the site shown as awaited with nothing wrong.
    @Test func aReturnWhoseLabelIsAnotherPeriodButWhoseDaysAreThisOneIsRejectedNotSetAside() throws {
        var relabelled = try ReturnFixture.make("b", indicators: [ReturnFixture.count(5)], sign: false)
        relabelled.period.label = "2026-04"
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [ReturnFixture.count(4)]),
            try ReturnCoding.signed(relabelled),
        ])
        #expect(national.otherPeriods.isEmpty)
        // The grid names the rejected file beside the site, which read as if it had sent nothing.
        let b = try #require(national.completeness.sites.first { $0.site == "b" })
        #expect(b.source == nil && b.rejected == national.rejected.first?.source && b.rejected != nil)
        #expect(national.rejected.map(\.reason) == ["values break the rules: the return's period `2026-04` says it runs from "
                                                    + "2026-03-01 to 2026-03-31; 2026-04 runs from 2026-04-01 to 2026-04-30"])
        #expect(national.accepted == ["a"])
    }

    /// A cost per patient 1% above its parts' quotient: the indicator was no longer taken for
    /// an average, and the national figure became the sum of the sites' averages.
    @Test func anAverageWhoseValueIsNotItsPartsQuotientIsRejectedAndTheOthersStillPool() throws {
        func cost(_ total: Double, _ patients: Double, value: Double? = nil) -> ReturnIndicator {
            var indicator = ReturnFixture.count(0)
            indicator.id = "cost-per-patient"
            indicator.valueType = "amount"
            indicator.measures[0].value = value ?? total / patients
            indicator.measures[0].numerator = total
            indicator.measures[0].denominator = patients
            indicator.definitionVersion = indicator.computedDefinitionVersion
            return indicator
        }
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [cost(576_938.25, 2_162, value: 576_938.25 / 2_162 * 1.01)]),
            try ReturnFixture.make("b", indicators: [cost(600_000, 1_200)]),
            try ReturnFixture.make("c", indicators: [cost(500_000, 1_000, value: 500.004)]),
        ])
        #expect(national.rejected.map(\.reason) == ["values break the rules: `cost-per-patient` for 2026-03 has a value of 269.5224942183164 "
                                                    + "that is not its numerator over its denominator (576938.25 / 2162 = 266.854): "
                                                    + "an average is pooled from its parts, so the two must agree"])
        let pooled = try #require(national.indicators.first { $0.id == "cost-per-patient" }?.pooled)
        #expect(pooled.method == .ratioOfSums)
        #expect(pooled.value == 1_100_000 / 2_200.0)
    }

    /// 0 over 0 was taken for a value of 0: left out of the pool, but kept in the spread.
    @Test(arguments: ["rate", "proportion", "mean", "amount"])
    func aValueOverADenominatorOfZeroIsRejected(valueType: String) throws {
        var indicator = ReturnFixture.count(0)
        indicator.valueType = valueType
        indicator.factor = valueType == "rate" ? 1000 : nil
        indicator.measures[0].numerator = 0
        indicator.measures[0].denominator = 0
        indicator.definitionVersion = indicator.computedDefinitionVersion
        let national = Self.aggregate([try ReturnFixture.make("a", indicators: [indicator])])
        #expect(national.rejected.map(\.reason) == ["values break the rules: `referrals` for 2026-03 has a value of 0 over a denominator of 0: "
                                                    + "nothing divided by 0 has no value; give the measure as not available"])
    }

    /// A rate's value of 9.9e99 with parts that make 20.8 per 1,000: the site's table showed one,
    /// the pool used the other.
    @Test func aRateWhoseValueIsNotItsPartsRateTimesItsFactorIsRejected() throws {
        var inflated = ReturnFixture.rate(events: 783, population: 37_600)
        inflated.measures[0].value = 9.9e99
        var rounded = ReturnFixture.rate(events: 783, population: 37_600)
        rounded.measures[0].value = 20.8
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [inflated]),
            try ReturnFixture.make("b", indicators: [rounded]),
        ])
        let reasons = Dictionary(uniqueKeysWithValues: national.rejected.map { ($0.site, $0.reason) })
        #expect(reasons["a"] == "values break the rules: `admissions` for 2026-03 has a value of 9.9e+99 that is not its numerator over its denominator times its factor (783 / 37600 × 1000 = 20.82)")
        #expect(national.accepted == ["b"])
    }

    /// `pioneer return` refuses a period that is not over: a return made before its period
    /// ended is forged or made on a machine with a wrong clock.
    @Test func aReturnMadeBeforeItsPeriodEndedIsRejected() throws {
        let national = Self.aggregate([
            try ReturnFixture.make("a", made: "2026-03-30", indicators: [ReturnFixture.count(7)]),
            try ReturnFixture.make("b", made: "2020-01-01", indicators: [ReturnFixture.count(5)]),
            // The last day in UTC is the first of the next where the site is, after midnight in summer time.
            try ReturnFixture.make("c", made: "2026-03-31", indicators: [ReturnFixture.count(3)]),
        ])
        let reasons = Dictionary(uniqueKeysWithValues: national.rejected.map { ($0.site, $0.reason) })
        #expect(reasons["a"] == "made on 2026-03-30, before its period ended on 2026-03-31: a return is made once its period is over "
                + "(is the clock of the machine that made it wrong?)")
        #expect(reasons["b"]?.hasPrefix("made on 2020-01-01, before its period ended on 2026-03-31") == true)
        #expect(national.accepted == ["c"])
    }

    /// Times written with an offset are moments: 09:00+01:00 is before 08:30Z, and a return made
    /// at 23:30-02:00 on the last day is made the next day in UTC.
    @Test func generatedAtIsComparedAsAMomentWhateverItsOffset() throws {
        func made(_ site: String, _ timestamp: String, _ value: Double) throws -> SiteReturn {
            var content = try ReturnFixture.make(site, indicators: [ReturnFixture.count(value)], sign: false)
            content.generatedAt = timestamp
            return try ReturnCoding.signed(content)
        }
        let national = Self.aggregate([
            try made("a", "2026-04-10T08:30:00.000Z", 7),
            try made("a", "2026-04-10T09:00:00.000+01:00", 5),
            // The soft deadline is 2026-04-15 and the hard one 2026-04-30, in UTC.
            try made("b", "2026-04-15T23:30:00.000-02:00", 1),
            try made("c", "2026-05-01T00:30:00.000+02:00", 1),
        ])
        #expect(national.rejected.first { $0.site == "a" }?.reason.hasSuffix("made 2026-04-10T08:30:00.000Z)") == true,
                "\(national.rejected)")
        let statuses = Dictionary(uniqueKeysWithValues: national.completeness.sites.map { ($0.site, $0.status) })
        #expect(statuses["b"] == .late)
        #expect(statuses["c"] == .late)
        #expect(national.indicators.first?.sites.first { $0.site == "a" }?.value == 7)
    }

    @Test func goalsAreCountedByThemeAndTheConfidenceGapsListed() throws {
        let national = Self.aggregate([
            try ReturnFixture.make("a", indicators: [ReturnFixture.count(1)], goals: [
                ReturnFixture.goal("care-plans", status: "on track"),
                ReturnFixture.goal("fewer-admissions", status: "off track", rag: "green", agreement: "optimistic"),
            ]),
            try ReturnFixture.make("b", indicators: [ReturnFixture.count(1)], goals: [
                ReturnFixture.goal("care-plans", status: "at risk"),
                ReturnFixture.goal("fewer-admissions", status: "no data"),
                ReturnFixture.goal("local-goal", status: "achieved", rag: "red", agreement: "pessimistic"),
            ]),
        ])
        #expect(national.themes == [
            ThemeSummary(theme: "care plans", onTrack: 1, atRisk: 1, goals: ["a/care-plans", "b/care-plans"]),
            ThemeSummary(theme: "emergency admissions", offTrack: 1, noData: 1, goals: ["a/fewer-admissions", "b/fewer-admissions"]),
            ThemeSummary(theme: "no theme", achieved: 1, goals: ["b/local-goal"]),
        ])
        #expect(national.confidenceGaps.map { "\($0.site)/\($0.goal) \($0.agreement)" } == [
            "a/fewer-admissions optimistic", "b/local-goal pessimistic",
        ])
        #expect(national.confidenceGaps.first?.theme == "emergency admissions")
        #expect(national.confidenceGaps.first?.rag == "green")
    }
}
