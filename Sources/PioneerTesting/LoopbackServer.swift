// One way to run a real Hummingbird server on 127.0.0.1 inside a test: on a port the
// system picks, stopped when the test's body returns or throws.
public import Hummingbird
import Logging
import ServiceLifecycle

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
    // A service group rather than a cancelled task: cancelling a Hummingbird server while
    // it still holds accepted connections can trap inside swift-nio ("Deinited
    // NIOAsyncWriter without calling finish()"); a graceful shutdown closes them first.
    let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
    let server = Task {
        defer { portSink.finish() }
        try await group.run()
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next(), port > 0 else {
        await stop(group, server)
        throw HarnessError("the loopback server did not start on 127.0.0.1")
    }
    do {
        let result = try await body(port)
        await stop(group, server)
        return result
    } catch {
        await stop(group, server)
        throw error
    }
}

/// Shuts the server down gracefully, and cancels it if a handler still runs after a few seconds
/// (a test's deliberately slow endpoint must not hold the test up).
private func stop(_ group: ServiceGroup, _ server: Task<Void, any Error>) async {
    await group.triggerGracefulShutdown()
    await withTaskGroup(of: Bool.self) { waiting in
        waiting.addTask {
            _ = try? await server.value
            return true
        }
        waiting.addTask {
            try? await Task.sleep(for: .seconds(3))
            return false
        }
        if await waiting.next() == false {
            server.cancel()
        }
        waiting.cancelAll()
    }
}
