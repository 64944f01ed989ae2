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

    /// A port bound on 127.0.0.1; with `keep`, the socket stays bound until the process ends.
    static func reserve(keep: Bool) throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ReservedPortError("cannot open a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                Glibc.bind(socket, address, length) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard named else {
            close(socket)
            throw ReservedPortError("cannot bind a socket on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        if keep {
            sockets.withLock { held.append(socket) }
        } else {
            close(socket)
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

private struct ReservedPortError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
