// Sending one POST (a return to the intake service) with the feeds' libcurl transport and
// the feeds' retry timing: connection failures, 429 and 5xx are tried again, the rest answered.
import Foundation
public import PioneerCore

/// Posts a request, retrying what is worth retrying within a bound on attempts and on time.
///
/// Retrying a POST is only safe when the server makes a repeat harmless; the intake
/// service does (the same bytes are one submission, answered again), which is why
/// `pioneer submit` may retry a timed-out attempt the server may already have stored.
///
/// ```swift
/// let client = UploadClient()
/// let request = TransportRequest(url: "https://intake.example/v1/returns",
///                                body: .init(contentType: "application/json", bytes: data))
/// switch await client.send(request, retry: UploadRetry()) {
/// case .success(let answer): print(answer.response.status, answer.attempts)
/// case .failure(let error): print(error)   // POST https://…/v1/returns failed: connection refused after 4 attempts
/// }
/// ```
public struct UploadClient: Sendable {
    private let transport: any FeedTransport

    /// - Parameter transport: how requests go on the wire; nil for a ``CurlTransport``.
    public init(transport: (any FeedTransport)? = nil) {
        self.transport = transport ?? CurlTransport(limits: FeedClientLimits(maxParallel: 4, maxPerHost: 4))
    }

    /// Sends `request` until the server answers with a status not worth retrying, or the
    /// attempts or the time run out.
    ///
    /// Any HTTP answer is a success here, a 4xx included, so the caller can read what the
    /// server said; a 429 or 5xx comes back only when the retries or the time are used up,
    /// and stays the answer when the time ran out during a last attempt that got none. A
    /// failure is a request that never got an answer (or could not be sent at all).
    /// `onRetry` hears of each wait before a retry.
    public func send(_ request: TransportRequest, retry: UploadRetry,
                     onRetry: (@Sendable (UploadRetryEvent) -> Void)? = nil) async -> Result<UploadAnswer, UploadError> {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double { Self.seconds(start.duration(to: clock.now)) }
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        // What the attempt before this one got, for when this one is cut short by the time
        // allowed: then the earlier answer (or failure) is the real cause, not the timeout.
        var previous: (answer: UploadAnswer?, cause: FeedError.Cause)?
        while true {
            attempt += 1
            var wire = request
            // The last attempt may not run past the time allowed for them all.
            let left = retry.maxTime - elapsed()
            if left > 0 { wire.timeout = min(wire.timeout, left) }

            let cause: FeedError.Cause
            var retryAfter: Double?
            var answer: UploadAnswer?
            switch await transport.perform(wire) {
            case .success(let response):
                let answered = UploadAnswer(response: response, attempts: attempt, elapsed: elapsed())
                cause = .http(status: response.status)
                guard cause.isRetryable else { return .success(answered) }
                answer = answered
                retryAfter = RetryTiming.retryAfter(response.headers["retry-after"], now: Date())
            case .failure(let error):
                cause = error.cause
            }

            let cutShort = wire.timeout < request.timeout
                && [FeedError.Cause.timedOut(seconds: wire.timeout), .connectTimedOut(seconds: wire.timeout)].contains(cause)
            if cutShort, let previous {
                if var earlier = previous.answer {
                    earlier.attempts = attempt
                    earlier.elapsed = elapsed()
                    earlier.endedByMaxTime = true
                    earlier.lastAttemptCutShort = true
                    return .success(earlier)
                }
                return .failure(UploadError(url: request.url, attempts: attempt, cause: previous.cause, elapsed: elapsed(),
                                            endedByMaxTime: true, lastAttemptCutShort: true))
            }

            let delay = RetryTiming.delay(beforeRetry: attempt, policy: retry.policy, retryAfter: retryAfter, using: &generator)
            let outOfTime = cutShort || elapsed() + delay >= retry.maxTime
            let retrying = cause.isRetryable && attempt <= retry.policy.retries && !outOfTime && !Task.isCancelled
            guard retrying else {
                let endedByMaxTime = cause.isRetryable && attempt <= retry.policy.retries && outOfTime
                if var answer {
                    answer.endedByMaxTime = endedByMaxTime
                    return .success(answer)
                }
                guard !Task.isCancelled else { return .failure(UploadError(url: request.url, attempts: attempt, cause: .cancelled)) }
                return .failure(UploadError(url: request.url, attempts: attempt, cause: cause, elapsed: elapsed(),
                                            endedByMaxTime: endedByMaxTime, lastAttemptCutShort: cutShort))
            }
            onRetry?(UploadRetryEvent(attempt: attempt, delay: delay, cause: cause))
            do {
                try await Task.sleep(for: .seconds(delay))
            } catch {
                return .failure(UploadError(url: request.url, attempts: attempt, cause: .cancelled))
            }
            previous = (answer, cause)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// How hard ``UploadClient`` tries: the retries and their backoff, and the time for them all.
public struct UploadRetry: Sendable, Hashable {
    /// Attempts after the first; the first backoff, doubled each retry with jitter; the
    /// longest one wait (a server's `Retry-After` included).
    public var policy: RetryPolicy
    /// Seconds for every attempt and wait together: no retry starts that would end past it,
    /// and the last attempt's timeout is cut to what is left.
    public var maxTime: Double

    public init(policy: RetryPolicy = RetryPolicy(retries: 4, backoff: 0.5, maxBackoff: 10), maxTime: Double = 60) {
        self.policy = policy
        self.maxTime = maxTime
    }
}

/// The server's answer to a POST, after however many attempts it took.
public struct UploadAnswer: Sendable {
    public var response: TransportResponse
    /// The attempts made, a last one cut short included.
    public var attempts: Int
    /// Seconds from the first attempt to the answer (or to the end of a last attempt cut
    /// short), waits included.
    public var elapsed: Double
    /// Whether the time for all attempts (``UploadRetry/maxTime``) ended the retries of a
    /// 429 or 5xx before the count of retries did.
    public var endedByMaxTime = false
    /// Whether that time ran out during the last attempt, which got no answer: `response`
    /// is the answer to the attempt before it.
    public var lastAttemptCutShort = false
}

/// A retry about to be waited for.
public struct UploadRetryEvent: Sendable, Hashable {
    /// The attempt that failed (1 for the first).
    public var attempt: Int
    /// Seconds to wait before the next.
    public var delay: Double
    public var cause: FeedError.Cause
}

/// A POST that got no answer: the URL (credentials removed), the attempts and the last cause.
public struct UploadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var url: String
    /// The attempts made, a last one cut short included.
    public var attempts: Int
    /// The last cause: when the last attempt was cut short by the time allowed, the cause of
    /// the one before it.
    public var cause: FeedError.Cause
    /// Seconds from the first attempt to the end of the last, waits included.
    public var elapsed: Double
    /// Whether the time for all attempts (``UploadRetry/maxTime``) ended the retries before
    /// the count of retries did.
    public var endedByMaxTime: Bool
    /// Whether that time ran out during the last attempt.
    public var lastAttemptCutShort: Bool

    public init(url: String, attempts: Int, cause: FeedError.Cause, elapsed: Double = 0,
                endedByMaxTime: Bool = false, lastAttemptCutShort: Bool = false) {
        self.url = FeedURL.redact(url)
        self.attempts = attempts
        self.cause = cause
        self.elapsed = elapsed
        self.endedByMaxTime = endedByMaxTime
        self.lastAttemptCutShort = lastAttemptCutShort
    }

    /// "POST http://127.0.0.1:8080/v1/returns failed: connection refused after 5 attempts".
    public var description: String {
        let suffix = attempts > 1 ? " after \(attempts) attempts" : ""
        return "POST \(url) failed: \(cause)\(suffix)"
    }
}
