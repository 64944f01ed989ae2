// One way to run a real Hummingbird server on 127.0.0.1 inside a test: on a port the
// system picks, stopped when the test's body returns or throws.
public import Hummingbird
import Logging

/// Runs `router` on 127.0.0.1 at an ephemeral port, calls `body` with the port, then stops the server.
///
/// ```swift
/// let router = Router()
/// router.get("/ok") { _, _ in "fine" }
/// try await withLoopbackServer(router) { port in
///     // fetch http://127.0.0.1:\(port)/ok
/// }
/// ```
public func withLoopbackServer<T>(
    _ router: Router<BasicRequestContext>, label: String = "pioneer.loopback-server",
    _ body: (_ port: Int) async throws -> T
) async throws -> T {
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: label)
    logger.logLevel = .critical
    let app = Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        },
        logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portSink.finish() }
            try await app.run()
        }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            group.cancelAll()
            try await group.waitForAll()
            throw HarnessError("the loopback server did not start on 127.0.0.1")
        }
        return try await body(port)
    }
}
