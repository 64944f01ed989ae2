// The word-at-a-time search for separators and line ends finds exactly the bytes a
// byte-by-byte comparison finds, for every byte value in every position of the word.
@testable import PioneerExtraction
import Testing

@Suite struct CSVStopsTests {
    @Test func everyByteValueInEveryPositionIsFoundExactlyWhenItIsASeparatorOrLineFeed() {
        for separator in [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09] {
            let stops = CSVStops(separator: separator)
            for position in 0..<8 {
                for value in 0...255 {
                    // Neighbours that are stops, near-misses and high bytes, to catch any carry.
                    var word: [UInt8] = [separator, 0x0B, 0xFF, 0x80, 0x0A, separator &+ 1, 0x00, 0x7F]
                    word[position] = UInt8(value)
                    let found = word.withUnsafeBytes { stops.find(in: $0.baseAddress!, count: 8) }
                    for (index, byte) in word.enumerated() {
                        let expected = byte == separator || byte == 0x0A
                        #expect((found >> (8 * UInt64(index) + 7)) & 1 == (expected ? 1 : 0),
                                "separator \(separator), byte \(byte) at \(index)")
                    }
                    #expect(found & 0x7F7F_7F7F_7F7F_7F7F == 0)
                }
            }
        }
    }

    @Test func aShortWordReadsOnlyItsBytes() {
        let bytes: [UInt8] = [0x41, 0x3B, 0x0A, 0x3B, 0x3B, 0x3B, 0x3B, 0x3B]
        let stops = CSVStops(separator: UInt8(ascii: ";"))
        for count in 1...8 {
            let found = bytes.withUnsafeBytes { stops.find(in: $0.baseAddress!, count: count) }
            let expected = (0..<count).filter { bytes[$0] == 0x3B || bytes[$0] == 0x0A }
            let positions = (0..<8).filter { (found >> (8 * UInt64($0) + 7)) & 1 == 1 }
            #expect(positions == expected, "\(count) bytes")
        }
    }
}
