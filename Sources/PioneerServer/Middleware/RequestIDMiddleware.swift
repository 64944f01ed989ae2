// Gives every request an id: the caller's X-Request-Id when it is a usable one (so a site's
// logs and the office's meet), else a new UUID. The id goes into the logger's metadata, so
// every log line about the request carries it, and back on the response, errors included.
import Foundation
import Hummingbird
import Logging

struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    /// Ids longer than this, or with other characters, are replaced: they would go into logs.
    static let maximumLength = 128

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = request.headers[.requestID].flatMap(Self.usable) ?? UUID().uuidString.lowercased()
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// The caller's id when it is 1 to 128 letters, digits, `-`, `_` or `.`.
    static func usable(_ id: String) -> String? {
        guard (1...maximumLength).contains(id.utf8.count),
              id.utf8.allSatisfy({ byte in
                  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                      || byte == 0x2D || byte == 0x5F || byte == 0x2E
              }) else { return nil }
        return id
    }
}
