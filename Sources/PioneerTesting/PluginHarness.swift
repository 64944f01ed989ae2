// Runs an indicator plugin the way the host does, without HTTP: configure, request, observe.
import Foundation
public import PioneerKit

/// Configures a plugin against a fake site and runs it on bodies given by the test.
///
/// ```swift
/// let harness = try PluginHarness(JSONIndicatorPlugin.self, config: [
///     "feed": "bi", "path": "/admissions?month={period}", "select": "$.total",
/// ])
/// let observation = try harness.run(.month(2026, 6), bodies: ["document": #"{"total": 12}"#])
/// #expect(observation.value == 12)
/// ```
///
/// Responses get the URL the host would fetch if the feed's `base_url` were
/// `http://<feed>.test`, built by the host's own code, so a test can check that an error
/// message names the URL exactly as a user would see it.
public struct PluginHarness<Plugin: IndicatorPlugin>: Sendable {
    public let plugin: Plugin
    public let setup: PluginSetup
    public var context: PluginContext

    /// Configures `Plugin` from `config`; throws the configuration's issues when it is unusable.
    public init(_ type: Plugin.Type = Plugin.self, config: ConfigNode, indicator: IndicatorDefinition = .example(),
                site: SiteInfo = .testSite, feeds: Set<String> = SiteInfo.testFeeds) throws(ConfigError) {
        let setup = PluginSetup(site: site, indicator: indicator, feeds: feeds)
        let issues = IssueCollector()
        let plugin = Plugin.configure(config, setup: setup, issues: issues)
        try issues.throwIfErrors()
        guard let plugin else {
            throw ConfigError([ConfigIssue(at: config.location, path: config.path,
                                           "the `\(Plugin.name)` plugin rejected its configuration without saying why")])
        }
        self.plugin = plugin
        self.setup = setup
        self.context = PluginContext(site: site, indicator: indicator)
    }

    /// Configures `Plugin` from a literal tree (root path `config`).
    public init(_ type: Plugin.Type = Plugin.self, config: ConfigLiteral, indicator: IndicatorDefinition = .example(),
                site: SiteInfo = .testSite, feeds: Set<String> = SiteInfo.testFeeds) throws(ConfigError) {
        try self.init(type, config: config.node(), indicator: indicator, site: site, feeds: feeds)
    }

    /// The issues configuring `Plugin` from `config` reports, for testing config errors.
    public static func issues(configuring config: ConfigLiteral, indicator: IndicatorDefinition = .example(),
                              site: SiteInfo = .testSite, feeds: Set<String> = SiteInfo.testFeeds) -> [ConfigIssue] {
        let issues = IssueCollector()
        _ = Plugin.configure(config.node(), setup: PluginSetup(site: site, indicator: indicator, feeds: feeds), issues: issues)
        return issues.issues
    }

    /// The plugin's requests for `period`.
    public func requests(for period: Period) throws -> [FeedRequest] {
        try plugin.requests(for: period, context: context)
    }

    /// A successful response to `request` carrying `body`, at the request's URL on `http://<feed>.test`.
    /// - Throws: ``HarnessError`` when the request's templates give no URL, as the host would refuse it.
    public func response(to request: FeedRequest, period: Period, body: FeedBody) throws(HarnessError) -> FeedResponse {
        FeedResponse(key: request.key, feed: request.feed, url: try Self.url(for: request, period: request.period ?? period),
                     status: body.status, body: body.data)
    }

    /// The plugin's observation for `period` from ready-made responses.
    public func observe(_ period: Period, responses: [FeedResponse]) throws -> Observation {
        try plugin.observe(period: period, responses: FeedResponses(responses), context: context)
    }

    /// Asks the plugin for its requests, answers each from `bodies` (by request key), and observes.
    ///
    /// Throws ``HarnessError`` when the plugin asks for a key `bodies` lacks, or `bodies`
    /// holds a key the plugin did not ask for: both are mistakes in the test.
    public func run(_ period: Period, bodies: [String: FeedBody]) throws -> Observation {
        let requests = try requests(for: period)
        let asked = Set(requests.map(\.key))
        let given = bodies.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")
        var responses: [FeedResponse] = []
        for request in requests {
            guard let body = bodies[request.key] else {
                throw HarnessError("the `\(Plugin.name)` plugin asked for `\(request.key)` (feed `\(request.feed)`, \(request.path)) but the test gave bodies only for \(given.isEmpty ? "nothing" : given)")
            }
            responses.append(try response(to: request, period: period, body: body))
        }
        for key in bodies.keys.sorted() where !asked.contains(key) {
            throw HarnessError("the test gave a body for `\(key)` but the `\(Plugin.name)` plugin asked only for \(asked.sorted().map { "`\($0)`" }.joined(separator: ", "))")
        }
        return try observe(period, responses: responses)
    }

    /// The URL the host would fetch for `request` in `period` if its feed's `base_url` were
    /// `http://<feed>.test`: ``FeedPathTemplate/url(base:path:query:values:)``, as in production.
    /// - Throws: ``HarnessError`` when the templates hold an unknown placeholder or a bad
    ///   brace, or the path climbs out of the base URL.
    public static func url(for request: FeedRequest, period: Period) throws(HarnessError) -> String {
        do {
            return try FeedPathTemplate.url(base: "http://\(request.feed).test", path: request.path, query: request.query,
                                            values: FeedPathTemplate.values(for: period))
        } catch {
            let problem = switch error {
            case .malformed(let problem, let template): "has \(problem) in `\(template)`"
            case .unknownPlaceholders(let names): "uses unknown placeholders \(names.map { "{\($0)}" }.joined(separator: ", "))"
            case .climbsOutOfBase(_, let resolved): "climbs out of its base URL with `..` (it would request \(resolved))"
            }
            throw HarnessError("the request `\(request.key)` (feed `\(request.feed)`, \(request.path)) \(problem)")
        }
    }
}

/// A mistake in a test that uses ``PluginHarness`` or ``LocalFeedServer``.
public struct HarnessError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
