// The digest a submission's bytes are stored with, and checked against when they are read back.
import Crypto
import PioneerKit

/// `sha256:` and the hex SHA-256 of a submission's bytes, exactly as received.
public enum SubmissionDigest {
    public static func of(_ bytes: [UInt8]) -> String {
        "sha256:" + HexText.lowercase(SHA256.hash(data: bytes))
    }
}
