// Building a feed's URLs from a plugin's templates, and stripping secrets from URLs for messages.
public import PioneerCore
public import PioneerKit
import Foundation

/// URL building and redaction for feeds.
///
/// ```swift
/// let request = FeedRequest(key: "admissions", feed: "bi", path: "/admissions/{period.start}",
///                           query: ["label": "{period}"])
/// try FeedURL.resolve(request, feed: bi, period: .financialQuarter(2026, 1))
/// // https://bi.torbay.nhs.uk/api/admissions/2026-04-01?label=FY2026-27%20Q1
/// ```
public enum FeedURL {
    /// The full URL for `request` on `feed`: templates filled in for the request's own
    /// period, or `period` when it has none, then joined to the feed's `base_url`, by
    /// ``FeedPathTemplate/url(base:path:query:values:)`` (which says how values are encoded).
    /// - Throws: a ``FeedError`` (0 attempts) naming unknown placeholders, an unclosed
    ///   brace, a base URL that is not http or https, or a path whose `..` climbs out
    ///   of the base URL.
    public static func resolve(_ request: FeedRequest, feed: FeedDefinition, period: Period) throws(FeedError) -> String {
        let period = request.period ?? period
        return try resolve(request, feed: feed, placeholders: FeedPathTemplate.values(for: period))
    }

    /// ``resolve(_:feed:period:)`` with the placeholder values already worked out (see
    /// ``FeedPathTemplate/values(for:)``), for a caller resolving many requests of one period.
    /// The values must be those of the request's own period when it has one.
    public static func resolve(_ request: FeedRequest, feed: FeedDefinition,
                               placeholders values: [String: String]) throws(FeedError) -> String {
        func failure(_ cause: FeedError.Cause) -> FeedError {
            FeedError(feed: feed.name, url: FeedPathTemplate.join(feed.baseURL, request.path), attempts: 0, cause: cause)
        }
        let base = feed.baseURL.trimmingWhitespace()
        guard hasHTTPScheme(base) else {
            throw failure(.invalidURL("base_url `\(redact(base))` must start with http:// or https://"))
        }
        do {
            return try FeedPathTemplate.url(base: base, path: request.path, query: request.query, values: values)
        } catch {
            switch error {
            case .malformed(let problem, let template):
                throw failure(.invalidURL("\(problem) in `\(redact(template))`"))
            case .unknownPlaceholders(let names):
                throw failure(.unknownPlaceholders(names))
            case .climbsOutOfBase(let url, let resolved):
                throw FeedError(feed: feed.name, url: url, attempts: 0, cause: .invalidURL(
                    "the path climbs out of base_url `\(redact(base))` with `..` (it would request \(redact(resolved)))"))
            }
        }
    }

    /// Whether `url` starts with `http://` or `https://`, in any case.
    static func hasHTTPScheme(_ url: String) -> Bool {
        let lower = url.utf8.prefix(8).map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        return lower.starts(with: "http://".utf8) || lower.starts(with: "https://".utf8)
    }

    /// `url` without credentials: `user:password@` is removed from the authority, and the
    /// values of query parameters that usually carry secrets (`token`, `access_token`,
    /// `api_key`, `apikey`, `password`, `secret`, `client_secret`, `sig`, `signature`, `key`,
    /// `refresh_token`, `id_token`, and the signatures and
    /// credentials of presigned links: `X-Amz-Signature`, `X-Amz-Credential`,
    /// `X-Amz-Security-Token`, `X-Goog-Signature`, `X-Goog-Credential`) become `REDACTED`;
    /// a name is compared percent-decoded, so `access%5Ftoken` is caught too.
    public static func redact(_ url: String) -> String {
        // A collection redacts every URL several times, and most carry nothing to hide.
        guard mayCarrySecrets(url) else { return url }
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
        result += redactQuery(url[authorityEnd...])
        return result
    }

    /// The scheme, host and port of a URL: two URLs with the same origin reach the same server.
    struct Origin: Hashable, Sendable {
        var scheme: String
        var host: String
        var port: Int
    }

    /// The origin of `url`, with the scheme's default port filled in and the host in
    /// lower case; nil when `url` has no scheme or host.
    static func origin(of url: String) -> Origin? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else { return nil }
        let defaultPort = scheme == "https" ? 443 : (scheme == "http" ? 80 : nil)
        guard let port = components.port ?? defaultPort else { return nil }
        return Origin(scheme: scheme, host: host.lowercased(), port: port)
    }

    // MARK: Internals

    /// `scheme://host:port` in lower case, without credentials: the key for per-host limits.
    public static func hostKey(of url: String) -> String {
        let bytes = Array(url.utf8)
        guard let schemeEnd = firstSchemeSeparator(in: bytes) else { return url.lowercasedFast() }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !"/?#".utf8.contains(bytes[authorityEnd]) { authorityEnd += 1 }
        var hostStart = authorityStart
        if let at = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) { hostStart = at + 1 }
        let key = bytes[..<authorityStart] + bytes[hostStart..<authorityEnd]
        return String(decoding: key, as: UTF8.self).lowercasedFast()
    }

    /// The offset of the first `://` in `bytes`.
    private static func firstSchemeSeparator(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        for index in 0...(bytes.count - 3)
        where bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/") && bytes[index + 2] == UInt8(ascii: "/") {
            return index
        }
        return nil
    }

    private static let secretParameters: Set<String> = [
        "token", "access_token", "api_key", "apikey", "password", "secret", "client_secret", "sig", "signature",
        // Presigned download links (S3, Google Cloud Storage, Azure) and API keys.
        "key", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential",
        "refresh_token", "id_token",
    ]

    /// Whether `url` might need redacting: false only when it has no `@` and no
    /// `name=` after a `?`, `&` or `#` whose name is one of ``secretParameters``.
    ///
    /// A quick scan of the bytes that errs towards true: any non-ASCII byte in a name
    /// (whose lower case could be ASCII) counts as a possible secret.
    private static func mayCarrySecrets(_ url: String) -> Bool {
        var name: [UInt8] = []
        var inName = false
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "@"):
                return true
            case UInt8(ascii: "?"), UInt8(ascii: "&"), UInt8(ascii: "#"):
                name.removeAll(keepingCapacity: true)
                inName = true
            case UInt8(ascii: "=") where inName:
                if secretParameterBytes.contains(name) { return true }
                inName = false
            case 0x80..., UInt8(ascii: "%"):
                if inName { return true }
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if inName { name.append(byte | 0x20) }
            default:
                if inName { name.append(byte) }
            }
        }
        return false
    }

    private static let secretParameterBytes: Set<[UInt8]> = Set(secretParameters.map { Array($0.utf8) })

    /// Replaces secret-looking query values in `tail` (path, query and fragment).
    private static func redactQuery(_ tail: Substring) -> String {
        guard let questionMark = tail.firstIndex(of: "?") else { return String(tail) }
        let queryEnd = tail[questionMark...].firstIndex(of: "#") ?? tail.endIndex
        let query = tail[tail.index(after: questionMark)..<queryEnd]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
            guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
            let name = parameter[..<equals].lowercasedFast()
            let decoded = (name.removingPercentEncoding ?? name).lowercased()
            return secretParameters.contains(name) || secretParameters.contains(decoded) ? parameter[...equals] + "REDACTED" : String(parameter)
        }
        return tail[...questionMark] + parameters.joined(separator: "&") + tail[queryEnd...]
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        // `Character.isWhitespace`, because "\r\n" is one Character and would not equal "\r".
        trimmingWhitespaceFast()
    }
}
