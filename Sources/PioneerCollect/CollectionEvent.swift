// Progress of a collection run, for a progress line or a log.

/// Something that happened during ``CollectionEngine/collect(site:plugins:periods:onEvent:)``.
public enum CollectionEvent: Sendable {
    /// The run is planned: `total` indicator-periods and `urls` distinct URLs to fetch.
    case planned(site: String, total: Int, urls: Int)
    /// A fetch started; `url` has credentials removed.
    case fetchStarted(feed: String, url: String)
    /// A fetch ended; `error` is nil on success (including a 304).
    case fetchFinished(feed: String, url: String, notModified: Bool, error: String?)
    /// One indicator-period is done, and written to the store when there was something to write.
    case completed(site: String, result: PeriodResult)
    /// The run stopped early because its store refuses every write (the disk is full, the
    /// file is read-only or corrupt); the indicator-periods left are not collected, and are
    /// not reported one by one.
    case stopped(site: String, reason: String)
}
