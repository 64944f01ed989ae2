// Who is calling: the token from `Authorization: Bearer <token>` (or, where a browser must be
// able to ask, HTTP Basic with the token as the password) looked up in the intake store, which
// keeps only its hash and compares in constant time. Anything else is one 401, worded the same
// whether the token was missing, malformed, unknown or revoked.
import Foundation
import Hummingbird
import Logging
import PioneerIntake

struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    var store: IntakeStore
    /// Whether HTTP Basic is accepted (the dashboard), and so which challenge a 401 carries.
    var acceptsBasic: Bool

    /// Tokens are a few dozen characters; a longer header is refused before the store sees it.
    static let maximumHeaderLength = 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let challenge = acceptsBasic ? #"Basic realm="pioneer", charset="UTF-8""# : #"Bearer realm="pioneer""#
        guard let header = request.headers[.authorization], header.utf8.count <= Self.maximumHeaderLength,
              let token = Self.token(from: header, acceptsBasic: acceptsBasic),
              let caller = try await store.caller(forToken: token) else {
            context.logger.info("no valid token")
            throw IntakeHTTPError.unauthorized(challenge: challenge)
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "token.id"] = .string(caller.tokenID)
        return try await next(request, context)
    }

    /// The token an Authorization header carries, or nil when it carries none this route accepts.
    static func token(from header: String, acceptsBasic: Bool) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased(), credentials = parts[1].trimmingCharacters(in: .whitespaces)
        if scheme == "bearer" {
            return credentials.isEmpty ? nil : credentials
        }
        guard scheme == "basic", acceptsBasic,
              let decoded = Data(base64Encoded: credentials).flatMap({ String(data: $0, encoding: .utf8) }),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        // Any user name: the token is the secret.
        let password = String(decoded[decoded.index(after: colon)...])
        return password.isEmpty ? nil : password
    }
}
