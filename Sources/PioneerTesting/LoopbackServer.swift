// One way to run a real Hummingbird server on 127.0.0.1 inside a test: on a port the
// system picks, stopped when the test's body returns or throws.
public import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

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
    let listener = Listener()
    var logger = Logger(label: label)
    logger.logLevel = .critical
    let app = Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            listener.set(channel)
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
        await stop(group, server, listener)
        throw HarnessError("the loopback server did not start on 127.0.0.1")
    }
    do {
        let result = try await body(port)
        await stop(group, server, listener)
        return result
    } catch {
        await stop(group, server, listener)
        throw error
    }
}

/// The server's listening channel, once it runs.
private final class Listener: Sendable {
    private let channel = Mutex<(any Channel)?>(nil)
    func set(_ channel: any Channel) { self.channel.withLock { $0 = channel } }
    func close() async { try? await channel.withLock { $0 }?.close() }
}

/// Closes the listening socket at once, so no new connection reaches the server once the test's
/// body is done (on a busy machine the graceful shutdown's own steps can take seconds to run),
/// then shuts the server down gracefully, and stops waiting for it after a few seconds (a test's
/// deliberately slow endpoint must not hold the test up): the shutdown then finishes in the
/// background once the slow handlers end. The server task is never cancelled: cancelling it
/// while a connection's writer is open traps inside swift-nio ("Deinited NIOAsyncWriter without
/// calling finish()"), which took the whole test process down once under the full suite, when
/// a graceful shutdown took longer than the wait.
private func stop(_ group: ServiceGroup, _ server: Task<Void, any Error>, _ listener: Listener) async {
    await listener.close()
    await group.triggerGracefulShutdown()
    // Two unstructured waits race; the one that loses goes on in the background (a task group
    // would wait for both, and the server's end does not come sooner for being awaited).
    let resumed = Mutex(false)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeOnce: @Sendable () -> Void = {
            if resumed.withLock({ done in defer { done = true }; return !done }) { continuation.resume() }
        }
        Task {
            _ = try? await server.value
            resumeOnce()
        }
        Task {
            try? await Task.sleep(for: .seconds(3))
            resumeOnce()
        }
    }
}
