// `due_after`: a period is not collected until its data is complete, and the run
// says when it will be. Parsing, the YAML key's errors, and the engine with a fixed today.
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite struct DueLagParsingTests {
    @Test func daysWeeksAndMonthsAreReadCaseBlindInSingularOrPlural() throws {
        #expect(try DueLag(parsing: "30 days") == DueLag(count: 30, unit: .days))
        #expect(try DueLag(parsing: "1 Week") == DueLag(count: 1, unit: .weeks))
        #expect(try DueLag(parsing: "2 MONTHS") == DueLag(count: 2, unit: .months))
        #expect(try DueLag(parsing: "0 days").description == "0 days")
        #expect(DueLag(count: 1, unit: .months).description == "1 month")
    }

    @Test func aMarchReadmissionRateWithThirtyDaysIsDueOnTheFirstOfMay() {
        let lag = DueLag(count: 30, unit: .days)
        #expect(lag.dueDate(of: .month(2026, 3)).description == "2026-05-01")
        #expect(DueLag(count: 13, unit: .weeks).dueDate(of: .month(2026, 3)).description == "2026-07-01")
        #expect(DueLag(count: 1, unit: .months).dueDate(of: .month(2026, 1)).description == "2026-03-01")
        // A quarter ending in March, plus three months: July 1st.
        #expect(DueLag(count: 3, unit: .months).dueDate(of: .quarter(2026, 1)).description == "2026-07-01")
    }

    @Test func monthsFromAWeekEndAreClampedToTheMonthsLength() throws {
        // ISO week 2026-W05 ends on Sunday February 1st; the day after is February 2nd.
        let week = try #require(Period.isoWeek(2026, 5))
        #expect(DueLag(count: 1, unit: .months).dueDate(of: week).description == "2026-03-02")
        // 2026-W09 ends on Sunday March 1st: March 2nd plus eleven months is February 2nd.
        let later = try #require(Period.isoWeek(2026, 9))
        #expect(DueLag(count: 11, unit: .months).dueDate(of: later).description == "2027-02-02")
    }

    @Test func withoutALagAPeriodIsDueTheDayAfterItEnds() {
        let definition = IndicatorDefinition(id: "x", name: "X", kind: .outcome, valueType: .count, unit: "u",
                                             periodType: .month, better: .lower)
        #expect(definition.dueDate(of: .month(2026, 2)).description == "2026-03-01")
    }

    @Test(arguments: [
        ("30", "expected a wait after the period ends, found `30`; write a count and a unit, such as `30 days`, `6 weeks` or `2 months`"),
        ("thirty days", "`thirty` is not a whole number of days, weeks or months; write a count and a unit, such as `30 days`, `6 weeks` or `2 months`"),
        ("30 fortnights", "unknown unit `fortnights`; use days, weeks or months, as in `30 days`"),
        ("-3 days", "a wait cannot be negative, found `-3 days`"),
        ("40 months", "at most 36 months (about three years), found `40 months`"),
        ("99999999999999999999 days", "`99999999999999999999` is not a whole number of days, weeks or months; write a count and a unit, such as `30 days`, `6 weeks` or `2 months`"),
    ])
    func anUnusableWaitIsRefusedWithWhatToWrite(text: String, message: String) {
        let error = #expect(throws: DueLagError.self) { try DueLag(parsing: text) }
        #expect(error?.message == message)
    }
}

@Suite struct DueAfterConfigTests {
    static func load(dueAfter: String) throws -> LoadedSite {
        try withTemporaryFolder(prefix: "pioneer-due") { folder in
            let site = folder.appendingPathComponent("dueshire")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            let yaml = """
                site:
                  id: dueshire
                  name: Dueshire
                  region: Test
                  wave: Test wave
                  focus: [tests]
                feeds:
                  bi:
                    base_url: http://127.0.0.1:9/api
                indicators:
                  - id: readmissions
                    name: Readmissions within 30 days
                    kind: outcome
                    value_type: count
                    unit: readmissions
                    period: month
                    better: lower
                    due_after: \(dueAfter)
                    plugin: fields
                    config:
                      feed: bi
                      path: /readmissions
                """
            try yaml.write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            return try SiteLoader(plugins: .testing([PluginFactory(FieldsPlugin.self)]), environment: [:]).load(directory: site.path)
        }
    }

    @Test func dueAfterIsReadIntoTheDefinition() throws {
        let loaded = try Self.load(dueAfter: "30 days")
        #expect(loaded.site.indicators.first?.definition.dueAfter == DueLag(count: 30, unit: .days))
    }

    @Test func anUnusableDueAfterIsAnErrorAtItsLineAndColumn() {
        let error = #expect(throws: ConfigError.self) { try Self.load(dueAfter: "30 dayz") }
        let messages = error?.issues.map(\.description) ?? []
        #expect(messages.contains { $0.hasSuffix("site.yaml:18:16: error: indicators[0].due_after: unknown unit `dayz`; use days, weeks or months, as in `30 days`") },
                "\(messages)")
    }

    @Test func aDueAfterThatIsNotTextIsAnErrorAtItsLineAndColumn() {
        let error = #expect(throws: ConfigError.self) { try Self.load(dueAfter: "[30, days]") }
        let messages = error?.issues.map(\.description) ?? []
        #expect(messages.contains { $0.contains("site.yaml:18:16: error: indicators[0].due_after: expected a wait such as `30 days`, `6 weeks` or `2 months`, found a list") },
                "\(messages)")
    }
}

@Suite(.timeLimit(.minutes(5)))
struct DueAfterCollectionTests {
    /// A monthly readmission count that is complete 30 days after its month ends.
    private func site(_ baseURL: String) -> (Site, [String: any IndicatorPlugin]) {
        var (spec, plugin) = TestSite.indicator("readmissions", path: "/readmissions")
        spec.definition.dueAfter = DueLag(count: 30, unit: .days)
        return TestSite.site(baseURL: baseURL, [(spec, plugin), TestSite.indicator("admissions", path: "/admissions")])
    }

    private func collect(today: CalendarDate, feed: LocalFeedServer, store: MeasureStore) async throws -> CollectionSummary {
        let (site, plugins) = site(feed.baseURL)
        let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                                      options: .init(maxParallel: 2, today: today, command: "test"))
        return try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 3)))
    }

    @Test func aPeriodWithinItsLagIsNotYetDueAndTheReportSaysWhenItWillBe() async throws {
        let feed = LocalFeedServer()
        feed.serve("/readmissions", .json(#"{"value": 41}"#))
        feed.serve("/admissions", .json(#"{"value": 300}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                // April 30th: March has ended, but its 30-day follow-up has not.
                let early = try await collect(today: try #require(CalendarDate(year: 2026, month: 4, day: 30)), feed: feed, store: store)
                #expect(feed.responses(to: "/readmissions").isEmpty)
                #expect(feed.responses(to: "/admissions") == [200])
                let skipped = try #require(early.indicators.first { $0.id == "readmissions" }?.results.first)
                #expect(skipped.outcome == .skipped)
                #expect(skipped.dueOn == "2026-05-01")
                #expect(skipped.reason == "not yet due: 2026-03 is due on 2026-05-01 (30 days after the period ends on 2026-03-31)")
                #expect(early.exitStatus == 0)
                #expect(CollectionReport.render(early).contains(
                    "Not yet due (skipped):\n  readmissions 2026-03: 2026-03 is due on 2026-05-01 (30 days after the period ends on 2026-03-31)"))
                #expect(try store.outcomes(runID: early.runID).first { $0.indicator == "readmissions" }?.kind == .skipped)

                // May 1st: due, and collected.
                let due = try await collect(today: try #require(CalendarDate(year: 2026, month: 5, day: 1)), feed: feed, store: store)
                #expect(due.indicators.first { $0.id == "readmissions" }?.results.first?.outcome == .collected)
                #expect(feed.responses(to: "/readmissions") == [200])
            }
        }
    }
}
