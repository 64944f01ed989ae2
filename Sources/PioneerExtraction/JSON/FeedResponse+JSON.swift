// Reading a response as JSON, with errors that name the URL.
public import PioneerKit

extension FeedResponse {
    /// The body parsed as JSON.
    ///
    /// The whole tree is held in memory, so a body over ``wholeBodyLimit`` is refused, and so
    /// is one of more than ``wholeValueLimit`` values, whatever its size.
    public func json() throws(PluginError) -> JSONValue {
        try requireReadableWhole(as: "a JSON tree (`json()`, `jsonRecords(at:)`)",
                                 instead: "in a plugin of your own, read it a record at a time with `jsonRecords(at:) { record in … }`; the built-in `json` plugin reads a path that descends to an array an element at a time")
        let bytes = try bytes()
        do {
            return try JSONValue(parsing: bytes, maximumValues: Self.wholeValueLimit)
        } catch {
            throw JSONExtraction.notJSONError(error, response: self)
        }
    }
}

extension FeedResponse {
    /// The most values ``json()`` builds into a tree: some 300 MB of memory (a hundred bytes or
    /// so a value), where the 64 MB text limit alone let small objects take 1.7 GB.
    public static let wholeValueLimit = 3_000_000
}
