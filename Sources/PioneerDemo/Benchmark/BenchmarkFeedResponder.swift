// Answers the benchmark feed server's requests: `/bench/<n>.json` → `{"value": <n>}`.
import HTTPTypes
import Hummingbird

/// Turns `GET /bench/<n>.json` into `{"value": <n>}`, after `latency`; every other request is a 404 or a 405.
struct BenchmarkFeedResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// How long each feed takes to answer, as a slow reporting server would; zero answers at once.
    var latency: Duration = .zero

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
        }
        guard let number = Self.feedNumber(path: request.uri.path) else {
            return Response(status: .notFound, headers: [.contentType: "text/plain"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "not found: the benchmark feeds are /bench/<n>.json\n")))
        }
        if latency > .zero { try await Task.sleep(for: latency) }
        let body = ByteBuffer(string: "{\"value\": \(number)}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: request.method == .get ? ResponseBody(byteBuffer: body) : ResponseBody())
    }

    /// The n of `/bench/<n>.json`, or nil for any other path.
    static func feedNumber(path: String) -> Int? {
        let prefix = "/bench/", suffix = ".json"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count else { return nil }
        return Int(path.dropFirst(prefix.count).dropLast(suffix.count))
    }
}
