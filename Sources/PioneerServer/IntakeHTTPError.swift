// The errors the intake routes answer with: a status, a plain-English message for the JSON
// body, and any header the status calls for (WWW-Authenticate, Retry-After).
import Hummingbird

/// An error answered as `{"error": "<message>", "requestId": "…"}` with its status.
struct IntakeHTTPError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    /// The one 401 answer: the same words whether the token was missing, malformed, unknown or
    /// revoked, so the body tells nobody whether a token exists.
    static func unauthorized(challenge: String) -> IntakeHTTPError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge
        return IntakeHTTPError(status: .unauthorized,
                               message: "a valid token is needed: send it as `Authorization: Bearer <token>`",
                               headers: headers)
    }

    static func forbidden(_ message: String) -> IntakeHTTPError {
        IntakeHTTPError(status: .forbidden, message: message)
    }

    static func badRequest(_ message: String) -> IntakeHTTPError {
        IntakeHTTPError(status: .badRequest, message: message)
    }

    static let officeOnly = forbidden("this needs an office token; a site token can submit and read only its own site's returns")
}
