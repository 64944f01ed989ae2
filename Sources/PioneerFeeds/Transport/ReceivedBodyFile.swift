// A response body too large to keep in memory: written to a temporary file as it arrived,
// its SHA-256 worked out on the way, so nothing reads it again just to hash it.
public import PioneerKit

/// A body the transport wrote to a temporary file instead of memory (see
/// ``TransportRequest/bodyInMemoryLimit``).
public struct ReceivedBodyFile: Sendable {
    /// The body; its file is removed once the last copy of it is released.
    public var body: FeedResponse.Body
    /// Bytes written, after content decoding.
    public var size: Int
    /// `sha256:` and the hex digest of the bytes, computed while they were written.
    public var contentHash: String

    public init(body: FeedResponse.Body, size: Int, contentHash: String) {
        self.body = body
        self.size = size
        self.contentHash = contentHash
    }
}
