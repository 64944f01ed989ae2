// A demo feed simulator serving in the background, and how to stop it.
import ServiceLifecycle

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
