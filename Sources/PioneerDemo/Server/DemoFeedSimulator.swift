// The demo feed simulator: serves every example site's simulated local systems over HTTP on
// 127.0.0.1, with Hummingbird.
import Hummingbird
public import Logging
import ServiceLifecycle

/// An HTTP server for the example sites' simulated local systems.
///
/// Serves ``DemoFeedCatalogue`` at `http://<host>:<port>/<site>/<system>/…`. The example
/// YAML files point their feeds at ``defaultBaseURL``; `pioneer demo` starts one on an
/// ephemeral port and rewrites the feeds' base URLs to it.
///
/// ```swift
/// let server = try await DemoFeedSimulator(port: 0).start()
/// print(server.baseURL)        // http://127.0.0.1:53817
/// await server.stop()
/// ```
public struct DemoFeedSimulator: Sendable {
    /// The port the example sites' YAML files name.
    public static let defaultPort = 8470
    /// The base URL the example sites' YAML files name: `http://127.0.0.1:8470`.
    public static let defaultBaseURL = "http://127.0.0.1:\(defaultPort)"

    public var host: String
    /// The port to listen on; 0 lets the system choose a free one.
    public var port: Int
    public var catalogue: DemoFeedCatalogue
    /// Where the server logs; by default only errors, to standard error.
    public var logger: Logger

    public init(host: String = "127.0.0.1", port: Int = DemoFeedSimulator.defaultPort,
                catalogue: DemoFeedCatalogue = DemoFeedCatalogue(), logger: Logger? = nil) {
        self.host = host
        self.port = port
        self.catalogue = catalogue
        self.logger = logger ?? {
            var logger = Logger(label: "pioneer.demo-feeds")
            logger.logLevel = .error
            return logger
        }()
    }

    /// Starts serving in the background and returns once the server is listening.
    ///
    /// - Throws: ``DemoFeedSimulatorError`` when the address cannot be bound (a port in use).
    public func start() async throws -> RunningDemoFeedSimulator {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = makeApplication { port in continuation.yield(port) }
        let group = ServiceGroup(services: [application], logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await boundPort in ports {
            return RunningDemoFeedSimulator(host: host, port: boundPort, group: group, task: task)
        }
        do {
            try await task.value
        } catch {
            throw DemoFeedSimulatorError(host: host, port: port, cause: String(describing: error))
        }
        throw DemoFeedSimulatorError(host: host, port: port, cause: "the server stopped before it was listening")
    }

    /// Serves until the process receives SIGINT (Ctrl-C) or SIGTERM, then shuts down gracefully.
    ///
    /// `onListening` receives the base URL once the server is listening.
    public func serveUntilInterrupted(onListening: @escaping @Sendable (String) async -> Void) async throws {
        let host = self.host
        let application = makeApplication { port in await onListening(RunningDemoFeedSimulator.baseURL(host: host, port: port)) }
        do {
            try await application.runService()
        } catch {
            throw DemoFeedSimulatorError(host: host, port: port, cause: String(describing: error))
        }
    }

    private func makeApplication(
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let requestedPort = port
        return Application(
            responder: SimulatorResponder(catalogue: catalogue),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "pioneer-demo-feeds"),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? requestedPort)
            },
            logger: logger
        )
    }
}
