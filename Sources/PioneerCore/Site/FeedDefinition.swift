// How to reach one of a site's local systems over HTTP.
public import PioneerKit

/// A reference to a secret in the environment: `${BI_TOKEN}` in YAML.
///
/// Only the variable's name is ever stored, printed or logged; the value is read
/// at the moment a request is made.
public struct SecretReference: Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    public var location: SourceLocation

    public init(variable: String, location: SourceLocation) {
        self.variable = variable
        self.location = location
    }

    /// The secret's value, or nil when the variable is unset or empty.
    public func resolve(in environment: [String: String]) -> String? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        return value
    }

    public var description: String { "${\(variable)}" }
}

/// How a feed authenticates.
public enum FeedAuth: Sendable, Hashable {
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(token: SecretReference)
    case basic(username: SecretReference, password: SecretReference)
    /// Windows authentication.
    case ntlm(username: SecretReference, password: SecretReference)
    /// Kerberos/SPNEGO; the username and password are optional (a ticket cache may serve).
    case negotiate(username: SecretReference?, password: SecretReference?)

    /// Every secret the auth needs, for checks.
    public var secrets: [SecretReference] {
        switch self {
        case .none: return []
        case .bearer(let token): return [token]
        case .basic(let user, let password), .ntlm(let user, let password): return [user, password]
        case .negotiate(let user, let password): return [user, password].compactMap { $0 }
        }
    }

    /// "bearer", "basic", "ntlm", "negotiate" or "none".
    public var scheme: String {
        switch self {
        case .none: return "none"
        case .bearer: return "bearer"
        case .basic: return "basic"
        case .ntlm: return "ntlm"
        case .negotiate: return "negotiate"
        }
    }
}

/// TLS settings for a feed behind an internal certificate authority.
public struct FeedTLS: Sendable, Hashable {
    /// PEM bundle of CAs to trust, path relative to the site directory resolved by the loader.
    public var caBundle: String?
    /// Client certificate and key (PEM) for mutual TLS.
    public var clientCertificate: String?
    public var clientKey: String?
    /// The pass phrase of an encrypted `clientKey`, from the environment.
    public var clientKeyPassword: SecretReference?
    /// Turning verification off is allowed only for loopback test feeds; validation warns otherwise.
    public var verify: Bool

    public init(caBundle: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil,
                clientKeyPassword: SecretReference? = nil, verify: Bool = true) {
        self.caBundle = caBundle
        self.clientKeyPassword = clientKeyPassword
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.verify = verify
    }
}

/// Retry policy for a feed.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts after the first one.
    public var retries: Int
    /// First backoff delay in seconds; doubled each retry, with jitter.
    public var backoff: Double
    /// Ceiling for any one delay, including a server's Retry-After.
    public var maxBackoff: Double

    public init(retries: Int = 2, backoff: Double = 0.5, maxBackoff: Double = 30) {
        self.retries = retries
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }
}

/// One local system a site's indicators read from.
public struct FeedDefinition: Sendable, Hashable {
    /// Name used by indicator configs: `bi`, `council`, `survey`.
    public var name: String
    /// Base URL; request paths are appended to it, and may not climb out of it with `..`.
    public var baseURL: String
    public var auth: FeedAuth
    public var tls: FeedTLS
    /// Proxy URL, which may hold `${VAR}` references; nil means the usual environment
    /// variables (`https_proxy`, `no_proxy`).
    public var proxy: String?
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds allowed for the whole transfer (for each hop of a redirect).
    public var timeout: Double
    public var retry: RetryPolicy
    /// Extra headers; values may hold `${VAR}` references, resolved at request time. A
    /// header with a reference is a secret: it is not sent after a redirect to another origin.
    public var headers: [String: String]
    /// Largest body accepted, in bytes.
    public var maxBodyBytes: Int
    /// `max_body` unless a feed sets it: 2 GB. Large bodies go to a temporary file and are
    /// read in one pass, so the limit guards the disk and the wait, not the memory.
    public static let defaultMaxBodyBytes = 2 * 1024 * 1024 * 1024
    /// Redirects followed before giving up; a redirect to another origin drops the auth
    /// and secret headers.
    public var maxRedirects: Int
    public var location: SourceLocation

    public init(
        name: String, baseURL: String, auth: FeedAuth = .none, tls: FeedTLS = FeedTLS(), proxy: String? = nil,
        connectTimeout: Double = 10, timeout: Double = 60, retry: RetryPolicy = RetryPolicy(),
        headers: [String: String] = [:], maxBodyBytes: Int = FeedDefinition.defaultMaxBodyBytes, maxRedirects: Int = 5,
        location: SourceLocation = .unknown()
    ) {
        self.name = name
        self.baseURL = baseURL
        self.auth = auth
        self.tls = tls
        self.proxy = proxy
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.retry = retry
        self.headers = headers
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.location = location
    }
}
