// The `waiting-list` plugin: patients waiting longer than a threshold, from the PAS JSON API.
public import PioneerKit
import PioneerExtraction

/// Counts the patients on the PAS waiting list who have waited longer than `weeks` weeks.
public struct WaitingListIndicatorPlugin: IndicatorPlugin {
    public static let name = "waiting-list"
    public static let summary = "Patients waiting longer than a threshold, from the PAS JSON API."
    let feed: String
    let weeks: Int

    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> Self? {
        let reader = ConfigReader(config, issues: issues)
        let feed = reader.string("feed", required: true)
        let weeks = reader.int("weeks") ?? 18
        if let feed { setup.checkFeed(feed, at: reader.node("feed"), issues: issues) }
        reader.finish()                       // unknown keys are errors, with "did you mean"
        guard let feed, !reader.hasErrors else { return nil }   // errors in this section only
        return Self(feed: feed, weeks: weeks)
    }

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [FeedRequest(key: "list", feed: feed, path: "/waiting?at={period.end}")]
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        let patients = try responses.require("list").json().arrayValue ?? []
        let long = patients.filter { ($0.objectValue?["weeks"]?.numberValue ?? 0) > Double(weeks) }
        return .value(Double(long.count))
    }
}
