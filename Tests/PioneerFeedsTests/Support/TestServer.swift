// A real Hummingbird HTTP server on 127.0.0.1, started inside one test and stopped at its end.
import Foundation
import Hummingbird
import PioneerTesting
import Logging

/// A local HTTP server with routes a test controls, on an ephemeral port.
///
/// ```swift
/// try await TestServer.run(routes: { router in
///     router.get("/ok") { _, _ in "fine" }
/// }) { server in
///     let result = await client.fetch(request(server.url("/ok")))
/// }
/// ```
struct TestServer: Sendable {
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func url(_ path: String) -> String { baseURL + path }

    /// Starts a server with `routes`, runs `body` against it, then stops the server.
    static func run(routes: (Router<BasicRequestContext>) -> Void,
                    _ body: (TestServer) async throws -> Void) async throws {
        let router = Router()
        routes(router)
        try await withLoopbackServer(router, label: "pioneer.feeds.test-server") { port in
            try await body(TestServer(port: port))
        }
    }

    /// A port on 127.0.0.1 where nothing listens: a test server's, after it has stopped.
    static func closedPort() async throws -> Int {
        var closed = 0
        try await run(routes: { _ in }) { server in closed = server.port }
        return closed
    }

    /// The value of request header `name` (case-insensitive), or "" when absent.
    static func header(_ name: String, of request: Request) -> String {
        let wanted = name.lowercased()
        return request.headers.first { $0.name.canonicalName == wanted }?.value ?? ""
    }
}

/// Thrown by test routes to make the server drop a connection, and by the helper itself.
struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
