// The `csv` plugin: an indicator's value counts, sums or averages the matching rows of a CSV export.
public import PioneerKit
public import PioneerExtraction

/// Reads an indicator's value from a CSV feed: filter rows, then count, sum or average.
///
/// The whole `config:` is a ``CSVExtraction`` block; see `Plugins/CSV/README.md`.
public struct CSVIndicatorPlugin: IndicatorPlugin {
    public static let name = "csv"
    public static let summary = "Counts, sums or averages the rows of a CSV export that match filters and fall in the period."

    /// The one request's key.
    static let requestKey = "export"

    public let extraction: CSVExtraction

    public init(extraction: CSVExtraction) {
        self.extraction = extraction
    }

    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> CSVIndicatorPlugin? {
        guard !config.isNull else {
            issues.error("the `csv` plugin needs a `config:` mapping with at least `feed`, `path` and `aggregate`", at: config)
            return nil
        }
        let reader = ConfigReader(config, issues: issues)
        let extraction = CSVExtraction.configure(reader, setup: setup)
        reader.finish()
        return extraction.map(CSVIndicatorPlugin.init)
    }

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [extraction.request(key: Self.requestKey)]
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        try extraction.extract(responses.require(Self.requestKey), period: period).observation(as: context.indicator.valueType)
    }
}
