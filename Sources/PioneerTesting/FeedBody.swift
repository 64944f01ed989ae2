// Response bodies for plugin tests: literal text or a payload file.
public import Foundation

/// The body of a fake feed response, from a string or a file.
public struct FeedBody: Sendable, Hashable, ExpressibleByStringLiteral {
    public var data: Data
    public var status: Int

    public init(_ text: String, status: Int = 200) {
        self.data = Data(text.utf8)
        self.status = status
    }

    public init(data: Data, status: Int = 200) {
        self.data = data
        self.status = status
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The bytes of the file at `url`, unchanged (a byte-order mark stays in).
    public static func file(_ url: URL) throws -> FeedBody {
        FeedBody(data: try Data(contentsOf: url))
    }
}
