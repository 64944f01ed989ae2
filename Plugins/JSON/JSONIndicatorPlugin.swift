// The `json` plugin: an indicator's value is one number read from a JSON feed.
public import PioneerKit
public import PioneerExtraction

/// Reads an indicator's value from a JSON feed with a JSONPath and an aggregate.
///
/// The whole `config:` is a ``JSONExtraction`` block; see `Plugins/JSON/README.md`.
public struct JSONIndicatorPlugin: IndicatorPlugin {
    public static let name = "json"
    public static let summary = "A number from a JSON feed, picked with a JSONPath and optionally summed, counted or averaged."

    /// The one request's key.
    static let requestKey = "document"

    public let extraction: JSONExtraction

    public init(extraction: JSONExtraction) {
        self.extraction = extraction
    }

    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> JSONIndicatorPlugin? {
        guard !config.isNull else {
            issues.error("the `json` plugin needs a `config:` mapping with at least `feed`, `path` and `select`", at: config)
            return nil
        }
        let reader = ConfigReader(config, issues: issues)
        let extraction = JSONExtraction.configure(reader, setup: setup)
        reader.finish()
        return extraction.map(JSONIndicatorPlugin.init)
    }

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [extraction.request(key: Self.requestKey)]
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        try extraction.extract(responses.require(Self.requestKey), period: period).observation(as: context.indicator.valueType)
    }
}
