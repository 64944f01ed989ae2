// The national intake service over HTTP: a Hummingbird application whose routes are
// openapi/intake.yaml's, over an IntakeService. `pioneer serve` runs it until SIGTERM or
// SIGINT; the tests start it on a free port in-process.
public import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
public import Logging
public import PioneerCore
public import PioneerIntake
import ServiceLifecycle
import UnixSignals

/// The intake server.
///
/// ```swift
/// let store = try IntakeStore(path: "intake.sqlite")
/// let server = IntakeServer(store: store, programme: programme, configuration: .init(port: 0))
/// let running = try await server.start()      // tests: listening on running.baseURL
/// await running.stop()
/// try await server.run { url in print("listening on \(url)") }   // pioneer serve: until SIGTERM
/// ```
public struct IntakeServer: Sendable {
    public var store: IntakeStore
    public var programme: Programme
    public var configuration: IntakeServerConfiguration
    public var metrics: IntakeMetrics
    public var logger: Logger
    /// The server's clock: deadlines, the default period; tests move it.
    public var clock: @Sendable () -> Date

    public init(store: IntakeStore, programme: Programme, configuration: IntakeServerConfiguration = IntakeServerConfiguration(),
                metrics: IntakeMetrics = IntakeMetrics(), logger: Logger? = nil,
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.programme = programme
        self.configuration = configuration
        self.metrics = metrics
        self.clock = clock
        self.logger = logger ?? {
            var logger = Logger(label: "pioneer.serve")
            logger.logLevel = .warning
            return logger
        }()
    }

    /// The router with every middleware and route, in the order a request meets them.
    func makeRouter() -> Router<IntakeRequestContext> {
        let router = Router(context: IntakeRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorResponseMiddleware(metrics: metrics))
        let routeTable = RouteTable()
        router.add(middleware: MethodMiddleware(routes: routeTable))
        router.add(middleware: BodyLimitMiddleware(maximum: configuration.maximumBodySize))
        let service = IntakeService(store: store, programme: programme, clock: clock)
        IntakeRoutes(service: service, store: store, programme: programme, metrics: metrics,
                     configuration: configuration, clock: clock).register(on: router)
        routeTable.set(router.routes.map { (method: $0.method.rawValue, path: $0.path.description) })
        return router
    }

    /// The routes served, as `METHOD /path/{param}`, for the check against openapi/intake.yaml.
    public func routes() -> [String] {
        // HEAD, which every GET route also answers, is HTTP's, not the API's.
        makeRouter().routes.filter { $0.method != .head }.map { "\($0.method.rawValue) \($0.path.description)" }.sorted()
    }

    func makeApplication(onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let requestedPort = configuration.port
        let timeout = configuration.requestTimeout.components
        // Well past the request timeout, so a slow body meets the 408 (which says why) before
        // the connection is dropped, even on a machine too busy to answer at once.
        let idle = TimeAmount.nanoseconds(2 * (timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000) + 10_000_000_000)
        return Application(
            router: makeRouter(),
            server: HTTPServerBuilder { [logger] responder in
                IntakeHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idle)), logger: logger)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "pioneer-serve",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.effectiveMaximumConnections(),
                                                                         logger: logger)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? requestedPort) },
            logger: logger
        )
    }

    /// Serves until the process gets SIGTERM or SIGINT, then shuts down gracefully: no new
    /// connections, and the requests under way finish (a submission's transaction commits, and
    /// its answer is sent) before this returns.
    ///
    /// - Parameter onListening: called with the base URL once the server is listening.
    public func run(onListening: @escaping @Sendable (String) async -> Void) async throws(IntakeServerError) {
        LargeBlocks.returnToTheSystemWhenFreed()
        let host = configuration.host
        let application = makeApplication { port in await onListening(RunningIntakeServer.baseURL(host: host, port: port)) }
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        do {
            try await group.run()
        } catch {
            throw IntakeServerError(host: configuration.host, port: configuration.port, error: error)
        }
    }

    /// Starts serving in the background; returns once the server is listening.
    public func start() async throws(IntakeServerError) -> RunningIntakeServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = makeApplication { port in continuation.yield(port) }
        let group = ServiceGroup(services: [application], logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await port in ports {
            return RunningIntakeServer(host: configuration.host, port: port, group: group, task: task)
        }
        do {
            try await task.value
        } catch {
            throw IntakeServerError(host: configuration.host, port: configuration.port, error: error)
        }
        throw IntakeServerError(host: configuration.host, port: configuration.port, cause: "the server stopped before it was listening")
    }
}
