// A real HTTP server on 127.0.0.1 serving JSON documents a test controls, counting
// every request so tests can check what the engine fetched.
import Foundation
import Hummingbird
import PioneerTesting
import Logging

/// What the loopback feed serves at one path.
struct FeedDocument: Sendable {
    var status: Int = 200
    var body: String
    /// Sent as `ETag`; a request whose `If-None-Match` matches gets `304 Not Modified`.
    var etag: String?
}

/// A loopback feed: `GET /<path>` answers the document registered for that path
/// (query strings included in the lookup when registered with one).
final class LoopbackFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: FeedDocument] = [:]
    private var hits: [String: [Int]] = [:]
    private(set) var port = 0

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func serve(_ path: String, _ document: FeedDocument) {
        lock.withLock { documents[path] = document }
    }

    /// Statuses answered for `path`, in order.
    func responses(to path: String) -> [Int] {
        lock.withLock { hits[path] ?? [] }
    }

    var totalRequests: Int {
        lock.withLock { hits.values.map(\.count).reduce(0, +) }
    }

    private func answer(path: String, ifNoneMatch: String?) -> (Int, String, String?) {
        lock.withLock {
            guard let document = documents[path] else {
                hits[path, default: []].append(404)
                return (404, #"{"error": "not found"}"#, nil)
            }
            if let etag = document.etag, ifNoneMatch == etag {
                hits[path, default: []].append(304)
                return (304, "", etag)
            }
            hits[path, default: []].append(document.status)
            return (document.status, document.body, document.etag)
        }
    }

    /// Starts the server, runs `body`, stops the server.
    func run(_ body: () async throws -> Void) async throws {
        let router = Router()
        router.get("**") { request, _ -> Response in
            let query = request.uri.query.map { "?" + $0 } ?? ""
            let (status, text, etag) = self.answer(path: request.uri.path + query,
                                                   ifNoneMatch: request.headers[.ifNoneMatch])
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let etag { headers[.eTag] = etag }
            return Response(status: .init(code: status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        try await withLoopbackServer(router, label: "pioneer.collect.test-feed") { port in
            self.port = port
            try await body()
        }
    }
}
