// One fetch in progress: its attempts, the wait between them, and cancellation.
// Driven by the transport's completions rather than by a task, so a run with
// thousands of requests needs no task (and no thread hop) per request.
import Foundation
import Logging
import PioneerCore

/// A fetch started with ``FeedClient/start(_:completion:)``.
///
/// It makes an attempt, following redirects hop by hop (see ``RedirectChain``), and on a
/// retryable failure (connection error, timeout, 429, 5xx) waits as the feed's
/// ``RetryPolicy`` says (honouring `Retry-After`) and tries again from the first URL,
/// until success, a failure that is not worth retrying, or the retries run out.
/// The completion runs exactly once, and never before `start` has returned.
public final class FeedFetchHandle: @unchecked Sendable {
    /// Where the waits before retries end; a retry only starts a transfer, so one thread serves all.
    private static let retryTimers = DispatchQueue(label: "pioneer.feeds.retry-timers")

    // @unchecked: the mutable state lives in `state`, behind its lock; everything else is
    // immutable after init.

    private let request: FeedFetchRequest
    private let shownURL: String
    private let index: Int
    private let transport: any FeedTransport
    private let logger: Logger
    private let onEvent: (@Sendable (FeedEvent) -> Void)?
    private let completion: @Sendable (Result<FeedFetchResult, FeedError>) -> Void
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    private var wire: TransportRequest?

    private struct State {
        var attempts = 0
        /// Transfers started, redirect hops included: tells the latest transfer from a stale one.
        var transfers = 0
        var current: TransportAttempt?
        /// The failure that led to the retry being waited for, if one is.
        var waitingAfter: FeedError?
        var cancelled = false
        var finished = false
        /// ``FeedClient`` has not yet returned this handle from `start`.
        var starting = true
        /// A result that came while `starting`, delivered once `start` has returned.
        var early: Result<FeedFetchResult, FeedError>?
    }

    private let state = Locked(State())

    init(request: FeedFetchRequest, shownURL: String, index: Int, transport: any FeedTransport, logger: Logger,
         onEvent: (@Sendable (FeedEvent) -> Void)?, completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) {
        self.request = request
        self.shownURL = shownURL
        self.index = index
        self.transport = transport
        self.logger = logger
        self.onEvent = onEvent
        self.completion = completion
        startedAt = clock.now
    }

    /// Stops the fetch: an attempt on the wire is aborted, a wait for a retry ends with
    /// the failure that caused it. Does nothing once the fetch has finished.
    public func cancel() {
        enum Next { case abort(TransportAttempt?), finish(FeedError), nothing }
        let next = state.withLock { state -> Next in
            guard !state.finished, !state.cancelled else { return .nothing }
            state.cancelled = true
            if let failure = state.waitingAfter { return .finish(failure) }
            return .abort(state.current)
        }
        switch next {
        case .abort(let attempt): attempt?.cancel()
        case .finish(let failure): finish(.failure(failure))
        case .nothing: break
        }
    }

    // MARK: Attempts

    /// Makes the first attempt; `wire` is the request with credentials resolved.
    func begin(_ wire: TransportRequest) {
        self.wire = wire
        makeAttempt()
    }

    private func makeAttempt() {
        guard let wire else { return }
        let number: Int? = state.withLock { state in
            guard !state.cancelled, !state.finished else { return nil }
            state.waitingAfter = nil
            state.attempts += 1
            return state.attempts
        }
        guard let number else {
            finishCancelled()
            return
        }
        logger.debug("GET", metadata: ["attempt": "\(number)"])
        send(RedirectChain(wire, limit: request.feed.maxRedirects), attempt: number)
    }

    /// Starts the transfer for the chain's current hop.
    private func send(_ chain: RedirectChain, attempt: Int) {
        let transfer: Int? = state.withLock { state in
            guard !state.cancelled, !state.finished else { return nil }
            state.transfers += 1
            return state.transfers
        }
        guard let transfer else {
            finishCancelled()
            return
        }
        let started = transport.start(chain.request) { [self] result in
            received(result, chain: chain, attempt: attempt)
        }
        // The completion may already have run and started the next hop: only the latest
        // transfer is the one `cancel()` must reach.
        let cancelled = state.withLock { state -> Bool in
            if state.transfers == transfer { state.current = started }
            return state.cancelled
        }
        if cancelled { started.cancel() }
    }

    private func finishCancelled() {
        finish(.failure(FeedError(feed: request.feed.name, url: shownURL, attempts: state.withLock { $0.attempts },
                                  cause: .cancelled)))
    }

    private func received(_ result: Result<TransportResponse, TransportError>, chain: RedirectChain, attempt: Int) {
        let cause: FeedError.Cause
        var retryAfter: Double?
        var hint: String?
        switch result {
        case .success(let response):
            var chain = chain
            switch chain.next(after: response) {
            case .follow(let dropped):
                var metadata: Logger.Metadata = ["to": "\(FeedURL.redact(chain.request.url))"]
                if !dropped.isEmpty { metadata["not sent to another origin"] = "\(dropped.joined(separator: ", "))" }
                logger.debug("redirected", metadata: metadata)
                send(chain, attempt: attempt)
                return
            case .fail(let redirectFailure):
                finish(.failure(FeedError(feed: request.feed.name, url: shownURL, attempts: attempt, cause: redirectFailure)))
                return
            case .final:
                break
            }
            if let fetched = FeedClient.success(response, request: request, shownURL: shownURL, attempts: attempt,
                                                elapsed: startedAt.duration(to: clock.now)) {
                finish(.success(fetched))
                return
            }
            cause = .http(status: response.status)
            if response.status == 401 {
                hint = chain.leftOrigin
                    ? "a redirect led to another origin, to which the feed's credentials are never sent"
                    : FeedError.unauthorizedHint(challenge: response.headers["www-authenticate"], auth: request.feed.auth)
            }
            retryAfter = RetryTiming.retryAfter(response.headers["retry-after"], now: Date())
        case .failure(let error):
            cause = error.cause
        }

        let feed = request.feed
        let failure = FeedError(feed: feed.name, url: shownURL, attempts: attempt, cause: cause,
                                redirectedTo: chain.hops > 0 ? chain.request.url : nil, hint: hint)
        var generator = SystemRandomNumberGenerator()
        let delay = RetryTiming.delay(beforeRetry: attempt, policy: feed.retry, retryAfter: retryAfter, using: &generator)
        let retrying = cause.isRetryable && attempt <= feed.retry.retries && state.withLock { state -> Bool in
            state.current = nil
            guard !state.cancelled else { return false }
            state.waitingAfter = failure
            return true
        }
        guard retrying else {
            finish(.failure(failure))
            return
        }
        logger.info("retrying", metadata: ["cause": "\(cause)", "attempt": "\(attempt)",
                                           "delay": "\(FeedError.Cause.seconds(delay))"])
        onEvent?(.retrying(index: index, feed: feed.name, url: shownURL, attempt: attempt, delay: delay, cause: cause))
        // On a queue of its own: the global queues share their few threads with every task, and
        // while blocking work holds them a timer's work waits (a thread is added once a second).
        Self.retryTimers.asyncAfter(deadline: .now() + delay) { [self] in
            makeAttempt()
        }
    }

    /// Called by ``FeedClient`` as the last thing `start` does: a result that came before
    /// (a credential not set, a transport that failed at once) is delivered now, on a global
    /// queue, so the completion never runs inside `start`. A caller may then start its next
    /// request from a completion without nesting one call inside another.
    func started() {
        let early = state.withLock { state -> Result<FeedFetchResult, FeedError>? in
            state.starting = false
            defer { state.early = nil }
            return state.early
        }
        guard let early else { return }
        DispatchQueue.global().async { [self] in
            deliver(early)
        }
    }

    /// Reports the result, once; later calls do nothing.
    func finish(_ result: Result<FeedFetchResult, FeedError>) {
        let deliverNow = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.finished = true
            state.current = nil
            state.waitingAfter = nil
            guard !state.starting else {
                state.early = result
                return false
            }
            return true
        }
        if deliverNow { deliver(result) }
    }

    private func deliver(_ result: Result<FeedFetchResult, FeedError>) {
        switch result {
        case .success(let fetched):
            logger.debug("fetched", metadata: ["status": "\(fetched.status)", "bytes": "\(fetched.bodySize)",
                                               "attempts": "\(fetched.attempts)"])
            onEvent?(.finished(index: index, feed: request.feed.name, url: shownURL, error: nil))
        case .failure(let error):
            logger.debug("fetch failed", metadata: ["error": "\(error)"])
            onEvent?(.finished(index: index, feed: request.feed.name, url: shownURL, error: error))
        }
        completion(result)
    }
}
