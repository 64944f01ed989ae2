// A running loopback server as a test sees it: its port, URLs on it, and the helpers tests
// with hand-written routes need (a port where nothing listens, a request's header).
public import Hummingbird

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

    /// A port on 127.0.0.1 where nothing listens: a test server's, after it has stopped.
    public static func closedPort() async throws -> Int {
        var closed = 0
        try await run(routes: { _ in }) { server in closed = server.port }
        return closed
    }

    /// The value of request header `name` (case-insensitive), or "" when absent.
    public static func header(_ name: String, of request: Request) -> String {
        let wanted = name.lowercased()
        return request.headers.first { $0.name.canonicalName == wanted }?.value ?? ""
    }
}
