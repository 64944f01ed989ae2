// Reading a response as JSON, with errors that name the URL.
public import PioneerKit

extension FeedResponse {
    /// The body parsed as JSON.
    public func json() throws(PluginError) -> JSONValue {
        let bytes = try bytes()
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw PluginError("the body of \(url) is not valid JSON: \(error.description)")
        }
    }
}
