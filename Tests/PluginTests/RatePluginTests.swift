// The `rate` plugin: factor, kept parts, ratios of every value type, Wilson intervals,
// suppression that keeps the parts, no-data, and configuration errors.
import PioneerKit
import PioneerExtraction
import PioneerTesting
import RatePlugin
import Testing

@Suite("rate plugin")
struct RatePluginTests {
    let june = Period.month(2026, 6)
    let admissions: ConfigLiteral = [
        "json": [
            "feed": "bi", "path": "/admissions?month={period}",
            "select": "$.data[?(@.age_band == '65+')].admissions", "aggregate": "sum",
        ],
    ]

    @Test func multipliesByTheIndicatorsFactorAndKeepsBothParts() throws {
        let harness = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": admissions, "denominator": ["population": "aged_65_plus"],
        ], indicator: .example(.rate, factor: .per1000))
        let observation = try harness.run(june, bodies: ["numerator": Payload.body("bi-admissions.json")])
        #expect(observation.numerator == 789)
        #expect(observation.denominator == 35_400)
        #expect(observation.value == 789.0 / 35_400 * 1000)
    }

    @Test func aProportionHasNoFactor() throws {
        let harness = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": admissions,
            "denominator": ["json": ["feed": "bi", "path": "/admissions?month={period}", "select": "$.total"]],
        ], indicator: .example(.proportion))
        let body = try Payload.body("bi-admissions.json")
        let observation = try harness.run(june, bodies: ["numerator": body, "denominator": body])
        #expect(observation.value == 789.0 / 2044)
        #expect(observation.numerator == 789)
        #expect(observation.denominator == 2044)
    }

    @Test func readsAPartFromCSVAndAConstant() throws {
        let harness = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": ["csv": [
                "feed": "council", "path": "/exports/reablement.csv", "date_column": "discharge_date",
                "where": ["outcome": "at home"], "aggregate": "count",
            ]],
            "denominator": ["value": 1000],
        ], indicator: .example(.rate, factor: .per100000))
        let observation = try harness.run(june, bodies: ["numerator": Payload.body("council-reablement.csv")])
        #expect(observation.value == 5.0 / 1000 * 100_000)
        #expect(try harness.requests(for: june).map(\.key) == ["numerator"])
    }

    func constant(numerator: Double, denominator: Double, extra: [(String, ConfigLiteral)] = []) throws -> Observation {
        var pairs: [(key: String, value: ConfigLiteral)] = [
            ("numerator", ["value": .scalar(String(numerator), quoted: false)]),
            ("denominator", ["value": .scalar(String(denominator), quoted: false)]),
        ]
        pairs += extra.map { (key: $0.0, value: $0.1) }
        return try PluginHarness(RateIndicatorPlugin.self, config: .mapping(pairs), indicator: .example(.rate, factor: .per1000))
            .run(june, bodies: [:])
    }

    @Test func smallNumeratorsAreSuppressedKeepingBothPartsButZeroIsPublished() throws {
        let suppressed = try constant(numerator: 3, denominator: 35_400, extra: [("suppress_below", 5)])
        #expect(suppressed.notAvailable == NotAvailable(.suppressed, "the numerator is below the small-number threshold of 5"))
        #expect(suppressed.value == nil)
        #expect(suppressed.numerator == 3)
        #expect(suppressed.denominator == 35_400)
        #expect(suppressed.published == Observation(value: nil, notAvailable: suppressed.notAvailable))
        #expect(try constant(numerator: 0, denominator: 35_400, extra: [("suppress_below", 5)]).value == 0)
        #expect(try constant(numerator: 5, denominator: 35_400, extra: [("suppress_below", 5)]).isAvailable)
    }

    @Test func smallDenominatorsAreSuppressed() throws {
        let observation = try constant(numerator: 4, denominator: 12, extra: [("minimum_denominator", 30)])
        #expect(observation.notAvailable == NotAvailable(.suppressed, "the denominator is below the minimum of 30"))
        #expect(observation.numerator == 4)
        #expect(observation.denominator == 12)
    }

    @Test func aZeroDenominatorFromAFeedIsNoData() throws {
        let harness = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": ["value": 3],
            "denominator": ["json": ["feed": "bi", "path": "/population", "select": "$.people"]],
        ], indicator: .example(.proportion))
        let observation = try harness.run(june, bodies: ["denominator": #"{"people": 0}"#])
        #expect(observation.notAvailable == NotAvailable(.noData, "the denominator is 0, so there is no value for 2026-06"))
    }

    @Test func aPartWithNoDataMakesTheRateNoData() throws {
        let harness = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": ["json": ["feed": "bi", "path": "/admissions?month={period}", "select": "$.data[?(@.age_band == '90+')].admissions", "aggregate": "sum"]],
            "denominator": ["population": "aged_65_plus"],
        ], indicator: .example(.rate))
        let observation = try harness.run(june, bodies: ["numerator": Payload.body("bi-admissions.json")])
        #expect(observation.notAvailable == NotAvailable(.noData, "numerator: `$.data[?(@.age_band == '90+')].admissions` matched nothing in http://bi.test/admissions?month=2026-06; `age_band` holds `0-17` ×1, `18-64` ×1, `65+` ×2"))
    }

    @Test func aNegativePartIsAnError() throws {
        let harness = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": ["json": ["feed": "bi", "path": "/x", "select": "$.n"]],
            "denominator": ["population": "aged_65_plus"],
        ], indicator: .example(.rate))
        #expect {
            try harness.run(june, bodies: ["numerator": #"{"n": -3}"#])
        } throws: { error in
            (error as? PluginError)?.message == "a `value_type: rate` ratio needs a numerator and a denominator of 0 or more, but the numerator is -3.00 and the denominator 35,400.00"
        }
    }

    @Test func aCostPerPatientDividesAFormattedSpendByACountWithNoFactor() throws {
        let harness = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": ["json": ["feed": "bi", "path": "/finance/{period}", "select": "$.spend_gbp", "number_format": "readable"]],
            "denominator": ["json": ["feed": "bi", "path": "/finance/{period}", "select": "$.patients", "number_format": "readable"]],
        ], indicator: .example(.amount))
        let body: FeedBody = #"{"spend_gbp": "£3,945,237.88", "patients": "1,204"}"#
        let observation = try harness.run(june, bodies: ["numerator": body, "denominator": body])
        #expect(observation.numerator == 3_945_237.88)
        #expect(observation.denominator == 1204)
        #expect(observation.value == 3_945_237.88 / 1204)
        #expect(observation.interval == nil)
    }

    @Test func everyValueTypeIsARatioWithFactorOneExceptARate() throws {
        for valueType in [ValueType.amount, .count, .mean] {
            let observation = try PluginHarness(RateIndicatorPlugin.self, config: [
                "numerator": ["value": 90], "denominator": ["value": 4],
            ], indicator: .example(valueType)).run(june, bodies: [:])
            #expect(observation.value == 22.5, "value_type \(valueType.rawValue)")
            #expect(observation.numerator == 90)
            #expect(observation.denominator == 4)
        }
    }

    @Test func anAmountMayHaveANegativeNumeratorButACountMayNot() throws {
        let config: ConfigLiteral = [
            "numerator": ["json": ["feed": "bi", "path": "/x", "select": "$.spend", "number_format": "readable"]],
            "denominator": ["value": 4],
        ]
        let refund = try PluginHarness(RateIndicatorPlugin.self, config: config, indicator: .example(.amount))
            .run(june, bodies: ["numerator": #"{"spend": "(1,234.00)"}"#])
        #expect(refund.value == -308.5)
        #expect(refund.numerator == -1234)
        #expect {
            try PluginHarness(RateIndicatorPlugin.self, config: config, indicator: .example(.count))
                .run(june, bodies: ["numerator": #"{"spend": "(1,234.00)"}"#])
        } throws: { error in
            (error as? PluginError)?.message == "a `value_type: count` ratio needs a numerator and a denominator of 0 or more, but the numerator is -1,234.00 and the denominator 4.00"
        }
    }

    @Test func aProportionOfWholeCountsHasAWilsonInterval() throws {
        let observation = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": ["value": 81], "denominator": ["value": 263],
        ], indicator: .example(.proportion)).run(june, bodies: [:])
        let interval = try #require(observation.interval)
        #expect(interval.method == "wilson")
        #expect(interval.level == 0.95)
        #expect(abs(interval.lower - 0.2553) < 0.0001)
        #expect(abs(interval.upper - 0.3662) < 0.0001)
        #expect(interval == .wilson(successes: 81, trials: 263))
    }

    @Test func onlyAProportionOfWholeCountsHasAnInterval() throws {
        let fractional = try PluginHarness(RateIndicatorPlugin.self, config: [
            "numerator": ["value": 81.5], "denominator": ["value": 263],
        ], indicator: .example(.proportion)).run(june, bodies: [:])
        #expect(fractional.value == 81.5 / 263)
        #expect(fractional.interval == nil)
        #expect(try constant(numerator: 81, denominator: 263).interval == nil)
    }

    @Test func aConstantDenominatorOfZeroIsAConfigError() {
        let issues = PluginHarness<RateIndicatorPlugin>.issues(configuring: [
            "numerator": ["value": 1], "denominator": ["value": 0],
        ], indicator: .example(.amount))
        #expect(issues.map(\.description) == [
            "<test>: error: config.denominator: a denominator of 0 gives no value; divide by a number above 0",
        ])
    }

    @Test func suppressBelowIsRefusedWhereTheNumeratorIsNotACount() {
        let issues = PluginHarness<RateIndicatorPlugin>.issues(configuring: [
            "numerator": ["value": 1], "denominator": ["value": 2], "suppress_below": 5,
        ], indicator: .example(.amount))
        #expect(issues.map(\.description) == [
            "<test>: error: config.suppress_below: `suppress_below` hides small counts, but the numerator of a `value_type: amount` is not a count; remove it, or use `minimum_denominator` to hide values resting on few people",
        ])
    }

    @Test func eachPartNeedsExactlyOneForm() {
        let issues = PluginHarness<RateIndicatorPlugin>.issues(configuring: [
            "numerator": ["value": 1, "population": "total"],
            "denominator": ["populaton": "total"],
        ], indicator: .example(.proportion))
        #expect(issues.map(\.description) == [
            "<test>: error: config.numerator: give exactly one of `json`, `csv`, `population` or `value` for the numerator; found `population` and `value`",
            "<test>: error: config.denominator: give exactly one of `json`, `csv`, `population` or `value` for the denominator; found none",
            "<test>: error: config.denominator.populaton: unknown key `populaton` (did you mean `population`?)",
        ])
    }

    @Test func nestedBlockErrorsAndUnknownPopulationsPointAtTheirKeys() {
        let issues = PluginHarness<RateIndicatorPlugin>.issues(configuring: [
            "numerator": ["json": ["feed": "bi", "path": "/x", "select": "$.a[?(@.b = 1)]"]],
            "denominator": ["population": "aged_65_plu"],
            "minimum_denominator": 0,
            "suppress_below": -1,
        ], indicator: .example(.rate))
        #expect(issues.map(\.description) == [
            "<test>: error: config.numerator.json.select: invalid JSONPath `$.a[?(@.b = 1)]` at character 11: `=` is not a comparison; write `==`",
            "<test>: error: config.denominator.population: unknown population `aged_65_plu` (did you mean `aged_65_plus`?); the site's `population:` declares `aged_65_plus`, `total`",
            "<test>: error: config.suppress_below: must be 0 or more, found -1",
        ])
    }
}
