// A running loopback server as a test sees it: its port, URLs on it, and the helpers tests
// with hand-written routes need (a port where nothing listens, a request's header).
public import Hummingbird
import Foundation

/// A Hummingbird server on 127.0.0.1 with routes a test writes, on an ephemeral port.
///
/// ```swift
/// try await LoopbackServer.run(routes: { router in
///     router.get("/ok") { _, _ in "fine" }
/// }) { server in
///     let result = await client.fetch(request(server.url("/ok")))
/// }
/// ```
public struct LoopbackServer: Sendable {
    public let port: Int

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func url(_ path: String) -> String { baseURL + path }

    /// Starts a server with `routes`, runs `body` against it, then stops the server.
    public static func run(routes: (Router<BasicRequestContext>) -> Void,
                           _ body: (LoopbackServer) async throws -> Void) async throws {
        let router = Router()
        routes(router)
        try await withLoopbackServer(router, label: "pioneer.test-server") { port in
            try await body(LoopbackServer(port: port))
        }
    }

    /// A port on 127.0.0.1 that refuses connections: a socket bound to it that never listens,
    /// kept bound until the test process ends.
    ///
    /// Keeping it bound matters under the whole suite: a port merely freed is soon handed to
    /// another test's server by the kernel, and a connection meant to be refused then reaches
    /// that server and waits for an answer until it times out.
    public static func closedPort() async throws -> Int {
        try ReservedPorts.reserve(keep: true)
    }

    /// A port on 127.0.0.1 that nothing holds now, for a test that starts a server on it
    /// later (connections to it are refused until then, unless another server takes it).
    public static func freePort() async throws -> Int {
        try ReservedPorts.reserve(keep: false)
    }

    /// The value of request header `name` (case-insensitive), or "" when absent.
    public static func header(_ name: String, of request: Request) -> String {
        let wanted = name.lowercased()
        return request.headers.first { $0.name.canonicalName == wanted }?.value ?? ""
    }
}

/// Sockets bound to loopback ports and never listened on: connections to them are refused.
private enum ReservedPorts {
    private static let sockets = NSLock()
    nonisolated(unsafe) private static var held: [Int32] = []

    /// A port bound on 127.0.0.1 (PostgresCluster's way of finding one); with `keep`, the
    /// socket stays bound until the process ends.
    static func reserve(keep: Bool) throws -> Int {
        let (socket, port) = try PostgresCluster.boundLoopbackSocket()
        if keep {
            sockets.withLock { held.append(socket) }
        } else {
            close(socket)
        }
        return port
    }
}
