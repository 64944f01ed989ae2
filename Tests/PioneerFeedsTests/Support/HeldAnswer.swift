// A loopback route's answer held back until the test says: a cancel made once the request is
// at the server, rather than after a guessed delay, cannot race its answer.
import Foundation

/// A request held at the server: the route calls ``hold()``, the test waits for
/// ``arrival()``, does what it tests, then calls ``release()``.
final class HeldAnswer: @unchecked Sendable {
    // @unchecked: `released` is only touched with `lock` held; the stream is thread-safe.
    private let lock = NSLock()
    private var released = false
    private let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)

    /// In the route: says the request has arrived, then waits for ``release()`` (10 s at most).
    func hold() async throws {
        arrived.yield()
        let deadline = ContinuousClock.now + .seconds(10)
        while !lock.withLock({ released }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Returns once a request has reached ``hold()``.
    func arrival() async {
        for await _ in arrivals { return }
    }

    func release() { lock.withLock { released = true } }
}
