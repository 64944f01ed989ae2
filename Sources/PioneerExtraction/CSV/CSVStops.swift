// Finding the separators and line ends of plain CSV text eight bytes at a time: one 64-bit
// word tested for both bytes with a few arithmetic operations, instead of a compare and a
// branch for every byte (whose mispredictions at each field's end were most of the reader's
// time on a large export).

/// The positions of one separator byte and LF in a word of up to eight bytes.
struct CSVStops {
    static let wordSize = 8

    private let separators: UInt64
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let lineFeeds: UInt64 = ones &* 0x0A

    init(separator: UInt8) {
        separators = Self.ones &* UInt64(separator)
    }

    /// The high bit of byte `i` of the result is set where byte `i` from `bytes` is the
    /// separator or LF; `count` (1...8) bytes are read, and missing ones count as NUL (never a stop).
    @inline(__always)
    func find(in bytes: UnsafeRawPointer, count: Int) -> UInt64 {
        var word: UInt64 = 0
        if count == Self.wordSize {
            word = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        } else {
            for index in 0..<count { word |= UInt64(bytes.load(fromByteOffset: index, as: UInt8.self)) << (8 * index) }
        }
        return Self.zeroBytes(word ^ separators) | Self.zeroBytes(word ^ Self.lineFeeds)
    }

    /// The high bit of each byte set exactly where that byte of `x` is zero: adding 0x7F to a
    /// byte's low seven bits carries into its high bit unless they are all clear, and no
    /// byte's sum reaches the next byte.
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low7) &+ low7) | x | low7)
    }
}
