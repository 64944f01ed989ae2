// The content hash a measure's provenance records for each feed body it read.
import Crypto
public import Foundation
import PioneerKit

/// `sha256:` and the hex digest of a feed body, as provenance and the feed cache record it.
public enum ContentHash {
    /// The content hash of `body`: `sha256:` followed by 64 lower-case hex digits.
    public static func of(_ body: Data) -> String {
        "sha256:" + HexText.lowercase(SHA256.hash(data: body))
    }

    /// The content hash of the file at `url`, read a megabyte at a time; nil when it cannot be read.
    public static func ofFile(_ url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
                hasher.update(data: piece)
            }
        } catch {
            return nil
        }
        return "sha256:" + HexText.lowercase(hasher.finalize())
    }
}
