// The `json` plugin on a BI server's admissions report: aggregates, no-data, and error messages.
import JSONPlugin
import PioneerKit
import PioneerExtraction
import PioneerTesting
import Testing

@Suite("json plugin")
struct JSONPluginTests {
    let june = Period.month(2026, 6)

    func harness(_ extra: [(String, ConfigLiteral)] = []) throws -> PluginHarness<JSONIndicatorPlugin> {
        var pairs: [(key: String, value: ConfigLiteral)] = [
            ("feed", "bi"), ("path", "/admissions?month={period}"),
            ("select", "$.data[?(@.age_band == '65+')].admissions"), ("aggregate", "sum"),
        ]
        for (key, value) in extra {
            pairs.removeAll { $0.key == key }
            pairs.append((key, value))
        }
        return try PluginHarness(JSONIndicatorPlugin.self, config: .mapping(pairs))
    }

    @Test func sumsTheSelectedValuesIncludingNumbersWrittenAsStrings() throws {
        let observation = try harness().run(june, bodies: ["document": Payload.body("bi-admissions.json")])
        #expect(observation.value == 789)
        #expect(observation.isAvailable)
    }

    @Test func requestsTheConfiguredPathAndQuery() throws {
        let requests = try harness([("query", ["age_band": "65+"])]).requests(for: june)
        #expect(requests == [FeedRequest(key: "document", feed: "bi", path: "/admissions?month={period}", query: ["age_band": "65+"])])
    }

    @Test(arguments: [
        ("value", "$.total", 2044.0),
        ("count", "$.data[*]", 4),
        ("mean", "$.data[*].beds.days", 2728.25),
        ("min", "$..admissions", 58),
        ("max", "$..admissions", 1043),
    ])
    func aggregates(aggregate: String, select: String, expected: Double) throws {
        let harness = try harness([("select", .scalar(select, quoted: true)), ("aggregate", .scalar(aggregate, quoted: false))])
        #expect(try harness.run(june, bodies: ["document": Payload.body("bi-admissions.json")]).value == expected)
    }

    @Test func aMeanAmountKeepsItsSumAndCountSoSitesArePooledNotAddedUp() throws {
        let config: [(key: String, value: ConfigLiteral)] = [
            ("feed", "bi"), ("path", "/admissions?month={period}"),
            ("select", .scalar("$.data[*].beds.days", quoted: true)), ("aggregate", "mean"),
        ]
        let harness = try PluginHarness(JSONIndicatorPlugin.self, config: .mapping(config), indicator: .example(.amount))
        let observation = try harness.run(june, bodies: ["document": Payload.body("bi-admissions.json")])
        #expect(observation == .value(2728.25, numerator: 10913, denominator: 4))
    }

    @Test func nothingMatchedIsNoDataByDefaultAndSaysWhatTheFilteredMemberHolds() throws {
        let observation = try harness([("select", "$.data[?(@.age_band == '90+')].admissions")])
            .run(june, bodies: ["document": Payload.body("bi-admissions.json")])
        #expect(observation.notAvailable == NotAvailable(.noData, "`$.data[?(@.age_band == '90+')].admissions` matched nothing in http://bi.test/admissions?month=2026-06; `age_band` holds `0-17` ×1, `18-64` ×1, `65+` ×2"))
    }

    @Test func theStandardGrammarSelectsWithOrAndFunctions() throws {
        let either = try harness([("select", "$.data[?@.age_band == '0-17' || @.age_band == '18-64'].admissions")])
        #expect(try either.run(june, bodies: ["document": Payload.body("bi-admissions.json")]).value == 1255)
        let named = try harness([("select", "$.data[?search(@.site, '^P') && !(@.beds.days > 1000)].admissions")])
        #expect(try named.run(june, bodies: ["document": Payload.body("bi-admissions.json")]).value == 58)
        let lastTwo = try harness([("select", "$.data[-2:].beds.days")])
        #expect(try lastTwo.run(june, bodies: ["document": Payload.body("bi-admissions.json")]).value == 6513)
    }

    @Test func nothingMatchedIsZeroOrAnErrorWhenConfigured() throws {
        let zero = try harness([("select", "$.nothing"), ("if_empty", "zero")])
            .run(june, bodies: ["document": "{}"])
        #expect(zero.value == 0)
        #expect {
            try harness([("select", "$.nothing"), ("if_empty", "error")]).run(june, bodies: ["document": "{}"])
        } throws: { error in
            (error as? PluginError)?.message == "`$.nothing` matched nothing in http://bi.test/admissions?month=2026-06 for 2026-06; expected at least one value"
        }
        #expect {
            try harness([("select", "$.data[?@.age_band == '90+'].admissions"), ("if_empty", "error")])
                .run(june, bodies: ["document": Payload.body("bi-admissions.json")])
        } throws: { error in
            (error as? PluginError)?.message == "`$.data[?@.age_band == '90+'].admissions` matched nothing in http://bi.test/admissions?month=2026-06 for 2026-06; expected at least one value; `age_band` holds `0-17` ×1, `18-64` ×1, `65+` ×2"
        }
    }

    @Test func aNonNumericMatchIsAnErrorNamingThePathAndWhatWasFound() throws {
        #expect {
            try harness([("select", "$.data[*].age_band")]).run(june, bodies: ["document": Payload.body("bi-admissions.json")])
        } throws: { error in
            (error as? PluginError)?.message == "`$.data[*].age_band` in http://bi.test/admissions?month=2026-06 should select numbers, but `$['data'][0]['age_band']` (match 1 of 4) is a string `0-17`"
        }
    }

    @Test func valueWithSeveralMatchesIsAnError() throws {
        #expect {
            try harness([("aggregate", "value")]).run(june, bodies: ["document": Payload.body("bi-admissions.json")])
        } throws: { error in
            (error as? PluginError)?.message == "`$.data[?(@.age_band == '65+')].admissions` matched 2 values in http://bi.test/admissions?month=2026-06, but `aggregate: value` expects exactly one; use `aggregate: sum`, `mean`, `min` or `max` to combine them, or narrow the path"
        }
    }

    @Test func aRepeatedMemberOnThePathIsRefusedNotCountedTwice() throws {
        // Streamed, both were selected: summed to 3.
        #expect {
            try harness([("select", "$.v"), ("aggregate", "sum")]).run(june, bodies: ["document": #"{"v": 1, "v": 2}"#])
        } throws: { error in
            let message = (error as? PluginError)?.message ?? ""
            return message.contains("line 1, column") && message.contains("the member \"v\" appears twice in one object")
        }
        // A repeated member the path does not go through is no matter.
        #expect(try harness([("select", "$.v"), ("aggregate", "sum")]).run(june, bodies: ["document": #"{"w": 1, "w": 2, "v": 5}"#]).value == 5)
    }

    /// Found by a tester: after a wildcard or a filter the last of two values was used (12, 10, 3).
    @Test(arguments: [
        ("$.data[*].v", #"{"data":[{"v":1,"v":10},{"v":2}]}"#, "v", 17),
        ("$.o.*", #"{"o":{"x":1,"x":10}}"#, "x", 13),
        ("$.data[?@.k=='b'].v", #"{"data":[{"k":"a","k":"b","v":1},{"k":"b","v":2}]}"#, "k", 19),
        ("$..v", #"{"a":{"v":1,"v":2}}"#, "v", 13),
    ])
    func aRepeatedMemberIsRefusedAfterAWildcardOrFilterToo(path: String, body: String, member: String, column: Int) throws {
        #expect {
            try harness([("select", ConfigLiteral(stringLiteral: path)), ("aggregate", "sum")]).run(june, bodies: ["document": FeedBody(body)])
        } throws: { error in
            let message = (error as? PluginError)?.message ?? ""
            return message.contains("the member \"\(member)\" appears twice in one object") && message.contains("(line 1, column \(column))")
        }
    }

    @Test func aFilterMatchingNothingShowsANumberWrittenAsAStringWithItsQuotes() throws {
        let observation = try harness([("select", "$.d[?@.v == 2].v"), ("aggregate", "value")])
            .run(june, bodies: ["document": #"{"d":[{"v":"2"},{"v":"3"},{"v":"three"},{"v":true}]}"#])
        let detail = observation.notAvailable?.detail ?? ""
        #expect(detail.hasSuffix("`v` holds `\"2\"` (a string) ×1, `\"3\"` (a string) ×1, `three` ×1, `true` ×1"), "\(detail)")
    }

    @Test func aPathThatMultipliesNodesWithoutBoundIsStoppedNamingIt() throws {
        // 400 arrays deep: `..*` selects 400 values, `..*..*` about 80,000, `..*..*..*` some
        // ten million; stopped past two million rather than held (it took gigabytes).
        let body = #"{"data": "# + String(repeating: "[", count: 400) + "1" + String(repeating: "]", count: 400) + "}"
        #expect {
            try harness([("select", "$..*..*..*"), ("aggregate", "count")]).run(june, bodies: ["document": FeedBody(stringLiteral: body)])
        } throws: { error in
            (error as? PluginError)?.message == "`$..*..*..*` selects more than 2,000,000 values along the way in http://bi.test/admissions?month=2026-06 (each `..` or `*` multiplies what the step before it selected); name the members to follow instead"
        }
        // Two steps stay within the limit and count.
        let counted = try harness([("select", "$..*..*"), ("aggregate", "count")]).run(june, bodies: ["document": FeedBody(stringLiteral: body)])
        #expect(counted.value == Double((1...400).reduce(0) { $0 + $1 }))
    }

    @Test func aBodyThatIsNotJSONIsAnErrorNamingTheURL() throws {
        #expect {
            try harness().run(june, bodies: ["document": "<html>Service unavailable</html>"])
        } throws: { error in
            (error as? PluginError)?.message.hasPrefix("the body of http://bi.test/admissions?month=2026-06 is not valid JSON: ") == true
        }
    }

    @Test func anUnclosedOrEmptyBraceInThePathIsAConfigErrorNotAFailureAtEveryCollect() {
        for (path, problem) in [("/ok?month={period", "unclosed {"), ("/ok/{}/x", "empty {}")] {
            let issues = PluginHarness<JSONIndicatorPlugin>.issues(configuring: ["feed": "bi", "path": .scalar(path, quoted: true), "select": "$.value"])
            #expect(issues.map(\.description) == [
                "<test>: error: config.path: \(problem) in `\(path)`; a placeholder is a name in braces: {period}, {period.start}, {period.end}, {period.year}, {period.month}, {period.adx}",
            ])
        }
    }

    @Test func configErrorsPointAtTheirKeys() {
        let issues = PluginHarness<JSONIndicatorPlugin>.issues(configuring: [
            "feed": "bl", "path": "/x?month={period.mnth}", "select": "$.data[0", "aggregate": "total", "iff_empty": "zero",
        ])
        #expect(issues.map(\.description) == [
            "<test>: error: config.feed: unknown feed `bl` (did you mean `bi`?); the site declares `bi`, `council`, `mortality`, `survey`",
            "<test>: error: config.path: unknown placeholder `{period.mnth}` (did you mean `period.month`?); the placeholders are {period}, {period.start}, {period.end}, {period.year}, {period.month}, {period.adx}",
            "<test>: error: config.select: invalid JSONPath `$.data[0` at character 9: expected `,` or `]` after a selector, found the end of the path",
            "<test>: error: config.aggregate: `total` is not one of `value`, `count`, `sum`, `mean`, `min`, `max`",
            "<test>: error: config.iff_empty: unknown key `iff_empty` (did you mean `if_empty`?)",
        ])
    }

    @Test func aMisusedFunctionIsAConfigErrorNamingTheCharacter() {
        let issues = PluginHarness<JSONIndicatorPlugin>.issues(configuring: [
            "feed": "bi", "path": "/x", "select": "$.data[?length(@.band)].admissions",
        ])
        #expect(issues.map(\.description) == [
            "<test>: error: config.select: invalid JSONPath `$.data[?length(@.band)].admissions` at character 9: `length()` gives a value, which is not a test on its own; compare it, as in `length(...) > 0`",
        ])
    }

    @Test func missingKeysAndAMissingConfigAreReported() {
        #expect(PluginHarness<JSONIndicatorPlugin>.issues(configuring: ["feed": "bi"]).map(\.description) == [
            "<test>: error: config.path: missing required key `path`",
            "<test>: error: config.select: missing required key `select`",
        ])
        #expect(PluginHarness<JSONIndicatorPlugin>.issues(configuring: nil).map(\.message) == [
            "the `json` plugin needs a `config:` mapping with at least `feed`, `path` and `select`",
        ])
    }
}
