// The benchmark feed server: answers `/bench/<n>.json` with `{"value": <n>}` for any n, on
// 127.0.0.1, so scripts/bench-collect.sh can time `pioneer collect` against `curl --parallel`.
import Hummingbird
public import Logging

/// An HTTP server with one trivial feed per number, for timing collection.
///
/// `GET /bench/<n>.json` answers `{"value": <n>}` (any query string is ignored), after
/// ``latency``; anything else is a 404. The answers are as cheap as possible so that a benchmark measures the
/// client, not the server.
///
/// ```swift
/// try await BenchmarkFeedServer(port: 0).serveUntilInterrupted { baseURL in print(baseURL) }
/// ```
public struct BenchmarkFeedServer: Sendable {
    public var host: String
    /// The port to listen on; 0 lets the system choose a free one.
    public var port: Int
    /// How long each feed takes to answer (a sleep, so it costs no CPU); zero answers at once.
    public var latency: Duration
    /// Where the server logs; by default only errors, to standard error.
    public var logger: Logger

    public init(host: String = "127.0.0.1", port: Int = 0, latency: Duration = .zero, logger: Logger? = nil) {
        self.host = host
        self.port = port
        self.latency = latency
        self.logger = logger ?? {
            var logger = Logger(label: "pioneer.bench-feeds")
            logger.logLevel = .error
            return logger
        }()
    }

    /// Serves until the process receives SIGINT (Ctrl-C) or SIGTERM, then shuts down gracefully.
    ///
    /// `onListening` receives the base URL, `http://127.0.0.1:<port>`, once the server is listening.
    ///
    /// - Throws: ``BenchmarkFeedServerError`` when the address cannot be bound (a port in use).
    public func serveUntilInterrupted(onListening: @escaping @Sendable (String) async -> Void) async throws {
        let host = self.host
        let requestedPort = port
        let application = Application(
            responder: BenchmarkFeedResponder(latency: latency),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "pioneer-bench-feeds"),
            onServerRunning: { channel in
                await onListening(RunningDemoFeedSimulator.baseURL(host: host, port: channel.localAddress?.port ?? requestedPort))
            },
            logger: logger
        )
        do {
            try await application.runService()
        } catch {
            throw BenchmarkFeedServerError(host: host, port: port, cause: String(describing: error))
        }
    }
}
