// A valid site file to start from, a small plugin to configure, and helpers that
// load YAML text and find the issue a test expects.
import Foundation
import PioneerKit
import PioneerTesting
import PioneerCore
import Testing
@testable import PioneerConfig

/// A plugin for tests that reads `feed` and `path`, so site tests need no real plugin.
struct FeedCountPlugin: IndicatorPlugin {
    static let name = "feed-count"
    static let summary = "Counts the items a feed returns (tests only)."
    var feed: String
    var path: String

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> FeedCountPlugin? {
        let reader = ConfigReader(config, issues: issues)
        let feed = reader.string("feed", required: true)
        let path = reader.string("path", required: true)
        reader.finish()
        guard let feed, let path, setup.checkFeed(feed, at: config["feed"], issues: issues) else { return nil }
        return FeedCountPlugin(feed: feed, path: path)
    }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [FeedRequest(key: "items", feed: feed, path: path, period: period)]
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        .value(0)
    }
}

enum SiteFixture {
    static let directory = "sites/torbay"
    static let file = "sites/torbay/site.yaml"
    static let environment = ["TORBAY_BI_TOKEN": "secret-token"]

    /// A valid site; the line numbers in the tests refer to this text.
    static let valid = """
    site:
      id: torbay
      name: Torbay and South Devon
      region: South West
      wave: Integrated Care Pilot (2009)
      focus: [older people, intermediate care]

    population:
      total: 136000
      aged_65_plus: 35400

    feeds:
      bi:
        base_url: https://bi.torbay.nhs.uk/api
        auth:
          type: bearer
          token: ${TORBAY_BI_TOKEN}
        timeout: 30
        max_body: 5MB
        headers:
          X-Api-Version: "2"

    indicators:
      - id: emergency-admissions-65
        name: Emergency admissions, aged 65+
        kind: outcome
        value_type: rate
        unit: admissions per 1,000 aged 65+
        period: month
        better: lower
        per: 1000
        plugin: feed-count
        config:
          feed: bi
          path: /admissions?month={period}
      - id: still-at-home-91
        name: Still at home 91 days after reablement
        kind: outcome
        value_type: proportion
        unit: "%"
        period: fy-quarter
        better: higher
        decimals: 1
        plugin: feed-count
        config:
          feed: bi
          path: /reablement

    goals:
      - id: fewer-emergency-admissions
        indicator: emergency-admissions-65
        title: Reduce emergency admissions of people aged 65+ by 10% by March 2027
        baseline: { period: 2024-04, value: 23.5 }
        target: { period: 2027-03, value: 21.2 }
        trajectory:
          - { period: 2025-03, value: 22.8 }
        self_assessment:
          confidence: high
          rag: green
          narrative: Frailty hubs opened in all five localities.
          as_of: 2026-10-31

    """

    /// The valid site with `old` (which must occur exactly once) replaced by `new`.
    static func replacing(_ old: String, with new: String) -> String {
        if valid.components(separatedBy: old).count != 2 {
            Issue.record("fixture text `\(old)` must occur exactly once in the valid site")
        }
        return valid.replacingOccurrences(of: old, with: new)
    }

    static func loader(environment: [String: String] = environment, requireSecrets: Bool = false) -> SiteLoader {
        SiteLoader(plugins: .testing([PluginFactory(FeedCountPlugin.self)]), environment: environment, requireSecrets: requireSecrets)
    }

    /// Loads `text` as sites/torbay/site.yaml.
    static func load(_ text: String, loader: SiteLoader = loader()) throws(ConfigError) -> LoadedSite {
        try loader.load(text: text, directory: directory, file: file)
    }

    /// The issues loading `text` reports; empty when it loads without warnings.
    static func issues(_ text: String, loader: SiteLoader = loader()) -> [ConfigIssue] {
        do {
            return try load(text, loader: loader).warnings
        } catch {
            return error.issues
        }
    }
}

/// Filling a temporary folder (from PioneerTesting's `withTemporaryFolder`) with site files.
extension URL {
    /// Writes `contents` to `relativePath` under this folder, creating folders on the way.
    func write(_ relativePath: String, _ contents: String) throws {
        try write(relativePath, Data(contents.utf8))
    }

    func write(_ relativePath: String, _ data: Data) throws {
        let url = appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }
}

extension Array where Element == ConfigIssue {
    /// The first issue whose message contains `fragment`.
    func first(containing fragment: String) -> ConfigIssue? {
        first { $0.message.contains(fragment) }
    }

    /// Every issue as `line:column: severity: path: message`, for failure output.
    var listing: String {
        map { "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.path): \($0.message)" }
            .joined(separator: "\n")
    }
}
