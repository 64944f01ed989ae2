// How `pioneer serve` listens and what it allows: address, body size, request time, connections.
import PioneerCore

/// The intake server's settings; the defaults are `pioneer serve`'s.
public struct IntakeServerConfiguration: Sendable {
    /// 127.0.0.1 by default: a national deployment puts a TLS proxy in front and says so.
    public var host: String
    /// 0 lets the system choose a free port (tests; the port is printed).
    public var port: Int
    /// The largest body accepted, in bytes; a larger one is refused with 413 before it is read.
    public var maximumBodySize: Int
    /// How long a client may take to send its request body (408 after); an idle connection is
    /// kept twice as long and 10 s more.
    public var requestTimeout: Duration
    /// Connections served at once; further ones wait in the system's listen queue until one
    /// closes. Nil: as many as the limit on open files allows (``connectionsAllowed(open:limit:)``).
    public var maximumConnections: Int?

    public static let defaultPort = 8080
    /// 10 MB: a 150-indicator return over three years of months is about 1 MB of JSON.
    public static let defaultMaximumBodySize = 10_000_000
    public static let defaultRequestTimeout = Duration.seconds(30)

    public init(host: String = "127.0.0.1", port: Int = IntakeServerConfiguration.defaultPort,
                maximumBodySize: Int = IntakeServerConfiguration.defaultMaximumBodySize,
                requestTimeout: Duration = IntakeServerConfiguration.defaultRequestTimeout,
                maximumConnections: Int? = nil) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.requestTimeout = requestTimeout
        self.maximumConnections = maximumConnections
    }

    /// Open files kept back from connections: the database's, the log's, the process's own.
    public static let filesBesideConnections = 100

    /// The connections a server may hold with `open` files open under a limit of `limit`:
    /// a process that runs out of files is ended by libdispatch (see `OpenFiles`), so a flood
    /// of connections must wait to be accepted rather than take the last ones.
    public static func connectionsAllowed(open: Int, limit: Int) -> Int {
        max(1, limit - open - filesBesideConnections)
    }

    /// The fewest connections worth serving: below it, `pioneer serve` refuses to start.
    public static let leastConnections = 16

    /// The least `ulimit -n` for a server with `open` files open: its files and ``leastConnections``.
    public static func leastLimit(open: Int) -> Int {
        open + filesBesideConnections + leastConnections
    }

    /// ``maximumConnections``, or what this process's limit on open files allows, and never more.
    public func effectiveMaximumConnections() -> Int {
        let allowed = OpenFiles.current().map { Self.connectionsAllowed(open: $0.open, limit: $0.limit) }
        switch (maximumConnections, allowed) {
        case let (asked?, allowed?): return min(asked, allowed)
        case let (asked?, nil): return asked
        case let (nil, allowed?): return allowed
        case (nil, nil): return 10_000
        }
    }
}
