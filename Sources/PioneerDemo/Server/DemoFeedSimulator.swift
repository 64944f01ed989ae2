// The demo feed simulator: serves every example site's simulated local systems over HTTP on
// 127.0.0.1, with Hummingbird.
import HTTPTypes
import Hummingbird
import Logging
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

/// A simulator serving in the background.
public struct RunningDemoFeedSimulator: Sendable {
    public let host: String
    /// The port actually bound (the system's choice when 0 was asked for).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.group = group
        self.task = task
    }

    /// `http://127.0.0.1:<port>`, to replace ``DemoFeedSimulator/defaultBaseURL`` in feed URLs.
    public var baseURL: String { Self.baseURL(host: host, port: port) }

    /// Stops the server gracefully (requests in flight finish) and waits until it has closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    static func baseURL(host: String, port: Int) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}

/// The simulator could not listen.
public struct DemoFeedSimulatorError: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// What the system said: "Address already in use".
    public var cause: String

    public var description: String {
        "could not serve the demo feeds on \(host):\(port): \(cause)"
            + (port != 0 ? "; is another `pioneer demo-feeds` running? Try another --port" : "")
    }
}

/// Turns HTTP requests into ``SimulatedRequest``s and the catalogue's answers into responses.
struct SimulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let catalogue: DemoFeedCatalogue

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            let answer = SimulatedResponse.error(405, "the demo feeds answer GET and HEAD only", headers: ["Allow": "GET, HEAD"])
            return response(answer, includeBody: true)
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        let simulated = SimulatedRequest(
            path: request.uri.path,
            query: request.uri.query.map { SimulatedRequest.parseQuery($0) } ?? [:],
            headers: headers
        )
        return response(catalogue.respond(to: simulated), includeBody: request.method == .get)
    }

    private func response(_ answer: SimulatedResponse, includeBody: Bool) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        let body = includeBody && !answer.body.isEmpty ? ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)) : ResponseBody()
        return Response(status: HTTPResponse.Status(code: answer.status, reasonPhrase: Self.reason(answer.status)),
                        headers: fields, body: body)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        default: return ""
        }
    }
}
