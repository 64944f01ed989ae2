// A readable number read straight from a CSV cell's bytes gives what `number_format:` reads from
// the text, for every text the byte reader takes; what it leaves (nil) the text reading decides.
import Foundation
@testable import PioneerExtraction
import Testing

@Suite struct ReadableBytesTests {
    private func bytes(_ text: String, _ format: NumberFormat) -> Double? {
        var text = text
        return text.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            switch format {
            case .strict: return DecimalBytes.value(raw)
            case .readable: return DecimalBytes.readable(raw, decimal: UInt8(ascii: "."), thousands: UInt8(ascii: ","))
            case .readableDecimalComma: return DecimalBytes.readable(raw, decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."))
            }
        }
    }

    @Test func theUsualMoneyShapesAreReadFromBytes() {
        #expect(bytes("£1,204.50", .readable) == 1204.5)
        #expect(bytes("-£1,204.50", .readable) == -1204.5)
        #expect(bytes("$-3,945,237.88", .readable) == -3945237.88)
        #expect(bytes("€1.204,50", .readableDecimalComma) == 1204.5)
        #expect(bytes("1234", .readable) == 1234)
        #expect(bytes("0.1", .readable) == 0.1)
        // Left to the text reading: a space, brackets, a percentage, a currency after the digits.
        for text in ["1 234", "(1,234.00)", "12.5%", "5 €", " 7", "1,234 "] {
            #expect(bytes(text, .readable) == nil, "\(text)")
            #expect(NumberFormat.readable.parse(text) != nil, "\(text)")
        }
    }

    @Test func everyTextTheBytesReadReadsTheSameAsText() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["1", "2", "0", "9", "12", "345", "678", ",", ".", "-", "£", "€", "$", " ", "%", "(", ")", "e", "00"]
        var read = 0
        for format in [NumberFormat.readable, .readableDecimalComma] {
            for _ in 0..<20_000 {
                let text = (0..<Int.random(in: 1...8, using: &generator))
                    .map { _ in pieces.randomElement(using: &generator)! }.joined()
                guard let fast = bytes(text, format) else { continue }
                read += 1
                #expect(format.parse(text) == fast, "\(format.rawValue): \(text)")
            }
        }
        #expect(read > 1_000, "the bytes read some of the texts: \(read)")
    }
}
