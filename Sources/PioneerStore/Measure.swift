// A stored measure: an observation for one indicator and period, with where it came from.
public import Foundation
public import PioneerKit

/// One feed response that contributed to a measure.
public struct FeedSource: Sendable, Hashable, Codable {
    /// The feed's name in the site YAML.
    public var feed: String
    /// The URL fetched, with any credentials removed.
    public var url: String
    public var fetchedAt: Date
    /// `sha256:` followed by the hex digest of the body.
    public var contentHash: String
    public var status: Int

    public init(feed: String, url: String, fetchedAt: Date, contentHash: String, status: Int) {
        self.feed = feed
        self.url = url
        self.fetchedAt = fetchedAt
        self.contentHash = contentHash
        self.status = status
    }
}

/// Where a measure came from: the plugin and the feed responses it read.
public struct Provenance: Sendable, Hashable, Codable {
    public var plugin: String
    public var sources: [FeedSource]
    public var collectedAt: Date

    public init(plugin: String, sources: [FeedSource], collectedAt: Date) {
        self.plugin = plugin
        self.sources = sources
        self.collectedAt = collectedAt
    }
}

/// A measure of one indicator for one period, with its provenance.
public struct Measure: Sendable, Hashable, Codable {
    public var indicatorID: String
    public var period: Period
    public var observation: Observation
    public var provenance: Provenance

    public init(indicatorID: String, period: Period, observation: Observation, provenance: Provenance) {
        self.indicatorID = indicatorID
        self.period = period
        self.observation = observation
        self.provenance = provenance
    }
}
