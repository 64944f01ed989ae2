// Byte counts as people read them in messages: `12 bytes`, `10 MB` (decimal, as --max-body takes them).
import Foundation

enum ByteCount {
    static func text(_ bytes: Int) -> String {
        if bytes >= 1_000_000, bytes % 1_000_000 == 0 { return "\(bytes / 1_000_000) MB" }
        if bytes >= 1_000, bytes % 1_000 == 0 { return "\(bytes / 1_000) kB" }
        return "\(bytes) byte\(bytes == 1 ? "" : "s")"
    }
}
