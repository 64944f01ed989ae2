// Bytes as lower-case hexadecimal text: the digests of returns, feed bodies and tokens. One
// way for every module, written straight into a byte buffer: the intake service writes one for
// every submission, and formatting each byte on its own showed in its profile.
package enum HexText {
    /// `bytes` as two lower-case hex digits each.
    ///
    /// Inlinable, so a caller's digest type is iterated directly: unspecialised, going through
    /// the sequence's witness table for each byte cost microseconds a digest, for every feed body.
    @inlinable
    package static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        let digits: StaticString = "0123456789abcdef"
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        digits.withUTF8Buffer { digits in
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
