// Feed definitions and small helpers shared by the feed client tests.
import Foundation
import PioneerCore
import PioneerKit
@testable import PioneerFeeds

/// A feed with timeouts generous enough that a loaded machine never trips them (the tests
/// about timeouts set their own) and test-sized backoff; override what a test is about. At the
/// start of a full run every suite starts at once on two cores, where a loopback answer of
/// 20 ms once took over 20 s to be served (the old timeout).
func testFeed(_ baseURL: String, auth: FeedAuth = .none, connectTimeout: Double = 30, timeout: Double = 60, retries: Int = 0,
              backoff: Double = 0.01, maxBackoff: Double = 5, maxBody: Int = 1 << 20, maxRedirects: Int = 5,
              headers: [String: String] = [:]) -> FeedDefinition {
    FeedDefinition(
        name: "bi", baseURL: baseURL, auth: auth, connectTimeout: connectTimeout, timeout: timeout,
        retry: RetryPolicy(retries: retries, backoff: backoff, maxBackoff: maxBackoff),
        headers: headers, maxBodyBytes: maxBody, maxRedirects: maxRedirects
    )
}

/// A `${NAME}` reference as the config loader would make it.
func secret(_ name: String) -> SecretReference {
    SecretReference(variable: name, location: .unknown("site.yaml"))
}

extension Result {
    /// The failure, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    /// The success value, or nil on failure.
    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}

/// Counts requests seen by a route, and the most seen in flight at once.
final class RequestCounter: Sendable {
    private let state = Locked((total: 0, inFlight: 0, maxInFlight: 0))

    /// Records a request arriving; returns how many have arrived, this one included.
    @discardableResult
    func arrive() -> Int {
        state.withLock { state in
            state.total += 1
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            return state.total
        }
    }

    func leave() {
        state.withLock { $0.inFlight -= 1 }
    }

    var total: Int { state.withLock { $0.total } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
}

/// Seconds elapsed while running `body`.
func measure(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    let elapsed = start.duration(to: clock.now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
