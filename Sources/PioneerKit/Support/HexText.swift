// Bytes as lower-case hexadecimal text: the digests of returns, feed bodies and tokens. One
// way for every module, written straight into a byte buffer: the intake service writes one for
// every submission, and formatting each byte on its own showed in its profile.
package enum HexText {
    /// `bytes` as two lower-case hex digits each.
    package static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
}
