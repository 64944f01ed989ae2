// The simulated systems' answer to a request: status, headers and body.
public import Foundation

/// What a simulated system answers.
public struct SimulatedResponse: Sendable, Hashable {
    public var status: Int
    /// Header names in their usual capitalisation: `Content-Type`, `ETag`.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// A JSON error document `{"error": message}` with `status`.
    static func error(_ status: Int, _ message: String, headers: [String: String] = [:]) -> SimulatedResponse {
        let body = DemoJSON.object([("status", .integer(status)), ("error", .string(message))]).text
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json; charset=utf-8"
        return SimulatedResponse(status: status, headers: allHeaders, body: Data(body.utf8))
    }
}
