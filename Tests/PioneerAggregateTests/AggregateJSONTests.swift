// The national aggregate's own JSON writer against JSONEncoder, which the intake service
// used before: the same bytes for aggregates of real returns (awkward numbers, strings
// needing escapes, rejected returns, definition splits, left-out sites, nil optionals),
// every type's keys in JSONEncoder's order, numbers written as JSONEncoder writes them, and
// a NaN or infinity refused as JSONEncoder refuses it.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerKit
import PioneerReturns
import Testing

@Suite("The aggregate's JSON writer")
struct AggregateJSONTests {
    static let march = Period.month(2026, 3)

    /// What the intake service's answers were written with before the writer.
    static func encoderBytes(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Compares bytes, not Strings (which would call `é` and `e\u{301}` equal), and shows where they part.
    static func expectSameBytes(_ written: [UInt8], _ encoded: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard written != encoded else { return }
        let index = zip(written, encoded).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(written.count, encoded.count)
        func around(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[max(0, index - 80)..<min(bytes.count, index + 80)], as: UTF8.self)
        }
        Issue.record("the bytes differ at \(index) of \(written.count) written, \(encoded.count) encoded:\nwriter:  \(around(written))\nencoder: \(around(encoded))",
                     sourceLocation: sourceLocation)
    }

    static func expectSameBytes(_ value: some JSONWritable & Encodable, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        expectSameBytes(try JSONOutput.bytes(of: value), try encoderBytes(value), sourceLocation: sourceLocation)
    }

    // MARK: Aggregates of real returns

    /// Site ids JSON must escape (quotes, backslashes, control characters), keep as they are
    /// (`/`, DEL, non-ASCII, a decomposed accent), and plain ones.
    static let awkwardSites = [
        "north/east", "q\"uote\\back", "ctl\u{01}\u{1F}\t\n\r\u{08}\u{0C}\u{7F}", "Ynys Môn 😀", "e\u{301}cole",
        "late", "missing", "tampered",
    ]

    static let awkwardProgramme = Programme(
        id: "pioneers", name: "Pioneers \"national\" / test\u{0B}", sites: awkwardSites, periods: [.month],
        deadlines: ReturnDeadlines(soft: DueLag(count: 15, unit: .days), hard: DueLag(count: 30, unit: .days)),
        themes: [GoalTheme(name: "care \"plans\"", goals: ["care-plans"]), GoalTheme(name: "admissions/\u{1}", goals: ["fewer-admissions"])],
        file: "programme.yaml")

    static func indicator(_ id: String, valueType: String, factor: Int? = nil,
                          name: String = "An \"awkward\" \\ indicator / é\u{2}", measure: ReturnMeasure) -> ReturnIndicator {
        ReturnIndicator(id: id, name: name, kind: "process", valueType: valueType, unit: "£ / \"units\"", factor: factor,
                        better: "neutral", decimals: 2, measures: [measure])
    }

    /// An indicator defined as `base` is, with `measure` alone.
    static func sameDefinition(as base: ReturnIndicator, measure: ReturnMeasure) -> ReturnIndicator {
        var indicator = base
        indicator.measures = [measure]
        return indicator
    }

    static func withoutMeasures(_ base: ReturnIndicator) -> ReturnIndicator {
        var indicator = base
        indicator.measures = []
        return indicator
    }

    static func measure(_ value: Double?, numerator: Double? = nil, denominator: Double? = nil, interval: ReturnInterval? = nil,
                        notAvailable: ReturnNotAvailable? = nil, period: Period = march) -> ReturnMeasure {
        ReturnMeasure(period: ReturnFixture.period(period), value: value, numerator: numerator, denominator: denominator,
                      interval: interval, notAvailable: notAvailable, provenance: ReturnFixture.provenance)
    }

    /// Returns for every awkward site: proportions and rates on funnel plots (one site left
    /// off for giving no parts), counts and amounts of awkward sizes, a measure not
    /// available, one for another month, an indicator defined two ways, an unknown value
    /// type, goals by theme with confidence gaps, a late return, a tampered one, and one
    /// for another period.
    static func awkwardReturns() throws -> [SiteReturn] {
        let sites = awkwardSites
        let interval = ReturnInterval(lower: 0.1 + 0.2, upper: 1e-7, level: 0.95, method: "wilson \"exact\"")
        var tampered = try ReturnFixture.make(sites[7], indicators: [ReturnFixture.count(3)])
        tampered.indicators[0].measures[0].value = 4
        return [
            try ReturnFixture.make(sites[0], made: "2026-04-15", indicators: [
                ReturnFixture.proportion(numerator: 1, denominator: 3),
                ReturnFixture.rate(events: 0.1 + 0.2, population: 1e12),
                ReturnFixture.count(1e21),
                indicator("spend", valueType: "amount", measure: measure(0.1 + 0.2)),
                indicator("split", valueType: "proportion", name: "Split, one way", measure: measure(0.5, numerator: 1, denominator: 2)),
                indicator("ratio", valueType: "odds \"ratio\"", measure: measure(2.5)),
            ], goals: [
                ReturnFixture.goal("care-plans", status: "on track"),
                ReturnFixture.goal("fewer-admissions", status: "off track", rag: "green", agreement: "optimistic"),
                ReturnFixture.goal("local/\"goal\"", status: "achieved", rag: "red", agreement: "pessimistic"),
            ]),
            try ReturnFixture.make(sites[1], made: "2026-04-16", indicators: [
                ReturnFixture.proportion(numerator: 7, denominator: 1e9),
                sameDefinition(as: ReturnFixture.rate(events: 1, population: 1),
                               measure: measure(5, numerator: 5, denominator: 1000, interval: interval)),
                ReturnFixture.count(1e-7),
                indicator("spend", valueType: "amount", measure: measure(-0.0)),
                indicator("split", valueType: "proportion", name: "Split, another way", measure: measure(0.25, numerator: 1, denominator: 4)),
            ], goals: [
                ReturnFixture.goal("care-plans", status: nil),
                ReturnFixture.goal("fewer-admissions", status: "no data"),
            ]),
            try ReturnFixture.make(sites[2], made: "2026-04-05", complete: false, indicators: [
                // Listed with no measure for the period (as a site's return lists one it could not collect).
                withoutMeasures(ReturnFixture.proportion(numerator: 0, denominator: 0.001)),
                sameDefinition(as: ReturnFixture.rate(events: 1, population: 1), measure: measure(12.5)),
                sameDefinition(as: ReturnFixture.count(0),
                          measure: measure(nil, notAvailable: ReturnNotAvailable(reason: "suppressed", detail: "fewer than 5 \"people\"\n"))),
                indicator("spend", valueType: "amount", measure: measure(1e15)),
            ]),
            try ReturnFixture.make(sites[3], indicators: [
                ReturnFixture.proportion(numerator: 123_456_789, denominator: 987_654_321),
                ReturnFixture.rate(events: 33, population: 17_000),
                ReturnFixture.count(9_007_199_254_740_992),
                indicator("spend", valueType: "amount", measure: measure(1e16)),
            ]),
            try ReturnFixture.make(sites[4], indicators: [
                ReturnFixture.proportion(numerator: 2, denominator: 3),
                ReturnFixture.rate(events: 1, population: 3),
                ReturnFixture.count(0),
                indicator("spend", valueType: "amount", measure: measure(-123.456e-300)),
            ]),
            try ReturnFixture.make(sites[5], made: "2026-05-02", indicators: [ReturnFixture.count(5)]),
            tampered,
            try ReturnFixture.make(sites[0], period: .month(2026, 2), made: "2026-03-10",
                                   indicators: [ReturnFixture.count(4, period: .month(2026, 2))]),
        ]
    }

    static func aggregate(_ returns: [SiteReturn], programme: Programme, asOf: String = "2026-05-10",
                          options: FunnelOptions = FunnelOptions()) throws -> NationalAggregate {
        let asOf = try #require(CalendarDate(iso: asOf))
        return Aggregator(programme: programme, period: march, asOf: asOf, funnelOptions: options)
            .aggregate(returns.map(ReturnFixture.received))
    }

    @Test(arguments: [Overdispersion.none, .multiplicative, .additive])
    func anAggregateOfAwkwardReturnsIsWrittenByteForByteAsJSONEncoderWritesIt(overdispersion: Overdispersion) throws {
        let national = try Self.aggregate(try Self.awkwardReturns(), programme: Self.awkwardProgramme,
                                          options: FunnelOptions(overdispersion: overdispersion, winsorising: 0.1 + 0.2))
        // The aggregate has what the test claims to cover.
        #expect(national.rejected.map(\.site).sorted() == ["late", "tampered"])
        #expect(national.otherPeriods.count == 1)
        #expect(national.confidenceGaps.count == 2)
        #expect(national.themes.map(\.theme).contains("no theme"))
        let byID = Dictionary(national.indicators.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byID["split"]?.definitions.count == 2)
        #expect(byID["ratio"]?.notPooled?.contains("not a value type") == true)
        #expect(byID["admissions"]?.funnel?.leftOut.count == 1)
        #expect(byID["admissions"]?.sites.contains { $0.lower != nil } == true)
        #expect(byID["care-plans"]?.funnel != nil)
        #expect(byID["referrals"]?.sites.contains { $0.notAvailable != nil && $0.value == nil } == true)

        Self.expectSameBytes(try national.jsonBytes(), try Self.encoderBytes(national))
    }

    @Test func anAggregateOfTheFixtureProgrammesReturnsIsWrittenByteForByteAsJSONEncoderWritesIt() throws {
        let parts: [(String, Double, Double)] = [("a", 50, 20000), ("b", 300, 60000), ("c", 90, 45000), ("d", 800, 150000), ("e", 40, 10000)]
        let returns = try parts.map { site, events, population in
            try ReturnFixture.make(site, indicators: [
                ReturnFixture.rate(events: events, population: population),
                ReturnFixture.proportion(numerator: events, denominator: population / 10),
                ReturnFixture.count(events),
            ])
        }
        let national = try Self.aggregate(returns, programme: ReturnFixture.programme)
        #expect(national.indicators.count == 3)
        Self.expectSameBytes(try national.jsonBytes(), try Self.encoderBytes(national))
    }

    @Test func anAggregateOfNoReturnsWritesItsEmptyArraysAndLeavesOutNilsAsJSONEncoderDoes() throws {
        let awaited = try Self.aggregate([], programme: ReturnFixture.programme, asOf: "2026-04-01")
        #expect(awaited.indicators.isEmpty && awaited.rejected.isEmpty && awaited.completeness.sites.allSatisfy { $0.submitted == nil })
        Self.expectSameBytes(try awaited.jsonBytes(), try Self.encoderBytes(awaited))

        var quarterly = ReturnFixture.programme
        quarterly.periods = [.quarter]
        quarterly.themes = []
        let none = try Self.aggregate([], programme: quarterly)
        #expect(none.completeness.sites.isEmpty && none.themes.isEmpty)
        Self.expectSameBytes(try none.jsonBytes(), try Self.encoderBytes(none))
    }

    // MARK: Each type

    @Test func everyTypeWritesEveryKeyInJSONEncodersOrder() throws {
        // Every optional is set, so every key is written and its place checked.
        let figures = [SiteFigure(site: "a", value: nil, numerator: 30, denominator: 100),
                       SiteFigure(site: "b", value: nil, numerator: 45, denominator: 120),
                       SiteFigure(site: "c", value: nil, numerator: 20, denominator: 110),
                       SiteFigure(site: "d", value: 0.5)]
        let funnel = try FunnelPlot(figures, distribution: .binomial, options: FunnelOptions(overdispersion: .multiplicative))
        #expect(!funnel.leftOut.isEmpty)
        let point = try #require(funnel.points.first)
        let pooled = Pooling.pool(figures, valueType: .proportion)
        let spread = try #require(pooled.spread)
        #expect(pooled.value != nil && pooled.numerator != nil && pooled.denominator != nil && !pooled.leftOut.isEmpty)
        let site = SiteIndicatorValue(site: "a", value: 0.3, numerator: 30, denominator: 100, lower: 0.2, upper: 0.4,
                                      notAvailable: "suppressed: small", definitionVersion: "v1", position: .above95)
        let indicator = IndicatorAggregate(
            id: "x", name: "X", valueType: "proportion", unit: "%", factor: 100, better: "higher", decimals: 1,
            sites: [site], definitions: [DefinitionGroup(version: "v1", sites: ["a"])], pooled: pooled, notPooled: "n",
            funnel: funnel, funnelUnavailable: "u")
        let gap = ConfidenceGap(site: "a", goal: "g", title: "t", theme: "th", status: "off track", rag: "green",
                                confidence: "high", agreement: "optimistic")
        let completeness = Completeness(
            softDeadline: try #require(CalendarDate(iso: "2026-04-15")), hardDeadline: try #require(CalendarDate(iso: "2026-04-30")),
            asOf: try #require(CalendarDate(iso: "2026-05-01")),
            sites: [SiteCompleteness(site: "a", status: .onTime, submitted: "2026-04-02", source: "a.json")])
        let theme = ThemeSummary(theme: "t", achieved: 1, onTrack: 2, atRisk: 3, offTrack: 4, noData: 5, noStatus: 6, goals: ["a/g"])
        let rejected = RejectedReturn(source: "s", site: "a", period: "2026-03", reason: "r")
        let national = NationalAggregate(
            programme: "p", period: "2026-03", completeness: completeness, rejected: [rejected], otherPeriods: [rejected],
            accepted: ["a"], indicators: [indicator], themes: [theme], confidenceGaps: [gap], funnelOptions: funnel.options,
            goalsNotCarried: ["b"])

        try Self.expectSameBytes(national)
        try Self.expectSameBytes(completeness)
        try Self.expectSameBytes(try #require(completeness.sites.first))
        try Self.expectSameBytes(rejected)
        try Self.expectSameBytes(theme)
        try Self.expectSameBytes(gap)
        try Self.expectSameBytes(indicator)
        try Self.expectSameBytes(site)
        try Self.expectSameBytes(DefinitionGroup(version: "v1", sites: ["a", "b"]))
        try Self.expectSameBytes(pooled)
        try Self.expectSameBytes(try #require(pooled.leftOut.first))
        try Self.expectSameBytes(spread)
        try Self.expectSameBytes(funnel)
        try Self.expectSameBytes(point)
        try Self.expectSameBytes(point.limits)
        try Self.expectSameBytes(funnel.options)
    }

    @Test func nilOptionalsAreLeftOutAsEncodeIfPresentLeavesThemOut() throws {
        let site = SiteIndicatorValue(site: "a", value: nil, numerator: nil, denominator: nil, lower: nil, upper: nil,
                                      notAvailable: nil, definitionVersion: "v1")
        let indicator = IndicatorAggregate(id: "x", name: "X", valueType: "count", unit: "n", factor: nil, better: "neutral",
                                           decimals: 0, sites: [site], definitions: [], pooled: nil, notPooled: nil,
                                           funnel: nil, funnelUnavailable: nil)
        let pooled = PooledValue(method: .total, value: nil, numerator: nil, denominator: nil, sites: [], leftOut: [], spread: nil)
        let gap = ConfidenceGap(site: "a", goal: "g", title: "t", theme: nil, status: nil, rag: nil, confidence: nil, agreement: "pessimistic")
        #expect(String(decoding: try JSONOutput.bytes(of: site), as: UTF8.self) == #"{"definitionVersion":"v1","site":"a"}"#)
        try Self.expectSameBytes(site)
        try Self.expectSameBytes(indicator)
        try Self.expectSameBytes(pooled)
        try Self.expectSameBytes(gap)
        try Self.expectSameBytes(SiteCompleteness(site: "a", status: .missing))
    }

    // MARK: Strings and numbers

    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        var texts = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }
        texts += ["", "/", "a/b//c", "\"quoted\"", "back\\slash\\", "tab\there", "é", "e\u{301}", "😀 ok", "\u{2028}\u{2029}",
                  "\u{FEFF}bom", "mixed \u{0}\u{1F}\u{7F}\u{80} end", String(repeating: "long \"text\" ", count: 200)]
        for text in texts {
            let site = DefinitionGroup(version: text, sites: [text, "plain"])
            try Self.expectSameBytes(site)
        }
    }

    /// Doubles of every kind: random bit patterns, whole numbers of every size, the edges
    /// where `description` turns to exponents, decimals people write, and subnormals.
    static func awkwardDoubles(count: Int) -> [Double] {
        // Fresh each run, so runs cover more; a mismatch is reported with its bit pattern.
        var random = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.1 + 0.2, 1e-7, 1e21, 1e15, 1e16, 1e-4, 1e-5, 9_007_199_254_740_992,
                                9_007_199_254_740_993, 999_999_999_999_999, 1e15 - 1, -1e15, .leastNonzeroMagnitude,
                                .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne, .pi]
        for exponent in -30...30 {
            let power = Double("1e\(exponent)") ?? 0
            values += [power, power.nextUp, power.nextDown, -power, 2 * power, power * 0.5 + power]
        }
        for exponent in 0...70 {
            let power = Double(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power - 1, power + 1, -power]
        }
        while values.count < count {
            switch random.next() % 5 {
            case 0:
                let bits = Double(bitPattern: random.next())
                if bits.isFinite { values.append(bits) }
            case 1:
                values.append(Double(Int64(bitPattern: random.next()) >> (random.next() % 63)))
            case 2:
                values.append(Double(Int64(random.next() % 2_000_000) - 1_000_000) / Double(1 << (random.next() % 20)))
            case 3:
                let decimals = Double("1e\(random.next() % 12)") ?? 1
                values.append(Double(random.next() % 100_000_000) / decimals)
            default:
                values.append(Double.random(in: -1...1, using: &random) * (Double("1e\(Int(random.next() % 80) - 40)") ?? 1))
            }
        }
        return values
    }

    @Test func numbersAreWrittenAsJSONEncoderWritesThem() throws {
        var mismatches: [String] = []
        for value in Self.awkwardDoubles(count: 20_000) {
            let limits = FunnelLimits(lower95: value, upper95: -value, lower998: value / 3, upper998: -value / 7)
            let written = try JSONOutput.bytes(of: limits)
            let encoded = try Self.encoderBytes(limits)
            if written != encoded, mismatches.count < 10 {
                mismatches.append("\(value.bitPattern): \(String(decoding: written, as: UTF8.self)) vs \(String(decoding: encoded, as: UTF8.self))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aFigureThatIsNotANumberIsRefusedAsJSONEncoderRefusesIt(value: Double) throws {
        let site = SiteIndicatorValue(site: "a", value: value, numerator: 1, denominator: 2, lower: nil, upper: nil,
                                      notAvailable: nil, definitionVersion: "v1")
        #expect(throws: EncodingError.self) { try Self.encoderBytes(site) }
        let error = try #require(throws: JSONOutput.NonFiniteNumber.self) { try JSONOutput.bytes(of: site) }
        #expect(error.key == "value")
        #expect(error.description == "`value` is \(value), which JSON cannot carry (it has no NaN or infinity)")
    }
}
