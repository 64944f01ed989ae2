// A real HTTP server on 127.0.0.1 that serves fixed bodies, for tests of code that fetches feeds.
public import Foundation
import Hummingbird
import Logging

/// What ``LocalFeedServer`` answers on one path.
public struct LocalFeedRoute: Sendable, Hashable, ExpressibleByStringLiteral {
    public var status: Int
    public var contentType: String
    public var body: Data
    /// Sent as `ETag`; a request whose `If-None-Match` matches gets `304 Not Modified`.
    public var etag: String?

    public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: Data, etag: String? = nil) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.etag = etag
    }

    /// Plain text.
    public init(stringLiteral value: String) {
        self.init(body: Data(value.utf8))
    }

    public static func json(_ text: String, status: Int = 200, etag: String? = nil) -> LocalFeedRoute {
        LocalFeedRoute(status: status, contentType: "application/json", body: Data(text.utf8), etag: etag)
    }

    public static func csv(_ text: String, status: Int = 200) -> LocalFeedRoute {
        LocalFeedRoute(status: status, contentType: "text/csv; charset=utf-8", body: Data(text.utf8))
    }

    /// The bytes of the file at `url`.
    public static func file(_ url: URL, contentType: String) throws -> LocalFeedRoute {
        LocalFeedRoute(contentType: contentType, body: try Data(contentsOf: url))
    }

    /// An error status with an optional text body: `.status(503)`.
    public static func status(_ code: Int, body: String = "") -> LocalFeedRoute {
        LocalFeedRoute(status: code, body: Data(body.utf8))
    }
}

/// A Hummingbird server on 127.0.0.1, on a port the system picks, serving fixed routes.
///
/// A route's key is a path (`/admissions`), matched whatever the query string, or a path
/// with a query (`/admissions?month=2026-06`), matched exactly and tried first. Any other
/// path gets a 404 whose body lists the routes. Routes may be added with ``serve(_:_:)``, also
/// while the server runs. The server runs only inside ``run(_:)``.
///
/// ```swift
/// let server = LocalFeedServer(routes: ["/total": .json(#"{"total": 12}"#)])
/// try await server.run { baseURL in
///     // fetch "\(baseURL)/total?month=2026-06"
/// }
/// #expect(await server.requests == ["/total?month=2026-06"])
/// ```
public final class LocalFeedServer: @unchecked Sendable {
    // @unchecked: every stored var is read and written only under `lock` (the handler runs
    // on the server's threads while the test reads the log).
    private let lock = NSLock()
    private var table: [String: LocalFeedRoute]
    private var answered: [(request: String, status: Int)] = []
    private var runningPort = 0

    public init(routes: [String: LocalFeedRoute] = [:]) {
        self.table = routes
    }

    public var routes: [String: LocalFeedRoute] {
        lock.withLock { table }
    }

    /// Answers `path` (with a query string or not, as for `routes`) with `route` from now on.
    public func serve(_ path: String, _ route: LocalFeedRoute) {
        lock.withLock { table[path] = route }
    }

    /// The paths (with query strings) requested so far, in order.
    public var requests: [String] {
        get async { lock.withLock { answered.map(\.request) } }
    }

    /// The statuses answered to `request` (a path with its query string, if any), in order.
    public func responses(to request: String) -> [Int] {
        lock.withLock { answered.filter { $0.request == request }.map(\.status) }
    }

    /// How many requests the server has answered.
    public var totalRequests: Int {
        lock.withLock { answered.count }
    }

    /// The server's port while ``run(_:)`` runs (and the port it had, after).
    public var port: Int {
        lock.withLock { runningPort }
    }

    /// `http://127.0.0.1:PORT` while ``run(_:)`` runs.
    public var baseURL: String {
        "http://127.0.0.1:\(port)"
    }

    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT`), then stops it.
    public func run<T>(_ body: (_ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("**") { request, _ -> Response in
            let path = request.uri.path
            let full = request.uri.query.map { "\(path)?\($0)" } ?? path
            let (status, headers, bytes) = self.answer(full, path: path, ifNoneMatch: request.headers[.ifNoneMatch])
            return Response(status: HTTPResponse.Status(code: status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return try await withLoopbackServer(router, label: "pioneer.local-feed-server") { port in
            lock.withLock { runningPort = port }
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    /// The answer to one request, logged with its status.
    private func answer(_ full: String, path: String, ifNoneMatch: String?) -> (Int, HTTPFields, Data) {
        lock.withLock {
            guard let route = table[full] ?? table[path] else {
                let known = table.keys.sorted().joined(separator: ", ")
                answered.append((full, 404))
                return (404, [.contentType: "text/plain; charset=utf-8"], Data("no route for \(full); routes: \(known)\n".utf8))
            }
            var headers: HTTPFields = [.contentType: route.contentType]
            if let etag = route.etag {
                headers[.eTag] = etag
                if ifNoneMatch == etag {
                    answered.append((full, 304))
                    return (304, headers, Data())
                }
            }
            answered.append((full, route.status))
            return (route.status, headers, route.body)
        }
    }
}

/// Starts a ``LocalFeedServer`` with `routes`, runs `body` with its base URL, and stops it.
public func withLocalFeedServer<T>(
    _ routes: [String: LocalFeedRoute], _ body: (_ baseURL: String) async throws -> T
) async throws -> T {
    try await LocalFeedServer(routes: routes).run(body)
}
