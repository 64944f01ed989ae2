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
}
