// ADX returns in the national aggregate: pooled exactly as their JSON twins, a changed value
// caught by the content digest, an indicator no JSON return defines kept out with its reason,
// goals said to be absent, and a site's JSON and ADX returns treated as two returns.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerKit
import PioneerReturns
import Testing

@Suite("National aggregate of ADX returns")
struct ADXAggregateTests {
    static let march = Period.month(2026, 3)

    /// `indicator` with the definition version its fields hash to, as `pioneer return` writes it.
    static func defined(_ indicator: ReturnIndicator) -> ReturnIndicator {
        var result = indicator
        result.definitionVersion = indicator.computedDefinitionVersion
        return result
    }

    static func make(_ site: String, made: String = "2026-04-10", numerator: Double, denominator: Double,
                     goals: [ReturnGoal] = []) throws -> SiteReturn {
        try ReturnFixture.make(site, made: made, indicators: [
            defined(ReturnFixture.proportion(numerator: numerator, denominator: denominator)),
            defined(ReturnFixture.rate(events: numerator * 3, population: denominator * 40)),
        ], goals: goals)
    }

    /// `siteReturn` written as ADX (edited by `edit`), read back and defined from `definitions`.
    static func adx(_ siteReturn: SiteReturn, definitions: [SiteReturn], edit: (String) -> String = { $0 }) throws -> ReceivedReturn {
        let source = "returns/\(siteReturn.site.id).xml"
        let document = try ADXReader.read(data: Data(edit(try ADXDocument.xml(siteReturn)).utf8), file: source)
        let resolution = document.resolved(with: DefinitionCatalogue(definitions))
        return ReceivedReturn(source: source, content: resolution.siteReturn,
                              format: .adx(contentDigest: document.contentDigestCheck, unresolved: resolution.unresolved))
    }

    static func aggregate(_ received: [ReceivedReturn]) -> NationalAggregate {
        Aggregator(programme: ReturnFixture.programme, period: march, asOf: CalendarDate(year: 2026, month: 5, day: 10) ?? .today())
            .aggregate(received)
    }

    @Test func adxReturnsPoolToTheSameValuesAsTheirJSON() throws {
        let returns = [try Self.make("a", numerator: 40, denominator: 100), try Self.make("b", numerator: 90, denominator: 120),
                       try Self.make("c", numerator: 10, denominator: 80)]
        let fromJSON = Self.aggregate(returns.map(ReturnFixture.received))
        let fromADX = Self.aggregate([try Self.adx(returns[0], definitions: [returns[2]]), try Self.adx(returns[1], definitions: [returns[2]]),
                                      ReturnFixture.received(returns[2])])
        #expect(fromADX.rejected.isEmpty, "\(fromADX.rejected)")
        #expect(fromADX.accepted == ["a", "b", "c"])
        #expect(fromADX.indicators.count == 2)
        #expect(fromADX.indicators.map(\.pooled) == fromJSON.indicators.map(\.pooled))
        #expect(fromADX.indicators.first?.pooled?.value == 140.0 / 300.0)
        #expect(fromADX.indicators.map { $0.sites.map(\.value) } == fromJSON.indicators.map { $0.sites.map(\.value) })
    }

    @Test func aChangedADXValueIsADigestMismatchAndLeftOut() throws {
        let returns = [try Self.make("a", numerator: 40, denominator: 100), try Self.make("b", numerator: 90, denominator: 120)]
        let tampered = try Self.adx(returns[0], definitions: returns) {
            $0.replacingOccurrences(of: #"PART="NUMERATOR" definitionVersion="\#(returns[0].indicators[0].definitionVersion)" value="40""#,
                                    with: #"PART="NUMERATOR" definitionVersion="\#(returns[0].indicators[0].definitionVersion)" value="80""#)
        }
        let national = Self.aggregate([tampered, ReturnFixture.received(returns[1])])
        #expect(national.accepted == ["b"])
        let rejected = try #require(national.rejected.first)
        #expect(rejected.source == "returns/a.xml")
        #expect(rejected.reason.hasPrefix("its ADX contentDigest does not match its content (recorded "))
        #expect(national.indicators.first?.pooled?.value == 0.75)
    }

    @Test func anADXReturnWithoutAContentDigestIsRejected() throws {
        let a = try Self.make("a", numerator: 40, denominator: 100)
        let stripped = try Self.adx(a, definitions: [a]) { xml in
            xml.replacingOccurrences(of: #" contentDigest="sha256:[0-9a-f]{64}""#, with: "", options: .regularExpression)
        }
        #expect(Self.aggregate([stripped]).rejected.map(\.reason)
                == ["the ADX return carries no contentDigest (sha256), so changes since it was made cannot be detected"])
    }

    @Test func anIndicatorNoJSONReturnDefinesKeepsTheADXReturnOutWithTheReason() throws {
        let a = try Self.make("a", numerator: 40, denominator: 100)
        let national = Self.aggregate([try Self.adx(a, definitions: [])])
        #expect(national.accepted.isEmpty)
        let proportion = a.indicators[0].definitionVersion, rate = a.indicators[1].definitionVersion
        #expect(national.rejected.map(\.reason) == [
            "ADX carries no indicator definitions, and no JSON return among the files given defines care-plans (definition \(proportion)), "
                + "admissions (definition \(rate)); give a JSON return with those definitions (any site, any period) alongside",
        ])
    }

    @Test func manyUndefinedIndicatorsAreNamedFiveAtATime() throws {
        let indicators = (1...8).map { Self.defined(ReturnFixture.count(Double($0), id: "referrals-\($0)")) }
        let a = try ReturnFixture.make("a", indicators: indicators)
        let reason = try #require(Self.aggregate([try Self.adx(a, definitions: [])]).rejected.first?.reason)
        let version = indicators[0].definitionVersion
        #expect(reason.contains("defines referrals-1 (definition \(version)), referrals-2 (definition \(indicators[1].definitionVersion)), "))
        #expect(reason.contains("referrals-5 (definition \(indicators[4].definitionVersion)) and 3 more; give a JSON return with those definitions"))
        #expect(!reason.contains("referrals-6"))
    }

    @Test func anADXReturnHasNoGoalsAndTheAggregateSaysSo() throws {
        let a = try Self.make("a", numerator: 40, denominator: 100, goals: [ReturnFixture.goal("care-plans", status: "on track")])
        let b = try Self.make("b", numerator: 90, denominator: 120, goals: [ReturnFixture.goal("care-plans", status: "off track")])
        let national = Self.aggregate([try Self.adx(a, definitions: [b]), ReturnFixture.received(b)])
        #expect(national.goalsNotCarried == ["a"])
        let theme = try #require(national.themes.first { $0.theme == "care plans" })
        #expect(theme.goals == ["b/care-plans"])
        #expect(theme.noData == 0)
    }

    @Test func aSitesJSONAndADXReturnsAreTwoReturnsAndTheLaterMadeCounts() throws {
        let early = try Self.make("a", made: "2026-04-03", numerator: 40, denominator: 100)
        let late = try Self.make("a", made: "2026-04-12", numerator: 50, denominator: 100)
        let adxLater = Self.aggregate([ReturnFixture.received(early), try Self.adx(late, definitions: [early])])
        #expect(adxLater.indicators.first?.pooled?.value == 0.5)
        #expect(adxLater.rejected.map(\.source) == ["returns/a-2026-03.json"])
        #expect(adxLater.rejected.first?.reason.hasPrefix("superseded by a later return from the same site (returns/a.xml") == true)

        // Made from one return at the same moment: the JSON, which carries goals, counts.
        let same = Self.aggregate([try Self.adx(early, definitions: [early]), ReturnFixture.received(early)])
        #expect(same.rejected.map(\.source) == ["returns/a.xml"])
        #expect(same.goalsNotCarried.isEmpty)
    }

    @Test func anADXReturnMadeLaterWithTheSameFiguresIsTheJSONReturnInAnotherForm() throws {
        // `pioneer return --format json`, then `--format adx` a moment later: the same figures.
        let goals = [ReturnFixture.goal("care-plans", status: "on track")]
        let json = try Self.make("a", made: "2026-04-10", numerator: 40, denominator: 100, goals: goals)
        let later = try Self.make("a", made: "2026-04-11", numerator: 40, denominator: 100, goals: goals)
        let national = Self.aggregate([ReturnFixture.received(json), try Self.adx(later, definitions: [json])])
        #expect(national.goalsNotCarried.isEmpty, "the goals were lost to the ADX form")
        #expect(national.indicators.first?.pooled?.value == 0.4)
        #expect(national.rejected.map(\.source) == ["returns/a.xml"])
        #expect(national.rejected.first?.reason == "the same figures as returns/a-2026-03.json in ADX form; the JSON return, which carries the goals too, is counted")
        #expect(national.themes.first { $0.theme == "care plans" }?.goals == ["a/care-plans"])
    }

    @Test func anADXReturnBreakingAValueRuleOrFromAnUnexpectedSiteIsRejectedAsJSONWouldBe() throws {
        let bad = try Self.make("b", numerator: 130, denominator: 120)
        let stranger = try Self.make("z", numerator: 1, denominator: 2)
        let national = Self.aggregate([try Self.adx(bad, definitions: [bad]), try Self.adx(stranger, definitions: [stranger])])
        #expect(national.accepted.isEmpty)
        #expect(national.rejected.count == 2)
        #expect(national.rejected.first?.reason.hasPrefix("values break the rules: ") == true)
        #expect(national.rejected.last?.reason.hasPrefix("site `z` is not one the programme expects") == true)
    }
}
