// One log line per request: method, path (without its query), status and time taken, with
// the request id the logger carries. Never a header, a token, a query or a body: a token in a
// log is a token anyone with the log can use, and a return's figures are the sites' to share.
import Foundation
import Hummingbird
import Logging

struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "http.method": .string(request.method.rawValue),
            "http.path": .string(request.uri.path),
            "http.status": .stringConvertible(response.status.code),
            "duration.ms": .string(String(format: "%.1f", milliseconds)),
        ])
        return response
    }
}
