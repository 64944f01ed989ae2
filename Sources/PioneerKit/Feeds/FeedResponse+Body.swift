// The bytes of a feed response, held in memory or in a file. Plugins read them through
// this type only, so the host can later keep a large extract on disk and hand it over
// without another change to the plugin contract.
public import Foundation

extension FeedResponse {
    /// The body of a ``FeedResponse``: bytes held in memory or in a file on disk.
    ///
    /// Most plugins never touch it: ``FeedResponse/text()``, ``FeedResponse/bytes()`` and the
    /// extraction module's `json()` and `csv()` read it for them, with errors that name the
    /// URL. A plugin that reads a format of its own calls ``bytes()``, or
    /// ``withContiguousBytes(_:)`` to look at the bytes in place. A body in a file is mapped
    /// into memory when it is read, not copied.
    public struct Body: Sendable, Hashable {
        private enum Storage: Sendable, Hashable {
            case memory(Data)
            case file(URL)
        }

        private let storage: Storage

        private init(_ storage: Storage) {
            self.storage = storage
        }

        /// A body held in memory.
        public static func memory(_ data: Data) -> Body {
            Body(.memory(data))
        }

        /// A body held in the file at `url`, read when a plugin asks for it.
        ///
        /// The file must stay in place, unchanged, until every plugin given the response
        /// has finished with it.
        public static func file(_ url: URL) -> Body {
            Body(.file(url))
        }

        /// The file holding the body, or nil when it is held in memory.
        public var fileURL: URL? {
            if case .file(let url) = storage { return url }
            return nil
        }

        /// The bytes; for a body in a file, the file mapped into memory.
        ///
        /// Throws when the file cannot be read, naming the file and the reason.
        public func bytes() throws(PluginError) -> Data {
            switch storage {
            case .memory(let data):
                return data
            case .file(let url):
                do {
                    return try Data(contentsOf: url, options: .alwaysMapped)
                } catch {
                    throw PluginError("the file \(url.path) could not be read: \((error as NSError).localizedDescription)")
                }
            }
        }

        /// Calls `body` with the bytes in place, without copying them.
        public func withContiguousBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
            try bytes().withUnsafeBytes(body)
        }
    }
}
