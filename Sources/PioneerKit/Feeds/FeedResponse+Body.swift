// The bytes of a feed response, held in memory or in a file. Plugins read them through
// this type only, so the host can keep a large extract on disk and hand it over without
// another change to the plugin contract; extraction reads a file body in chunks, once.
public import Foundation

extension FeedResponse {
    /// The body of a ``FeedResponse``: bytes held in memory or in a file on disk.
    ///
    /// Most plugins never touch it: ``FeedResponse/text()``, ``FeedResponse/bytes()`` and the
    /// extraction module's `json()` and `csv()` read it for them, with errors that name the
    /// URL. A plugin that reads a format of its own calls ``bytes()``, or
    /// ``withContiguousBytes(_:)`` to look at the bytes in place, or ``read(chunkSize:_:)``
    /// to go through a large body in pieces without holding it whole. A body in a file is
    /// mapped into memory by ``bytes()``, not copied.
    public struct Body: Sendable, Hashable {
        private enum Storage: Sendable, Hashable {
            case memory(Data)
            case file(URL)
            case temporary(TemporaryBodyFile)
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

        /// A body in a temporary file that belongs to it: the file is removed when the last
        /// copy of the body is released (the feed client writes a large body there as it
        /// arrives).
        public static func temporaryFile(_ url: URL) -> Body {
            Body(.temporary(TemporaryBodyFile(url)))
        }

        /// The file holding the body, or nil when it is held in memory.
        public var fileURL: URL? {
            switch storage {
            case .memory: return nil
            case .file(let url): return url
            case .temporary(let file): return file.url
            }
        }

        /// The size in bytes, or nil when the file cannot be examined.
        public var size: Int? {
            switch storage {
            case .memory(let data): return data.count
            case .file(let url): return Self.size(of: url)
            case .temporary(let file): return Self.size(of: file.url)
            }
        }

        private static func size(of url: URL) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
        }

        /// The bytes; for a body in a file, the file mapped into memory.
        ///
        /// Throws when the file cannot be read, naming the file and the reason.
        public func bytes() throws(PluginError) -> Data {
            guard let url = fileURL else {
                if case .memory(let data) = storage { return data }
                return Data()
            }
            do {
                return try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                throw PluginError("the file \(url.path) could not be read: \((error as NSError).localizedDescription)")
            }
        }

        /// Calls `body` with the bytes in place, without copying them.
        public func withContiguousBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
            try bytes().withUnsafeBytes(body)
        }

        /// Calls `consume` with the bytes in order, a piece of at most `chunkSize` bytes at a
        /// time (a body in memory comes as one piece), so a body in a file is read once,
        /// front to back, in bounded memory.
        ///
        /// Throws what `consume` throws, or a ``PluginError`` naming the file when it cannot be read.
        public func read(chunkSize: Int = 1 << 20, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
            guard let url = fileURL else {
                if case .memory(let data) = storage { try data.withUnsafeBytes(consume) }
                return
            }
            let handle: FileHandle
            do {
                handle = try FileHandle(forReadingFrom: url)
            } catch {
                throw PluginError("the file \(url.path) could not be read: \((error as NSError).localizedDescription)")
            }
            defer { try? handle.close() }
            while true {
                let chunk: Data?
                do {
                    chunk = try handle.read(upToCount: max(1, chunkSize))
                } catch {
                    throw PluginError("the file \(url.path) could not be read: \((error as NSError).localizedDescription)")
                }
                guard let chunk, !chunk.isEmpty else { return }
                try chunk.withUnsafeBytes(consume)
            }
        }
    }
}

/// A temporary file owned by the bodies that refer to it; removed when the last one goes.
final class TemporaryBodyFile: Sendable, Hashable {
    let url: URL

    init(_ url: URL) {
        self.url = url
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    static func == (left: TemporaryBodyFile, right: TemporaryBodyFile) -> Bool {
        left.url == right.url
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(url)
    }
}
