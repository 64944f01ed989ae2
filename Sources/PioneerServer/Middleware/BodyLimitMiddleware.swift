// Refuses a body over the limit from its Content-Length alone, before a byte of it is read:
// 413 at once, whatever the route. A body sent without a length (chunked) is limited where it
// is read, by `collect(upTo:)`, which stops at the limit too.
import Hummingbird

struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    var maximum: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximum {
            throw Self.tooLarge(maximum, declared: declared)
        }
        return try await next(request, context)
    }

    static func tooLarge(_ maximum: Int, declared: Int? = nil) -> IntakeHTTPError {
        let size = declared.map { "the body is \(ByteCount.text($0)); " } ?? ""
        return IntakeHTTPError(status: .contentTooLarge,
                               message: "\(size)this server accepts at most \(ByteCount.text(maximum)) (pioneer serve --max-body)")
    }
}
