// Finding the separators and line ends of plain CSV text eight bytes at a time (ByteWord).

/// The positions of one separator byte and LF in a word of up to eight bytes.
struct CSVStops {
    static let wordSize = 8

    private let separators: UInt64
    private static let lineFeeds = ByteWord.repeating(0x0A)

    init(separator: UInt8) {
        separators = ByteWord.repeating(separator)
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
        return ByteWord.matches(word, separators) | ByteWord.matches(word, Self.lineFeeds)
    }
}
