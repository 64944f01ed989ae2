// Turns whatever a route throws into the one error shape the API documents:
// `{"error": "<plain English>", "requestId": "…"}` with the right status. A database failure
// is a 503 with Retry-After (the store may come back; `pioneer submit` retries), logged with
// the store's own message, which names the database but never a token or a body.
import Foundation
import Hummingbird
import Logging
import PioneerIntake
import PioneerKit

struct ErrorResponseMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    var metrics: IntakeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as IntakeHTTPError {
            return Self.response(error, requestID: context.requestID)
        } catch let error as IntakeStoreError {
            switch error.kind {
            case .notFound:
                return Self.response(IntakeHTTPError(status: .notFound, message: error.message), requestID: context.requestID)
            case .invalidArgument:
                return Self.response(IntakeHTTPError.badRequest(error.message), requestID: context.requestID)
            default:
                metrics.storeError()
                context.logger.error("the store failed", metadata: ["error": .string(error.description.escapingControlCharacters())])
                // A full disk stays full until someone makes room: said as such, with a longer wait.
                let full = error.kind == .full
                var headers = HTTPFields()
                headers[.retryAfter] = full ? "300" : "1"
                let message = full
                    ? "the server's disk is full, so nothing was stored; send it again once the office has made room"
                    : "the server cannot use its database just now; try again shortly"
                return Self.response(IntakeHTTPError(status: .serviceUnavailable, message: message, headers: headers),
                                     requestID: context.requestID)
            }
        } catch let error as any HTTPResponseError {
            return Self.response(IntakeHTTPError(status: error.status, message: Self.message(for: error.status)),
                                 requestID: context.requestID)
        } catch {
            context.logger.error("the request failed", metadata: ["error": .string(String(describing: type(of: error)))])
            return Self.response(IntakeHTTPError(status: .internalServerError,
                                                 message: "the server could not answer this request; its log has the details under request id \(context.requestID)"),
                                 requestID: context.requestID)
        }
    }

    /// Hummingbird's own errors (no route, a body over the limit) in plain English.
    static func message(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "there is nothing at this address; the API is described in openapi/intake.yaml"
        case .methodNotAllowed: "this address does not answer that method; the API is described in openapi/intake.yaml"
        case .contentTooLarge: "the body is larger than this server accepts"
        case .badRequest: "the request could not be read"
        default: "the request failed (HTTP \(status.code))"
        }
    }

    static func response(_ error: IntakeHTTPError, requestID: String) -> Response {
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let body = ErrorBody(error: error.message, requestId: requestID)
        let bytes = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":"the request failed"}"#.utf8)
        return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The documented error body.
    struct ErrorBody: Encodable {
        var error: String
        var requestId: String
    }
}
