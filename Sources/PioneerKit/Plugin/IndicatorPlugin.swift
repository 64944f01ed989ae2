// The indicator plugin protocol: the contract between the host and every plugin.

/// Computes one indicator from feed responses.
///
/// A plugin is configured once per indicator from its `config:` section, then,
/// for each period, says which feeds it needs and turns their responses into an
/// ``Observation``. It never does HTTP itself: the host fetches, retries,
/// authenticates and caches, and records provenance.
///
/// Everything crossing this protocol is plain data (a config tree, requests,
/// response bodies, an observation), so an adapter can run a plugin written in
/// another language as an external process.
///
/// <doc:ImplementingAnIndicatorPlugin> walks through each requirement. This plugin reads
/// JSON with `json()`, from `PioneerExtraction`:
///
/// ```swift
/// struct CountPlugin: IndicatorPlugin {
///     static let name = "count"
///     static let summary = "Counts the items of a JSON array."
///     var path: String
///
///     static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> CountPlugin? {
///         let reader = ConfigReader(config, issues: issues)
///         let path = reader.string("path", required: true)
///         reader.finish()
///         return path.map { CountPlugin(path: $0) }
///     }
///     func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
///         [FeedRequest(key: "items", feed: "bi", path: path)]
///     }
///     func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
///         let items = try responses.require("items").json()
///         return .value(Double(items.arrayValue?.count ?? 0))
///     }
/// }
/// ```
public protocol IndicatorPlugin: Sendable {
    /// The name a site YAML uses in `plugin:`.
    static var name: String { get }
    /// One line for `pioneer plugins` and the docs.
    static var summary: String { get }

    /// Reads and checks this plugin's `config:` section.
    ///
    /// Report every problem to `issues` at the node it concerns (use
    /// ``ConfigReader``), and return nil when the configuration is unusable.
    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> Self?

    /// The feed requests needed to compute `period`.
    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest]

    /// Computes the observation for `period` from the responses to ``requests(for:context:)``.
    ///
    /// Throw ``PluginError`` when the data cannot be read; return
    /// ``Observation/notAvailable(_:_:sampleSize:)`` when it is read but gives no publishable value.
    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation
}
