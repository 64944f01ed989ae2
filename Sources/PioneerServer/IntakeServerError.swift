// Why the intake server could not start or stopped: the address and the cause, in words.

/// The server could not listen (a port in use, an address not on this machine) or failed while serving.
public struct IntakeServerError: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var cause: String

    public var description: String {
        "cannot serve on \(host):\(port): \(cause)"
    }

    init(host: String, port: Int, cause: String) {
        self.host = host
        self.port = port
        self.cause = cause
    }

    /// From what the server threw: the common causes said plainly, the rest as SwiftNIO words them.
    init(host: String, port: Int, error: any Error) {
        let text = String(describing: error)
        let cause: String
        if text.contains("Address already in use") {
            cause = "the port is in use; choose another with --port (0 picks a free one)"
        } else if text.contains("Cannot assign requested address") {
            cause = "the address is not one of this machine's; give one of its addresses with --host (127.0.0.1 by default)"
        } else if text.contains("Permission denied") {
            cause = "permission denied; ports below 1024 need privileges, choose another with --port"
        } else {
            cause = text
        }
        self.init(host: host, port: port, cause: cause)
    }
}
