// Sites and plugins built in code for engine tests: a plugin that reads fields of
// a JSON document, so the tests depend on nothing but PioneerKit.
import Foundation
import PioneerCore
import PioneerKit
import PioneerExtraction
import PioneerStore
import PioneerTesting

/// Reads `{"value": …, "numerator": …, "denominator": …}` from `path` on `feed`;
/// `{"missing": "…"}` gives "no data", `{"broken": "…"}` makes the plugin throw.
struct FieldsPlugin: IndicatorPlugin {
    static let name = "fields"
    static let summary = "Reads value, numerator and denominator fields of a JSON document (tests)."
    var feed: String
    var path: String

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> FieldsPlugin? {
        let reader = ConfigReader(config, issues: issues)
        let feed = reader.string("feed", required: true)
        let path = reader.string("path", required: true)
        reader.finish()
        guard let feed, let path else { return nil }
        return FieldsPlugin(feed: feed, path: path)
    }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [FeedRequest(key: "data", feed: feed, path: path)]
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        guard let object = try responses.require("data").json().objectValue else {
            throw PluginError("expected a JSON object")
        }
        if let broken = object["broken"]?.stringValue { throw PluginError(broken) }
        if let missing = object["missing"]?.stringValue { return .notAvailable(.noData, missing) }
        guard let value = object["value"]?.numberValue else {
            throw PluginError("no `value` field in \(try responses.require("data").url)")
        }
        return .value(value, numerator: object["numerator"]?.numberValue, denominator: object["denominator"]?.numberValue)
    }
}

/// A plugin whose `requests` throws, for the planning failure path.
struct RefusingPlugin: IndicatorPlugin {
    static let name = "refusing"
    static let summary = "Refuses every period (tests)."

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> RefusingPlugin? {
        RefusingPlugin()
    }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        throw PluginError("period \(period.label) is before the feed's first month")
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        throw PluginError("unreachable")
    }
}

enum TestSite {
    /// An indicator reading `path` with ``FieldsPlugin``.
    static func indicator(_ id: String, path: String, valueType: ValueType = .count,
                          period: PeriodType = .month) -> (IndicatorSpec, any IndicatorPlugin) {
        let definition = IndicatorDefinition(id: id, name: "Indicator \(id)", kind: .outcome, valueType: valueType,
                                             unit: "things", periodType: period, better: .lower, decimals: 1)
        let spec = IndicatorSpec(definition: definition, plugin: FieldsPlugin.name, config: .mapping([]), location: .unknown())
        return (spec, FieldsPlugin(feed: "bi", path: path))
    }

    /// A site `id` with one feed `bi` at `baseURL` (no retries) and the given indicators.
    static func site(baseURL: String, _ indicators: [(IndicatorSpec, any IndicatorPlugin)],
                     directory: String = "/tmp/unused", id: String = "testshire") -> (Site, [String: any IndicatorPlugin]) {
        let feed = FeedDefinition(name: "bi", baseURL: baseURL, connectTimeout: 60, timeout: 120,
                                  retry: RetryPolicy(retries: 0, backoff: 0.01))
        let site = Site(id: id, name: id.capitalized, region: "Nowhere", wave: "Test wave", focus: ["tests"],
                        population: ["total": 1000], feeds: [feed], indicators: indicators.map(\.0), goals: [],
                        directory: directory, file: directory + "/site.yaml")
        var plugins: [String: any IndicatorPlugin] = [:]
        for (spec, plugin) in indicators { plugins[spec.definition.id] = plugin }
        return (site, plugins)
    }

    /// Calls `body` with a new store in a temporary folder, and the folder, removed afterwards.
    static func withStore<T>(_ body: (MeasureStore, _ folder: URL) async throws -> T) async throws -> T {
        try await withTemporaryFolder(prefix: "pioneer-collect") { folder in
            try await body(try MeasureStore(path: folder.appendingPathComponent("store.sqlite").path), folder)
        }
    }

    /// The day after June 2026 ends: every 2026 period up to June is due.
    static let julyFirst = CalendarDate(year: 2026, month: 7, day: 1) ?? CalendarDate(dayNumber: 0)
}
