// A real HTTP server on 127.0.0.1 that serves fixed bodies, for tests of code that fetches feeds.
public import Foundation
import Hummingbird
import Logging

/// What ``LocalFeedServer`` answers on one path.
public struct LocalFeedRoute: Sendable, Hashable, ExpressibleByStringLiteral {
    public var status: Int
    public var contentType: String
    public var body: Data

    public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// Plain text.
    public init(stringLiteral value: String) {
        self.init(body: Data(value.utf8))
    }

    public static func json(_ text: String, status: Int = 200) -> LocalFeedRoute {
        LocalFeedRoute(status: status, contentType: "application/json", body: Data(text.utf8))
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
/// path gets a 404 whose body lists the routes. The server runs only inside ``run(_:)``.
///
/// ```swift
/// let server = LocalFeedServer(routes: ["/total": .json(#"{"total": 12}"#)])
/// try await server.run { baseURL in
///     // fetch "\(baseURL)/total?month=2026-06"
/// }
/// #expect(await server.requests == ["/total?month=2026-06"])
/// ```
public final class LocalFeedServer: Sendable {
    public let routes: [String: LocalFeedRoute]
    private let log = RequestLog()

    public init(routes: [String: LocalFeedRoute]) {
        self.routes = routes
    }

    /// The paths (with query strings) requested so far, in order.
    public var requests: [String] {
        get async { await log.entries }
    }

    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT`), then stops it.
    public func run<T>(_ body: (_ baseURL: String) async throws -> T) async throws -> T {
        let routes = self.routes
        let log = self.log
        let router = Router()
        router.get("**") { request, _ -> Response in
            let path = request.uri.path
            let full = request.uri.query.map { "\(path)?\($0)" } ?? path
            await log.append(full)
            guard let route = routes[full] ?? routes[path] else {
                let known = routes.keys.sorted().joined(separator: ", ")
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "no route for \(full); routes: \(known)\n")))
            }
            return Response(status: HTTPResponse.Status(code: route.status),
                            headers: [.contentType: route.contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: route.body)))
        }
        return try await withLoopbackServer(router, label: "pioneer.local-feed-server") { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }
}

/// Starts a ``LocalFeedServer`` with `routes`, runs `body` with its base URL, and stops it.
public func withLocalFeedServer<T>(
    _ routes: [String: LocalFeedRoute], _ body: (_ baseURL: String) async throws -> T
) async throws -> T {
    try await LocalFeedServer(routes: routes).run(body)
}

/// The requests a server received, shared between its handler and the test.
private actor RequestLog {
    var entries: [String] = []

    func append(_ entry: String) {
        entries.append(entry)
    }
}
