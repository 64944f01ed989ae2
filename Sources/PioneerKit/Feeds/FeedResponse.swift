// What the host hands back to a plugin: the body and the facts about its fetch.
public import Foundation

/// A successful response to a ``FeedRequest``.
public struct FeedResponse: Sendable, Hashable {
    /// The request's key.
    public var key: String
    public var feed: String
    /// The URL fetched, with any credentials removed.
    public var url: String
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    /// The bytes, in memory or in a file; read them with ``bytes()``, ``text()`` or the
    /// extraction module's `json()` and `csv()`, which name the URL when they fail.
    public var body: Body
    public var fetchedAt: Date

    public init(key: String, feed: String, url: String, status: Int = 200, headers: [String: String] = [:],
                body: Body, fetchedAt: Date = Date()) {
        self.key = key
        self.feed = feed
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.fetchedAt = fetchedAt
    }

    /// A response whose body is held in memory.
    public init(key: String, feed: String, url: String, status: Int = 200, headers: [String: String] = [:],
                body: Data, fetchedAt: Date = Date()) {
        self.init(key: key, feed: feed, url: url, status: status, headers: headers, body: .memory(body), fetchedAt: fetchedAt)
    }

    /// The body's bytes; for a body held in a file, the file mapped into memory.
    public func bytes() throws(PluginError) -> Data {
        do {
            return try body.bytes()
        } catch {
            throw PluginError("the body of \(url): \(error.message)")
        }
    }

    /// Calls `read` with the body's bytes in place, without copying them.
    public func withContiguousBytes<Result>(_ read: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        try bytes().withUnsafeBytes(read)
    }

    /// The body as UTF-8 text, without a byte-order mark.
    public func text() throws(PluginError) -> String {
        var bytes = try bytes()
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw PluginError("the body of \(url) is not UTF-8 text")
        }
        return text
    }
}

/// The responses to all of a plugin's requests for one period, by key.
public struct FeedResponses: Sendable {
    public var byKey: [String: FeedResponse]

    public init(_ responses: [FeedResponse]) {
        byKey = Dictionary(responses.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(key: String) -> FeedResponse? { byKey[key] }

    /// The response for `key`, or an error naming the missing key.
    public func require(_ key: String) throws(PluginError) -> FeedResponse {
        guard let response = byKey[key] else {
            throw PluginError("no response for request `\(key)`; the plugin did not ask for it")
        }
        return response
    }
}
