// Testing eight bytes at once for the few bytes a reader stops at (a CSV separator and line
// end, a JSON string's closing quote or backslash): a handful of arithmetic operations on one
// 64-bit word instead of a compare and a branch for every byte, whose mispredictions at the
// end of each short field or string were most of a reader's time on a large extract.

/// Operations on eight bytes held as one little-endian 64-bit word.
enum ByteWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// `byte` in each of the eight bytes.
    @inline(__always)
    static func repeating(_ byte: UInt8) -> UInt64 { ones &* UInt64(byte) }

    /// The high bit of each byte set exactly where that byte of `x` is zero: adding 0x7F to a
    /// byte's low seven bits carries into its high bit unless they are all clear, and no
    /// byte's sum reaches the next byte.
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low7) &+ low7) | x | low7)
    }

    /// The high bit of each byte of `word` that equals `byte` (given as ``repeating(_:)``).
    @inline(__always)
    static func matches(_ word: UInt64, _ repeated: UInt64) -> UInt64 { zeroBytes(word ^ repeated) }

    /// The high bit of each byte of `word` below 0x20 (its top three bits clear).
    @inline(__always)
    static func controls(_ word: UInt64) -> UInt64 { zeroBytes(word & 0xE0E0_E0E0_E0E0_E0E0) }
}
