// Submission ids: UUIDs of version 7 (RFC 9562 §5.7), whose first 48 bits are the Unix time in
// milliseconds and the rest random. Every row an accepted return is kept as (and the submission
// itself) is keyed by this id, so ids that grow with time put each new return's rows at the end
// of the tables' B-trees, a few pages appended, where random (version 4) ids scattered them over
// pages all through the tables, each one read, split and written again. Still a UUID to clients.
import Foundation

enum SubmissionID {
    /// A new id for a submission received at `date`, lowercase as the API has always given ids.
    static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(milliseconds: UInt64(max(0, date.timeIntervalSince1970 * 1000)), random: generator.next(), generator.next())
    }

    /// The id of `milliseconds` since 1970 with the random bits taken from `high` and `low`.
    static func make(milliseconds: UInt64, random high: UInt64, _ low: UInt64) -> String {
        // 48 bits of time, version 7, 12 random bits; then variant 0b10 and 62 random bits.
        let first = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (high & 0x0FFF)
        let second = 0x8000_0000_0000_0000 | (low & 0x3FFF_FFFF_FFFF_FFFF)
        let hex = hexDigits(first) + hexDigits(second)
        let characters = Array(hex)
        return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16]) + "-"
            + String(characters[16..<20]) + "-" + String(characters[20..<32])
    }

    private static func hexDigits(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
