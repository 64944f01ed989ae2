// Why the benchmark feed server could not start.

/// The benchmark feed server could not listen.
public struct BenchmarkFeedServerError: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// What the system said: "Address already in use".
    public var cause: String

    public var description: String {
        "could not serve the benchmark feeds on \(host):\(port): \(cause)"
            + (port != 0 ? "; try another --port, or --port 0 for a free one" : "")
    }
}
