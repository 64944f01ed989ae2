// The files `pioneer plugin new --swift` writes, into Plugins/<Folder>/ and Tests/PluginTests/ of the package. Placeholders such as
// __NAME__ are filled in by PluginScaffold; the texts live here so the binary needs no files beside it.

extension PluginTemplate {
    /// The Swift plugin's files.
    static let swift: [PluginTemplate] = [
        PluginTemplate(path: "Plugins/__FOLDER__/__FOLDER__IndicatorPlugin.swift", executable: false, text: ##"""
// The `__NAME__` plugin: __SUMMARY_LOWER__
public import PioneerKit
public import PioneerExtraction

/// Picks numbers out of a JSON feed with JSONPath and aggregates them (scaffolded by
/// `pioneer plugin new __NAME__ --swift`: change `observe` to compute your indicator).
public struct __FOLDER__IndicatorPlugin: IndicatorPlugin {
    public static let name = "__NAME__"
    public static let summary = "__SUMMARY__"

    /// `feed`, `path`, `select`, `aggregate`, `if_empty`: the `json` plugin's keys.
    public var extraction: JSONExtraction

    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> __FOLDER__IndicatorPlugin? {
        let reader = ConfigReader(config, issues: issues)
        let extraction = JSONExtraction.configure(reader, setup: setup)
        reader.finish()                     // unknown keys become errors with "did you mean"
        guard let extraction, !reader.hasErrors else { return nil }
        return __FOLDER__IndicatorPlugin(extraction: extraction)
    }

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [extraction.request(key: "document")]
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        let extracted = try extraction.extract(responses.require("document"), period: period)
        return extracted.observation
    }
}
"""##),
        PluginTemplate(path: "Plugins/__FOLDER__/sample.yaml", executable: false, text: ##"""
- id: __NAME__
  name: __TITLE__
  kind: outcome
  value_type: count
  unit: admissions
  period: month
  better: lower
  decimals: 0
  plugin: __NAME__
  config:
    feed: bi                                  # a feed declared under `feeds:`
    path: /__NAME__?month={period}            # appended to the feed's base_url
    select: "$.records[*].count"              # RFC 9535 JSONPath
    aggregate: sum                            # value (default) | count | sum | mean | min | max
    if_empty: no-data                         # no-data (default) | zero | error
"""##),
        PluginTemplate(path: "Plugins/__FOLDER__/README.md", executable: false, text: ##"""
# `__NAME__`: __SUMMARY_LOWER__

Scaffolded by `pioneer plugin new __NAME__ --swift`; say here what the plugin computes and
for whom. It reads the `json` plugin's keys (JSONExtraction) until you change it.

## Configuration

```yaml
__SAMPLE__
```

## Output

The value the JSONPath `select` picks, aggregated by `aggregate`. Nothing matched:
`if_empty` decides (not available "no data" by default).

## Errors

- "`$.records[*].count` in http://... should select numbers, but `$['records'][1]['count']` (match 2 of 3) is a string `n/a`"
- "unknown key `selct` (did you mean `select`?)", at its line in the site file

## Example

For `{"records": [{"ward": "A", "count": 5}, {"ward": "B", "count": 4}, {"ward": "C", "count": 3}]}`
the sample gives 12 (Tests/PluginTests/Payloads/__NAME__/document.json).
"""##),
        PluginTemplate(path: "Tests/PluginTests/__FOLDER__PluginTests.swift", executable: false, text: ##"""
// Tests of the `__NAME__` plugin with PioneerTesting: the harness runs it as the host does,
// on feed bodies recorded under Payloads/__NAME__/.
import Foundation
import PioneerKit
import PioneerTesting
import Testing
import __FOLDER__Plugin

@Suite("__NAME__ plugin")
struct __FOLDER__PluginTests {
    static let config: ConfigLiteral = [
        "feed": "bi",
        "path": "/__NAME__?month={period}",
        "select": "$.records[*].count",
        "aggregate": "sum",
    ]

    /// Payloads/__NAME__/ beside this file: `document.json` answers the request `document`.
    static let recorded = RecordedFeeds(folder: URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Payloads/__NAME__"))

    @Test func sumsTheRecordedCounts() throws {
        let harness = try PluginHarness(__FOLDER__IndicatorPlugin.self, config: Self.config)
        let observation = try harness.run(.month(2026, 6), recorded: Self.recorded)
        #expect(observation.value == 12)
    }

    @Test func asksForTheMonthsDocument() throws {
        let harness = try PluginHarness(__FOLDER__IndicatorPlugin.self, config: Self.config)
        let request = try #require(try harness.requests(for: .month(2026, 6)).first)
        #expect(try PluginHarness<__FOLDER__IndicatorPlugin>.url(for: request, period: .month(2026, 6)) == "http://bi.test/__NAME__?month=2026-06")
    }

    @Test func noRecordsIsNoData() throws {
        let harness = try PluginHarness(__FOLDER__IndicatorPlugin.self, config: Self.config)
        let observation = try harness.run(.month(2026, 6), bodies: ["document": #"{"records": []}"#])
        #expect(observation.notAvailable?.reason == .noData)
    }

    @Test func aMisspeltKeyIsAnErrorWithASuggestion() {
        let issues = PluginHarness<__FOLDER__IndicatorPlugin>.issues(configuring: [
            "feed": "bi", "path": "/__NAME__", "selct": "$.total",
        ])
        #expect(issues.contains { $0.message.contains("did you mean `select`?") }, "\(issues.map(\.message))")
    }
}
"""##),
        PluginTemplate(path: "Tests/PluginTests/Payloads/__NAME__/document.json", executable: false, text: ##"""
{"records": [{"ward": "A", "count": 5}, {"ward": "B", "count": 4}, {"ward": "C", "count": 3}]}
"""##),
    ]
}
