// Header names the intake server uses that HTTPTypes has no constant for.
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    /// `X-Request-Id`: the request's id, echoed on every response.
    static let requestID = known("X-Request-Id")
    /// `Digest-SHA256`: a stored submission's digest, `sha256:<hex>`, beside its bytes.
    static let digestSHA256 = known("Digest-SHA256")

    /// A name written here as a literal token: parsing it cannot fail, so failing is a programming error.
    private static func known(_ name: String) -> HTTPField.Name {
        guard let parsed = HTTPField.Name(name) else { preconditionFailure("\(name) is not a valid HTTP field name") }
        return parsed
    }
}
