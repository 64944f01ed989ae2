// Reading a response as JSON, with errors that name the URL.
public import PioneerKit

extension FeedResponse {
    /// The body parsed as JSON.
    ///
    /// The whole tree is held in memory, so a body over ``wholeBodyLimit`` is refused.
    public func json() throws(PluginError) -> JSONValue {
        try requireReadableWhole(as: "a JSON tree (`json()`, `jsonRecords(at:)`)",
                                 instead: "use the built-in `json` plugin, which reads a path that descends to an array an element at a time")
        let bytes = try bytes()
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw JSONExtraction.notJSONError(error, response: self)
        }
    }
}
