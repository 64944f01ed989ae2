// The seam between the feed client's policy (retries, messages) and the wire (libcurl).
public import Foundation
public import PioneerCore
public import PioneerKit

/// Performs single HTTP requests (the feeds' GETs, a submission's POST); the ``FeedClient`` adds
/// retries, redirects, credentials and messages, the ``UploadClient`` retries for a POST.
///
/// The default is ``CurlTransport``. Tests and tools may supply their own: a transport
/// sees requests with credentials already resolved, and answers with a response (any
/// status, a redirect included) or a ``TransportError``. It must not retry or follow
/// redirects by itself: the client follows them, deciding at each hop which headers and
/// credentials may go to the next URL.
public protocol FeedTransport: Sendable {
    /// Makes one attempt at `request`.
    func perform(_ request: TransportRequest) async -> Result<TransportResponse, TransportError>

    /// Starts one attempt at `request` and returns at once; `completion` runs exactly once
    /// with the outcome, on any thread. The default runs ``perform(_:)`` in a task;
    /// ``CurlTransport`` queues the transfer directly, without a task per request.
    func start(_ request: TransportRequest,
               completion: @escaping @Sendable (Result<TransportResponse, TransportError>) -> Void) -> TransportAttempt

    /// The body bytes received so far by every transfer, finished or not, for a progress
    /// display while a large extract arrives; nil when the transport does not count them.
    var bodyBytesReceived: Int? { get }
}

extension FeedTransport {
    public func start(_ request: TransportRequest,
                      completion: @escaping @Sendable (Result<TransportResponse, TransportError>) -> Void) -> TransportAttempt {
        let task = Task { completion(await perform(request)) }
        return TransportAttempt { task.cancel() }
    }

    public var bodyBytesReceived: Int? { nil }
}

/// An attempt started with ``FeedTransport/start(_:completion:)``; ``cancel()`` aborts it
/// (its completion then reports ``TransportError/Cause/cancelled``, or whatever it had already).
public final class TransportAttempt: Sendable {
    private let onCancel: @Sendable () -> Void

    public init(onCancel: @escaping @Sendable () -> Void) {
        self.onCancel = onCancel
    }

    public func cancel() {
        onCancel()
    }
}

/// One request as the wire sees it: a full URL, headers and resolved credentials; a GET, or
/// a POST when it carries a ``Body``.
public struct TransportRequest: Sendable, Hashable, CustomStringConvertible {
    public var url: String
    /// What a POST sends; nil for a GET.
    public var body: Body?
    /// Headers in the order they are sent; includes `Authorization` for bearer auth
    /// and the conditional-request headers.
    public var headers: [Header]
    /// Credentials for schemes the transport negotiates itself (basic, NTLM, Negotiate).
    public var credentials: TransportCredentials
    public var tls: FeedTLS
    /// Proxy URL, without a login; nil leaves it to the `http_proxy`, `https_proxy` and
    /// `no_proxy` variables. When set, every request goes through it, whatever `no_proxy` says.
    public var proxy: String?
    /// The proxy's user name and password, sent apart from its URL (so a password holding
    /// `@`, `/` or `%` is sent as it is, and never appears in a URL a message shows).
    public var proxyLogin: ProxyLogin?
    /// The pass phrase of an encrypted `tls.clientKey`; nil for none (OpenSSL is never left
    /// to ask for one on the terminal).
    public var keyPassword: String?

    /// A proxy's user name and password.
    public struct ProxyLogin: Sendable, Hashable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds allowed for the whole transfer.
    public var timeout: Double
    public var maxBodyBytes: Int
    /// Bodies larger than this are written to a temporary file as they arrive (hashed on
    /// the way) rather than kept in memory: see ``TransportResponse/bodyFile``.
    public var bodyInMemoryLimit: Int

    /// What ``bodyInMemoryLimit`` is unless set: 8 MB, well above a typical aggregate feed.
    public static let defaultBodyInMemoryLimit = 8 * 1024 * 1024

    public init(url: String, headers: [Header] = [], credentials: TransportCredentials = .none, tls: FeedTLS = FeedTLS(),
                proxy: String? = nil, connectTimeout: Double = 10, timeout: Double = 60,
                maxBodyBytes: Int = FeedDefinition.defaultMaxBodyBytes, body: Body? = nil,
                bodyInMemoryLimit: Int = TransportRequest.defaultBodyInMemoryLimit) {
        self.bodyInMemoryLimit = bodyInMemoryLimit
        self.url = url
        self.body = body
        self.headers = headers
        self.credentials = credentials
        self.tls = tls
        self.proxy = proxy
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// The value of the first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercasedFast()
        return headers.first { $0.name.lowercasedFast() == wanted }?.value
    }

    /// `GET`, or `POST` when the request has a body.
    public var method: String { body == nil ? "GET" : "POST" }

    /// "GET <url>" or "POST <url>" with credentials removed; never shows secrets.
    public var description: String { "\(method) \(FeedURL.redact(url))" }

    /// The request for `url` on another origin: every secret header and the credentials removed.
    ///
    /// What stays is what the configuration says openly (an `Accept` or a version header)
    /// and the conditional-request validators.
    func withoutSecrets(url: String) -> TransportRequest {
        var next = self
        next.url = url
        next.headers.removeAll { $0.isSecret }
        next.credentials = .none
        return next
    }

    /// The bytes a POST sends and their media type (`application/json`), sent as `Content-Type`.
    public struct Body: Sendable, Hashable {
        public var contentType: String
        public var bytes: Data

        public init(contentType: String, bytes: Data) {
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    /// One request header.
    public struct Header: Sendable, Hashable {
        /// Names whose value is a credential whoever set them.
        static let credentialNames: Set<String> = ["authorization", "proxy-authorization", "cookie"]

        public var name: String
        public var value: String
        /// True when the value is a secret (it was filled in from a `${VAR}`, or the name is
        /// `Authorization`, `Proxy-Authorization` or `Cookie`): such a header is never
        /// sent to an origin other than the feed's own.
        public var isSecret: Bool

        /// A header; `isSecret` defaults to whether `name` is one that carries credentials.
        public init(_ name: String, _ value: String, isSecret: Bool = false) {
            self.name = name
            self.value = value
            self.isSecret = isSecret || Self.credentialNames.contains(name.lowercasedFast())
        }
    }
}

/// Credentials the transport hands to the server's authentication challenge.
///
/// Its description names the scheme and hides the values, so it is safe to log.
public enum TransportCredentials: Sendable, Hashable, CustomStringConvertible {
    case none
    case basic(username: String, password: String)
    case ntlm(username: String, password: String)
    /// Kerberos/SPNEGO; empty strings mean "use the ticket cache".
    case negotiate(username: String, password: String)

    public var description: String {
        switch self {
        case .none: return "none"
        case .basic: return "basic (credentials hidden)"
        case .ntlm: return "ntlm (credentials hidden)"
        case .negotiate: return "negotiate (credentials hidden)"
        }
    }
}

/// What came back from one attempt, whatever its status.
public struct TransportResponse: Sendable {
    public var status: Int
    /// Header names in lower case; repeated headers joined with ", ".
    public var headers: [String: String]
    /// The decoded body, when held in memory; empty when it is in ``bodyFile``.
    public var body: Data
    /// The decoded body, when it was larger than the request's `bodyInMemoryLimit` and so
    /// written to a temporary file as it arrived.
    public var bodyFile: ReceivedBodyFile?
    /// The URL that answered.
    public var effectiveURL: String
    /// Connections opened for this transfer; 0 when an idle one was reused.
    public var connectionsOpened: Int

    public init(status: Int, headers: [String: String] = [:], body: Data = Data(), bodyFile: ReceivedBodyFile? = nil,
                effectiveURL: String, connectionsOpened: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyFile = bodyFile
        self.effectiveURL = effectiveURL
        self.connectionsOpened = connectionsOpened
    }
}

/// An attempt that got no usable HTTP response.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var cause: FeedError.Cause

    public init(_ cause: FeedError.Cause) {
        self.cause = cause
    }

    public var description: String { cause.description }
}

/// Bridges task cancellation to an attempt that may not have started yet: a cancel that
/// comes first is remembered and applied as soon as the attempt exists.
package final class CancellableAttempt: Sendable {
    private let state = Locked<(attempt: TransportAttempt?, cancelled: Bool)>((nil, false))

    package init() {}

    package func started(_ attempt: TransportAttempt) {
        let cancelled = state.withLock { state in
            state.attempt = attempt
            return state.cancelled
        }
        if cancelled { attempt.cancel() }
    }

    package func cancel() {
        let attempt = state.withLock { state in
            state.cancelled = true
            return state.attempt
        }
        attempt?.cancel()
    }
}
