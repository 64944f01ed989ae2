// Why a fetch failed, in plain English, naming the feed, the URL and the attempts.
import Foundation
import PioneerCore
import PioneerKit

/// A failed fetch: the feed, the URL (credentials removed), the attempts made and the cause.
///
/// Failures are values: ``FeedClient`` returns them in a `Result`, so one failing
/// feed never stops the others. The ``description`` is written for the person who
/// looks after the site's YAML:
///
/// ```text
/// feed "bi": GET https://bi.torbay.nhs.uk/api/admissions failed: HTTP 503 Service Unavailable after 3 attempts
/// feed "bi": https://bi.torbay.nhs.uk/api/admissions: credential ${BI_TOKEN} is not set (bearer token); nothing was sent
/// ```
public struct FeedError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The feed's name in the site YAML.
    public var feed: String
    /// The URL, with `user:password@` and secret-looking query values removed.
    public var url: String
    /// Attempts made; 0 when the request was never sent.
    public var attempts: Int
    public var cause: Cause
    /// The URL a redirect led to when the failure happened there (credentials removed); nil otherwise.
    public var redirectedTo: String?
    /// What the answer suggests beyond its status (for a 401: the schemes the server offers
    /// against the feed's); nil when nothing.
    public var hint: String?

    public init(feed: String, url: String, attempts: Int, cause: Cause, redirectedTo: String? = nil, hint: String? = nil) {
        self.feed = feed
        self.url = FeedURL.redact(url)
        self.attempts = attempts
        self.cause = cause
        self.redirectedTo = redirectedTo.map(FeedURL.redact)
        self.hint = hint
    }

    /// For a 401, what the server's `WWW-Authenticate` offers against what the feed sends:
    /// libcurl answers only a challenge in the feed's own scheme, so a mismatch is a bare 401.
    static func unauthorizedHint(challenge: String?, auth: FeedAuth) -> String? {
        // Split at the commas outside quoted strings (`realm="trust, north"` is one parameter).
        var parts: [String] = [], current = "", quoted = false
        for character in challenge ?? "" {
            if character == "\"" { quoted.toggle() }
            if character == ",", !quoted { parts.append(current); current = "" } else { current.append(character) }
        }
        parts.append(current)
        let offered = parts.compactMap { part -> String? in
            // `Basic realm="x", NTLM`: a scheme is a token at the start of a challenge, not a `name=value` parameter.
            let word = part.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            // A scheme is a token (RFC 9110): anything else, a control character say, is not shown.
            let isToken = word.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0)) }
            return word.isEmpty || word.contains("=") || !isToken || word.count > 40 ? nil : word
        }.prefix(6)
        let list = offered.isEmpty ? "no scheme (no WWW-Authenticate)" : offered.joined(separator: ", ")
        let scheme = auth.scheme
        if auth == .none { return "the server asks for authentication (it offers \(list)); give the feed an `auth`" }
        let matches = offered.contains { $0.lowercased() == scheme }
        if !matches, scheme != "bearer" || !offered.isEmpty {
            return "the server offers \(list); the feed's auth is `\(scheme)`"
        }
        if scheme == "negotiate" {
            return "the server offers Negotiate, but no Kerberos ticket it accepts was sent: run `kinit` (or use a keytab) "
                + "as the user that runs pioneer; on Linux the feed's username and password are not used for Kerberos"
        }
        return "the server refused the feed's \(scheme) credentials"
    }

    /// The HTTP status, when the server answered with an error status.
    public var status: Int? {
        if case .http(let status) = cause { return status }
        return nil
    }

    public var description: String {
        if attempts == 0 {
            return "feed \"\(feed)\": \(url): \(cause); nothing was sent"
        }
        // "timed out after 5 s, on each of 3 attempts", not "timed out after 5 s after 3 attempts".
        let timedOut: Bool = switch cause {
        case .timedOut, .connectTimedOut: true
        default: false
        }
        let suffix = attempts > 1 ? (timedOut ? ", on each of \(attempts) attempts" : " after \(attempts) attempts") : ""
        let redirect = redirectedTo.map { " (redirected to \($0))" } ?? ""
        let hinted = hint.map { " (\($0))" } ?? ""
        return "feed \"\(feed)\": GET \(url)\(redirect) failed: \(cause)\(hinted)\(suffix)"
    }

    /// What went wrong, without the feed and URL.
    public enum Cause: Sendable, Hashable, CustomStringConvertible {
        /// Environment variables holding credentials (or header values) are unset or empty.
        case missingCredential(variables: [String], usage: String)
        /// A header name or value cannot be sent (bad characters, a line break).
        case invalidHeader(name: String, reason: String)
        /// The URL or its template is malformed.
        case invalidURL(String)
        /// The URL template names placeholders that do not exist.
        case unknownPlaceholders([String])
        /// The local libcurl cannot do this authentication scheme.
        case unsupportedAuth(scheme: String)
        case connectionRefused
        /// Connecting failed for another reason; libcurl's explanation.
        case couldNotConnect(String)
        case couldNotResolveHost(String)
        case proxy(String)
        /// The proxy answered the tunnel request (CONNECT) with this status: a 407 is a wrong
        /// proxy login, a 403 a destination the proxy does not allow. Never retried: three
        /// refused logins a URL can lock the account out.
        case proxyRefused(status: Int)
        /// A SOCKS proxy refused the login; never retried, for the same reason.
        case proxyLoginRefused
        /// No connection within the feed's `connect_timeout`.
        case connectTimedOut(seconds: Double)
        /// The whole transfer took longer than the feed's `timeout`.
        case timedOut(seconds: Double)
        /// Certificate or handshake problem; the text follows "TLS: ".
        case tls(String)
        /// The server answered with this non-success status.
        case http(status: Int)
        /// The (decoded) body grew past the feed's `max_body`.
        case bodyTooLarge(limit: Int)
        /// The connection closed before the announced body length arrived.
        case truncatedBody(received: Int, expected: Int?)
        /// The connection broke mid-exchange, or the server closed it without replying.
        case connectionLost(String)
        /// More redirects than `max_redirects`; `loop` lists the URLs when they repeat.
        case tooManyRedirects(limit: Int, loop: [String]?)
        /// The body claimed gzip or deflate but could not be decoded.
        case badContentEncoding(String)
        /// The calling task was cancelled.
        case cancelled
        /// Any other libcurl failure: its error code and message (code 0 for a failure around
        /// libcurl rather than in it).
        case transport(code: Int, detail: String)

        /// True for causes worth another attempt: connection failures, timeouts,
        /// broken transfers, 429 and 5xx. Never other 4xx, TLS, size or config problems.
        public var isRetryable: Bool {
            switch self {
            case .connectionRefused, .couldNotConnect, .couldNotResolveHost, .proxy,
                 .connectTimedOut, .timedOut, .truncatedBody, .connectionLost:
                return true
            case .http(let status):
                return status == 429 || (500...599).contains(status)
            case .missingCredential, .invalidHeader, .invalidURL, .unknownPlaceholders, .unsupportedAuth,
                 .tls, .bodyTooLarge, .tooManyRedirects, .badContentEncoding, .cancelled, .transport, .proxyRefused, .proxyLoginRefused:
                return false
            }
        }

        public var description: String {
            switch self {
            case .missingCredential(let variables, let usage):
                let names = variables.map { "${\($0)}" }
                if names.count == 1 { return "credential \(names[0]) is not set (\(usage))" }
                return "credentials \(Self.list(names)) are not set (\(usage))"
            case .invalidHeader(let name, let reason):
                return "header \(name) \(reason)"
            case .invalidURL(let reason):
                return "invalid URL: \(reason)"
            case .unknownPlaceholders(let names):
                let known = FeedPathTemplate.placeholders.map { "{\($0)}" }
                let noun = names.count == 1 ? "placeholder" : "placeholders"
                return "unknown \(noun) \(Self.list(names.map { "{\($0)}" })); known placeholders are \(Self.list(known))"
            case .unsupportedAuth(let scheme):
                return "this libcurl was built without \(scheme) authentication"
            case .connectionRefused:
                return "connection refused"
            case .couldNotConnect(let detail):
                return "could not connect (\(detail))"
            case .couldNotResolveHost(let host):
                return "could not resolve host \(host)"
            case .proxy(let detail):
                return "proxy: \(detail)"
            case .proxyLoginRefused:
                return "proxy: the SOCKS proxy refused the login; check the user name and password in the feed's `proxy` "
                    + "(not retried, so as not to lock the account out)"
            case .proxyRefused(let status):
                let reason = HTTPStatusText.reason(for: status)
                let answer = reason.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(reason)"
                let advice = status == 407
                    ? "; check the user name and password in the feed's `proxy` (not retried, so as not to lock the account out)"
                    : ""
                return "proxy: the proxy refused to open a tunnel to the server (\(answer))\(advice)"
            case .connectTimedOut(let seconds):
                return "could not connect: timed out after \(Self.seconds(seconds))"
            case .timedOut(let seconds):
                return "timed out after \(Self.seconds(seconds))"
            case .tls(let detail):
                return "TLS: \(detail)"
            case .http(let status):
                let reason = HTTPStatusText.reason(for: status)
                return reason.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(reason)"
            case .bodyTooLarge(let limit):
                return "body larger than \(Self.bytes(limit)), the feed's `max_body` (after any gzip or deflate "
                    + "decoding); give the feed a larger `max_body` if the extract is meant to be this big"
            case .truncatedBody(let received, let expected):
                if let expected {
                    return "connection closed after \(received) of \(expected) bytes of the body"
                }
                return "connection closed after \(received) bytes, before the body was complete"
            case .connectionLost(let detail):
                return detail
            case .tooManyRedirects(let limit, let loop):
                guard let loop, !loop.isEmpty else { return "too many redirects (\(limit))" }
                return "too many redirects (\(limit)): the server redirects in a loop: \(loop.joined(separator: " -> "))"
            case .badContentEncoding(let detail):
                return "the body could not be decompressed (\(detail))"
            case .cancelled:
                return "cancelled"
            case .transport(let code, let detail):
                // Code 0: a failure around libcurl rather than in it (a thread that would not start).
                return code == 0 ? detail : "\(detail) (libcurl error \(code))"
            }
        }

        /// "a", "a and b", "a, b and c".
        static func list(_ items: [String]) -> String {
            guard items.count > 1, let last = items.last else { return items.first ?? "" }
            return items.dropLast().joined(separator: ", ") + " and " + last
        }

        /// "10 s", "0.5 s".
        static func seconds(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e9 { return "\(Int(value)) s" }
            return "\((value * 1000).rounded() / 1000) s"
        }

        /// "20 MB", "512 KB", "1.5 MB", "300 bytes": binary units, as `max_body` reads them.
        static func bytes(_ count: Int) -> String {
            let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)]
            for (name, size) in units where count >= size {
                let value = Double(count) / Double(size)
                let rounded = (value * 10).rounded() / 10
                return rounded == rounded.rounded() ? "\(Int(rounded)) \(name)" : "\(rounded) \(name)"
            }
            return count == 1 ? "1 byte" : "\(count) bytes"
        }
    }
}
