// How `pioneer serve` listens and what it allows: address, body size and request time.

/// The intake server's settings; the defaults are `pioneer serve`'s.
public struct IntakeServerConfiguration: Sendable {
    /// 127.0.0.1 by default: a national deployment puts a TLS proxy in front and says so.
    public var host: String
    /// 0 lets the system choose a free port (tests; the port is printed).
    public var port: Int
    /// The largest body accepted, in bytes; a larger one is refused with 413 before it is read.
    public var maximumBodySize: Int
    /// How long a client may take to send its request body (408 after), and how long an idle
    /// connection is kept open.
    public var requestTimeout: Duration

    public static let defaultPort = 8080
    /// 10 MB: a 150-indicator return over three years of months is about 1 MB of JSON.
    public static let defaultMaximumBodySize = 10_000_000
    public static let defaultRequestTimeout = Duration.seconds(30)

    public init(host: String = "127.0.0.1", port: Int = IntakeServerConfiguration.defaultPort,
                maximumBodySize: Int = IntakeServerConfiguration.defaultMaximumBodySize,
                requestTimeout: Duration = IntakeServerConfiguration.defaultRequestTimeout) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.requestTimeout = requestTimeout
    }
}
