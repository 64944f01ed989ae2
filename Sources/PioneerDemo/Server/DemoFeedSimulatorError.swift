// Why the demo feed simulator could not start.

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
