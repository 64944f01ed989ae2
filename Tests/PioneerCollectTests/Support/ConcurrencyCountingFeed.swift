// A loopback feed that answers after a delay and counts the requests it is serving at once,
// per server and over all the servers sharing one tally, for the scheduling tests.
import Foundation
import Hummingbird
import PioneerTesting

/// The most requests in progress at once, per server name and in total.
final class ConcurrencyTally: @unchecked Sendable {
    // @unchecked: every var is only touched with `lock` held.
    private let lock = NSLock()
    private var current: [String: Int] = [:]
    private var peak: [String: Int] = [:]
    private var total = 0
    private var totalPeak = 0
    private var served = 0

    func began(_ server: String) {
        lock.withLock {
            current[server, default: 0] += 1
            peak[server] = max(peak[server, default: 0], current[server, default: 0])
            total += 1
            totalPeak = max(totalPeak, total)
        }
    }

    func ended(_ server: String) {
        lock.withLock {
            current[server, default: 1] -= 1
            total -= 1
            served += 1
        }
    }

    /// The most requests `server` was serving at once.
    func peak(_ server: String) -> Int { lock.withLock { peak[server, default: 0] } }
    /// The most requests all the servers were serving at once.
    var overallPeak: Int { lock.withLock { totalPeak } }
    /// Requests answered, over all the servers.
    var answered: Int { lock.withLock { served } }
}

/// Answers any path with `{"value": <n>}`, n from the `?n=` query (404 without one), after
/// `delay`, recording itself as `name` in `tally` while it waits.
enum ConcurrencyCountingFeed {
    static func run<T>(name: String, delay: Duration, tally: ConcurrencyTally,
                       _ body: (_ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("**") { request, _ -> Response in
            tally.began(name)
            defer { tally.ended(name) }
            try await Task.sleep(for: delay)
            guard let n = request.uri.queryParameters.get("n").flatMap({ Int($0) }) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"value": \#(n)}"#)))
        }
        return try await withLoopbackServer(router, label: "pioneer.counting-feed.\(name)") { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
