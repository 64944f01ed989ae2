// Sizes in messages about limits: `64 MB`, `7.5 MB`, `65536 bytes`.
import Foundation

/// How the messages about size limits (the whole-document cap, a record too long, a body
/// too large for a plugin's request) print a byte count, so they all print it alike.
package enum ByteSizeText {
    /// `710 MB` (whole megabytes of 2^20 bytes from 10 MB), `7.5 MB` below that, and bytes
    /// below one megabyte (limits that small are the tests').
    package static func megabytes(_ bytes: Int) -> String {
        guard bytes >= 1 << 20 else { return "\(bytes) bytes" }
        let value = Double(bytes) / (1024 * 1024)
        return value < 10 ? String(format: "%.1f MB", value) : "\(Int(value.rounded())) MB"
    }
}
