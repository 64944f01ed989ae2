// A loopback route's answer held back until the test says: a cancel made while the request
// waits at the server cannot race its answer.
import Foundation

/// Released once by the test; polled by the route that holds its answer.
final class HeldAnswer: @unchecked Sendable {
    // @unchecked: `released` is only touched with `lock` held.
    private let lock = NSLock()
    private var released = false

    var isReleased: Bool { lock.withLock { released } }

    func release() { lock.withLock { released = true } }
}
