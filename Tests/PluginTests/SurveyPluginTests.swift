// The `survey` plugin and the Wilson interval: shares agreeing, n, suppression, and error messages.
import PioneerKit
import PioneerExtraction
import PioneerTesting
import SurveyPlugin
import Testing

@Suite("Wilson interval")
struct WilsonIntervalTests {
    @Test func matchesPublishedBoundsFor81Of263() throws {
        let interval = try #require(ConfidenceInterval.wilson(successes: 81, trials: 263))
        #expect(abs(interval.lower - 0.25529) < 0.00001)
        #expect(abs(interval.upper - 0.36621) < 0.00001)
        #expect(interval.level == 0.95)
        #expect(interval.method == "wilson")
    }

    @Test func staysInsideZeroToOneAtTheExtremes() throws {
        let none = try #require(ConfidenceInterval.wilson(successes: 0, trials: 10))
        #expect(none.lower == 0)
        #expect(abs(none.upper - 0.27753) < 0.00001)
        let all = try #require(ConfidenceInterval.wilson(successes: 10, trials: 10))
        #expect(abs(all.lower - 0.72247) < 0.00001)
        #expect(all.upper <= 1)
    }

    @Test func hasNoIntervalWithoutTrials() {
        #expect(ConfidenceInterval.wilson(successes: 0, trials: 0) == nil)
        #expect(ConfidenceInterval.wilson(successes: 5, trials: 4) == nil)
    }
}

@Suite("survey plugin")
struct SurveyPluginTests {
    let quarter = Period.financialQuarter(2026, 1)

    func harness(_ extra: [(String, ConfigLiteral)] = []) throws -> PluginHarness<SurveyIndicatorPlugin> {
        var pairs: [(key: String, value: ConfigLiteral)] = [
            ("feed", "survey"), ("path", "/responses?from={period.start}&to={period.end}"),
            ("records", "$.responses[*]"), ("field", "tell_story_once"),
            ("agree", ["Strongly agree", "Agree"]), ("exclude", ["Don't know", "Not applicable"]),
            ("date_field", "completed_on"),
        ]
        for (key, value) in extra {
            pairs.removeAll { $0.key == key }
            pairs.append((key, value))
        }
        return try PluginHarness(SurveyIndicatorPlugin.self, config: .mapping(pairs),
                                 indicator: .example(.proportion, period: .financialQuarter))
    }

    @Test func sharesAgreeingWithNAndAWilsonInterval() throws {
        let observation = try harness().run(quarter, bodies: ["responses": Payload.body("survey-responses.json")])
        #expect(observation.numerator == 60)
        #expect(observation.denominator == 101)
        #expect(observation.sampleSize == 101)
        #expect(observation.value == 60.0 / 101)
        #expect(observation.interval == ConfidenceInterval.wilson(successes: 60, trials: 101))
        #expect(abs((observation.interval?.lower ?? 0) - 0.49655) < 0.00001)
    }

    @Test func dateFieldKeepsOnlyResponsesInThePeriod() throws {
        let harness = try harness()
        let june = try harness.run(.month(2026, 6), bodies: ["responses": Payload.body("survey-responses.json")])
        #expect(june.numerator == 52)
        #expect(june.sampleSize == 84)
    }

    @Test func readsACSVExport() throws {
        let observation = try harness([("format", "csv"), ("records", nil)])
            .run(.month(2026, 6), bodies: ["responses": Payload.body("survey-responses.csv")])
        #expect(observation.numerator == 33)
        #expect(observation.sampleSize == 54)
    }

    @Test func belowTheMinimumIsSuppressedKeepingN() throws {
        let body: FeedBody = #"{"responses": [{"tell_story_once": "Agree", "completed_on": "2026-05-02"}, {"tell_story_once": 4, "completed_on": "2026-05-03"}, {"tell_story_once": "  ", "completed_on": "2026-05-04"}]}"#
        let observation = try harness().run(quarter, bodies: ["responses": body])
        #expect(observation.notAvailable == NotAvailable(.suppressed, "n = 2, below the minimum of 30"))
        #expect(observation.sampleSize == 2)
        #expect(observation.value == nil)
        // The parts stay for the store (pooling, re-checks); what is shown hides them.
        #expect(observation.numerator == 1)
        #expect(observation.denominator == 2)
        #expect(observation.published == Observation(value: nil, sampleSize: 2, notAvailable: observation.notAvailable))
    }

    @Test func answersCompareIgnoringCaseAndSurroundingSpaces() throws {
        let body: FeedBody = #"[{"q": "strongly agree"}, {"q": " AGREE "}, {"q": "disagree"}, {"q": "don't KNOW"}]"#
        let observation = try harness([("records", nil), ("field", "q"), ("minimum_n", 1), ("date_field", nil)])
            .run(quarter, bodies: ["responses": body])
        #expect(observation.numerator == 2)
        #expect(observation.sampleSize == 3)
    }

    @Test func responsesWithNoListedAnswerFailNamingTheAnswersSeen() throws {
        let answers = Array(repeating: #"{"q": "Tout à fait d'accord"}"#, count: 12) + Array(repeating: #"{"q": "neither"}"#, count: 4)
            + [#"{"q": ""}"#]
        #expect {
            try harness([("records", nil), ("field", "q"), ("date_field", nil)])
                .run(quarter, bodies: ["responses": FeedBody("[" + answers.joined(separator: ",") + "]")])
        } throws: { error in
            (error as? PluginError)?.message == "no response to `q` in http://survey.test/responses?from=2026-04-01&to=2026-06-30 for FY2026-27 Q1 matched an answer listed in `agree` or `exclude`; answers seen: `Tout à fait d'accord` ×12, `neither` ×4 (answers compare ignoring case and surrounding spaces)"
        }
    }

    @Test func aPeriodOfListedDisagreementIsZeroPercentNotAnError() throws {
        let body: FeedBody = #"[{"q": "Disagree"}, {"q": "strongly disagree"}]"#
        let observation = try harness([("records", nil), ("field", "q"), ("minimum_n", 1), ("date_field", nil),
                                       ("disagree", ["Disagree", "Strongly disagree"])])
            .run(quarter, bodies: ["responses": body])
        #expect(observation.value == 0)
        #expect(observation.sampleSize == 2)
        #expect {
            try harness([("records", nil), ("field", "q"), ("minimum_n", 1), ("date_field", nil), ("exclude", nil)])
                .run(quarter, bodies: ["responses": body])
        } throws: { error in
            (error as? PluginError)?.message.hasPrefix("no response to `q` in http://survey.test/responses?from=2026-04-01&to=2026-06-30 for FY2026-27 Q1 matched an answer listed in `agree`; answers seen: `Disagree` ×1, `strongly disagree` ×1") == true
        }
    }

    @Test func aSmallMinimumPublishesSmallSamples() throws {
        let body: FeedBody = #"[{"q": "Agree"}, {"q": "Disagree"}, {"q": null}, {"other": 1}]"#
        let observation = try harness([("records", nil), ("field", "q"), ("minimum_n", 2), ("date_field", nil)])
            .run(quarter, bodies: ["responses": body])
        #expect(observation.value == 0.5)
        #expect(observation.sampleSize == 2)
    }

    @Test func noAnswersIsNoData() throws {
        let observation = try harness().run(quarter, bodies: ["responses": #"{"responses": []}"#])
        #expect(observation.notAvailable == NotAvailable(.noData, "no answers to `tell_story_once` in http://survey.test/responses?from=2026-04-01&to=2026-06-30 for FY2026-27 Q1"))
        #expect(observation.sampleSize == 0)
    }

    @Test func aRecordThatIsNotAnObjectIsAnError() throws {
        #expect {
            try harness().run(quarter, bodies: ["responses": #"{"responses": ["Agree"]}"#])
        } throws: { error in
            (error as? PluginError)?.message == "record `$['responses'][0]` selected by `$.responses[*]` in http://survey.test/responses?from=2026-04-01&to=2026-06-30 is a string `Agree`, expected an object"
        }
    }

    @Test func aMissingOrBadDateIsAnError() throws {
        #expect {
            try harness().run(quarter, bodies: ["responses": #"{"responses": [{"tell_story_once": "Agree", "completed_on": "last week"}]}"#])
        } throws: { error in
            (error as? PluginError)?.message == "field `completed_on` of record `$['responses'][0]` from http://survey.test/responses?from=2026-04-01&to=2026-06-30 is `last week`, not a date (expected YYYY-MM-DD, such as 2026-06-30)"
        }
    }

    @Test func aMissingCSVColumnIsAnErrorListingTheHeader() throws {
        #expect {
            try harness([("format", "csv"), ("records", nil), ("field", "tell_story")])
                .run(quarter, bodies: ["responses": Payload.body("survey-responses.csv")])
        } throws: { error in
            (error as? PluginError)?.message == "column `tell_story` is not in the CSV from http://survey.test/responses?from=2026-04-01&to=2026-06-30; its header is `respondent`, `completed_on`, `tell_story_once`, `involved_in_decisions`"
        }
    }

    @Test func configErrorsPointAtTheirKeys() {
        let issues = PluginHarness<SurveyIndicatorPlugin>.issues(configuring: [
            "feed": "survey", "path": "/r", "format": "csv", "records": "$[*]", "field": "q", "agree": [],
            "minimum_n": -1,
        ], indicator: .example(.count))
        #expect(issues.map(\.description) == [
            "<test>: error: config: the `survey` plugin computes a share agreeing, but indicator `test-indicator` has value_type `count`; set value_type to `proportion`",
            "<test>: error: config.minimum_n: must be 0 or more, found -1",
            "<test>: error: config.records: `records` picks response objects out of JSON; a CSV has one response per row, so remove it",
            "<test>: error: config.agree: list at least one answer that counts as agreeing, such as `[Strongly agree, Agree]`",
        ])
    }

    @Test func aRecordsPathThatNeedsTheWholeDocumentIsNotedByValidate() {
        let issues = PluginHarness<SurveyIndicatorPlugin>.issues(configuring: [
            "feed": "survey", "path": "/r", "records": "$..responses[*]", "field": "q", "agree": ["Agree"],
        ], indicator: .example(.proportion))
        #expect(issues.map(\.description) == [
            "<test>: note: config.records: `$..responses[*]` needs the whole document in memory (a `..`, a slice, a negative index, several selectors in one bracket, or `$` inside a filter), so a body is read whole, up to 64 MB; a path that descends to an array and filters its elements (`$.data[?@.band == '65+'].admissions`) runs over a body of any size",
        ])
        // A path to the responses, or to their array, streams: nothing to note.
        for records in ["$.responses[*]", "$.responses", "$.responses[?@.ward == 'A']"] {
            #expect(PluginHarness<SurveyIndicatorPlugin>.issues(configuring: [
                "feed": "survey", "path": "/r", "records": .scalar(records, quoted: true), "field": "q", "agree": ["Agree"],
            ], indicator: .example(.proportion)).isEmpty, "\(records)")
        }
    }
}
