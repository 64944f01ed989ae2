// An intake server started in the background (tests): where it listens, and how to stop it.
import ServiceLifecycle

/// A server started by ``IntakeServer/start()``.
public struct RunningIntakeServer: Sendable {
    public var host: String
    public var port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { Self.baseURL(host: host, port: port) }

    static func baseURL(host: String, port: Int) -> String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Shuts down gracefully (requests under way finish) and waits until it has.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
