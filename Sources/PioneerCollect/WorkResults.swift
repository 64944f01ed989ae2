// What the run's work comes to: a fetch's response taken in, and an indicator-period
// computed; the values ActiveRun passes between its threads.
import Foundation
import PioneerKit
import PioneerStore

/// A fetch's result, taken in for the plugins (``FetchJob/take(_:)``).
struct ReceivedResponse: Sendable {
    /// The body for the plugins, or why there is none.
    var body: Result<FetchedBody, FetchFailure>
    /// The server answered `304 Not Modified`.
    var notModified: Bool
    /// The feed cache update that goes with it, committed with the next batch.
    var cacheUpdate: StoreWrite?
}

/// A response body ready for plugins, with what provenance records about it.
struct FetchedBody: Sendable {
    var url: String
    /// The status of the response that carried the body (200 even when revalidated).
    var status: Int
    /// The status on the wire this run: 304 when the cached body was confirmed.
    var wireStatus: Int
    var headers: [String: String]
    /// In memory, or in a file for a large body.
    var body: FeedResponse.Body
    var contentHash: String
    var fetchedAt: Date
}

/// Why a URL gave no body.
struct FetchFailure: Error, Sendable {
    var message: String
    /// The fetch was cancelled because the run was interrupted.
    var cancelled = false
}

/// What computing an indicator-period came to (``WorkItem/compute(responses:site:logger:)``).
enum Completion: Sendable {
    /// Nothing to store: failed or skipped, with the reason (written to the run's record).
    case settled(PeriodResult)
    /// A measure to store, and the result to report once it is.
    case store(Measure, PeriodResult)
}
