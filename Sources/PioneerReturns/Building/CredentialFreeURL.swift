// URLs as a return may carry them: a return leaves the site, so whatever the store holds,
// no user name, password or token goes with it.
import Foundation

/// Removes credentials from URLs.
///
/// The collector already redacts the URLs it stores (`FeedURL.redact`); this is the
/// return's own guarantee, and it goes further: the credential parameters are dropped
/// rather than masked, and so is any parameter whose value is one of the site's secrets.
public struct CredentialFreeURL: Sendable {
    /// Query parameters that carry secrets by convention (compared in lower case).
    public static let secretParameters: Set<String> = [
        "token", "access_token", "api_key", "apikey", "key", "password", "pass", "pwd", "secret",
        "client_secret", "sig", "signature", "auth", "code",
    ]

    /// The values of the site's secrets (its feeds' auth), as resolved in the environment.
    public var secretValues: Set<String>

    public init(secretValues: Set<String> = []) {
        self.secretValues = secretValues.filter { !$0.isEmpty }
    }

    /// `url` without `user:password@` and without secret query parameters.
    public func clean(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex(where: { "/?#".contains($0) }) ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        var result = String(url[..<authorityStart])
        if let at = authority.lastIndex(of: "@") {
            result += authority[authority.index(after: at)...]
        } else {
            result += authority
        }
        let tail = url[authorityEnd...]
        guard let questionMark = tail.firstIndex(of: "?") else { return result + tail }
        let queryEnd = tail[questionMark...].firstIndex(of: "#") ?? tail.endIndex
        let kept = tail[tail.index(after: questionMark)..<queryEnd]
            .split(separator: "&", omittingEmptySubsequences: true)
            .filter { !isSecret($0) }
        result += tail[..<questionMark]
        if !kept.isEmpty { result += "?" + kept.joined(separator: "&") }
        return result + tail[queryEnd...]
    }

    private func isSecret(_ parameter: Substring) -> Bool {
        let equals = parameter.firstIndex(of: "=") ?? parameter.endIndex
        let name = parameter[..<equals].lowercased()
        if Self.secretParameters.contains(name) { return true }
        guard equals < parameter.endIndex, !secretValues.isEmpty else { return false }
        let value = String(parameter[parameter.index(after: equals)...])
        return secretValues.contains(value) || secretValues.contains(value.removingPercentEncoding ?? value)
    }
}
