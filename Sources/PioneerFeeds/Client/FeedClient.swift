// The feed client: fetches feed URLs with the feed's auth, limits and retry policy.
public import Foundation
public import Logging
import PioneerCore

/// Fetches URLs from a site's feeds, concurrently, retrying what is worth retrying.
///
/// Every failure comes back as a ``FeedError`` value; one failing feed never stops
/// the others. Credentials are read from `environment` at request time and never
/// appear in errors or logs.
///
/// ```swift
/// let client = FeedClient()
/// let url = try FeedURL.resolve(request, feed: bi, period: period)
/// switch await client.fetch(FeedFetchRequest(feed: bi, url: url)) {
/// case .success(let result): store(result.body)
/// case .failure(let error): print(error)   // feed "bi": GET https://… failed: HTTP 503 … after 3 attempts
/// }
/// ```
public final class FeedClient: Sendable {
    private let transport: any FeedTransport
    private let environment: [String: String]
    private let logger: Logger

    /// - Parameters:
    ///   - transport: how requests go on the wire; nil for a ``CurlTransport`` bounded by `limits`.
    ///   - environment: where `${VAR}` credentials and header values are read.
    ///   - limits: parallel transfers overall and per host (used by the default transport).
    ///   - logger: receives a line per attempt and retry; never secrets.
    public init(transport: (any FeedTransport)? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                limits: FeedClientLimits = .init(),
                logger: Logger = Logger(label: "pioneer.feeds")) {
        self.transport = transport ?? CurlTransport(limits: limits)
        self.environment = environment
        self.logger = logger
    }

    /// The body bytes received so far by every request through this client, finished or not
    /// (retries included); nil when its transport does not count them.
    public var bodyBytesReceived: Int? {
        transport.bodyBytesReceived
    }

    /// Fetches one URL, retrying per the feed's ``RetryPolicy``.
    public func fetch(_ request: FeedFetchRequest) async -> Result<FeedFetchResult, FeedError> {
        await fetch(request, index: 0, onEvent: nil)
    }

    /// Fetches all `requests` concurrently (within the limits) and returns their results
    /// in the same order. `onEvent` hears of each start, retry and finish.
    public func fetchAll(_ requests: [FeedFetchRequest],
                         onEvent: (@Sendable (FeedEvent) -> Void)? = nil) async -> [Result<FeedFetchResult, FeedError>] {
        await withTaskGroup(of: (Int, Result<FeedFetchResult, FeedError>).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, await self.fetch(request, index: index, onEvent: onEvent)) }
            }
            var results = [Result<FeedFetchResult, FeedError>?](repeating: nil, count: requests.count)
            for await (index, result) in group {
                results[index] = result
            }
            return zip(requests, results).map { request, result in
                result ?? .failure(FeedError(feed: request.feed.name, url: request.url, attempts: 0, cause: .cancelled))
            }
        }
    }

    /// Starts fetching `request`, with the feed's retries, and returns at once;
    /// `completion` runs exactly once with the result, on any thread (usually the
    /// transport's), and never before `start` has returned: a request that fails before
    /// it is sent (a credential not set, a refused path) is reported on a global queue.
    /// ``FeedFetchHandle/cancel()`` stops it.
    ///
    /// This is what ``fetch(_:)`` runs on; a caller with many requests (the collection
    /// engine) uses it directly and so needs no task per request.
    @discardableResult
    public func start(_ request: FeedFetchRequest,
                      completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> FeedFetchHandle {
        start(request, index: 0, onEvent: nil, completion: completion)
    }

    // MARK: The retry loop

    private func fetch(_ request: FeedFetchRequest, index: Int,
                       onEvent: (@Sendable (FeedEvent) -> Void)?) async -> Result<FeedFetchResult, FeedError> {
        let handle = Locked<(fetch: FeedFetchHandle?, cancelled: Bool)>((nil, false))
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let started = start(request, index: index, onEvent: onEvent) { continuation.resume(returning: $0) }
                let cancelled = handle.withLock { state in
                    state.fetch = started
                    return state.cancelled
                }
                if cancelled { started.cancel() }
            }
        } onCancel: {
            let started = handle.withLock { state in
                state.cancelled = true
                return state.fetch
            }
            started?.cancel()
        }
    }

    func start(_ request: FeedFetchRequest, index: Int, onEvent: (@Sendable (FeedEvent) -> Void)?,
                       completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> FeedFetchHandle {
        let feed = request.feed
        let shownURL = FeedURL.redact(request.url)
        var log = logger
        // Every line this client logs is debug or info; below that level the metadata
        // would only be built and thrown away, once per request.
        if log.logLevel <= .info {
            log[metadataKey: "feed"] = "\(feed.name)"
            log[metadataKey: "url"] = "\(shownURL)"
            if let site = request.site { log[metadataKey: "site"] = "\(site)" }
        }
        let fetch = FeedFetchHandle(request: request, shownURL: shownURL, index: index, transport: transport,
                                    logger: log, onEvent: onEvent, completion: completion)
        onEvent?(.started(index: index, feed: feed.name, url: shownURL))
        do {
            fetch.begin(try TransportRequest(request, environment: environment))
        } catch {
            fetch.finish(.failure(FeedError(feed: feed.name, url: shownURL, attempts: 0, cause: error.cause)))
        }
        fetch.started()
        return fetch
    }

    /// The result for a 2xx or 304 response; nil for any other status.
    static func success(_ response: TransportResponse, request: FeedFetchRequest, shownURL: String, attempts: Int,
                                elapsed: Duration) -> FeedFetchResult? {
        let notModified = response.status == 304
        guard (200...299).contains(response.status) || notModified else { return nil }
        var validators = CacheValidators(etag: response.headers["etag"], lastModified: response.headers["last-modified"])
        if notModified, let previous = request.validators {
            validators.etag = validators.etag ?? previous.etag
            validators.lastModified = validators.lastModified ?? previous.lastModified
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return FeedFetchResult(
            url: shownURL, status: response.status, headers: response.headers,
            body: notModified ? Data() : response.body, bodyFile: notModified ? nil : response.bodyFile,
            notModified: notModified, validators: validators,
            attempts: attempts, fetchedAt: Date(), elapsed: seconds
        )
    }
}
