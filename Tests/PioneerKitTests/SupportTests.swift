// Small shared pieces: SHA-256 content hashes, number formatting, observations.
import Foundation
import Testing
@testable import PioneerKit

@Suite("Support")
struct SupportTests {
    @Test func sha256MatchesTheFIPSTestVectors() {
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func formatsNumbersWithSeparatorsAndDecimals() {
        #expect(formatNumber(12345.678, decimals: 1) == "12,345.7")
        #expect(formatNumber(0.05, decimals: 0) == "0")
        #expect(formatNumber(999.96, decimals: 1) == "1,000.0")
        #expect(formatNumber(-1234, decimals: 2) == "-1,234.00")
        #expect(formatNumber(.nan, decimals: 1) == "NaN")
    }

    @Test func formatsByValueType() {
        let share = IndicatorDefinition(id: "x", name: "x", kind: .experience, valueType: .proportion, unit: "%",
                                        periodType: .fyQuarterForTests, better: .higher, decimals: 1)
        #expect(share.format(0.4134) == "41.3%")
        var cost = share
        cost.valueType = .amount
        cost.decimals = 2
        #expect(cost.format(1204.5) == "£1,204.50")
    }

    @Test func notAvailableCarriesAReasonNotAZero() {
        let observation = Observation.notAvailable(.suppressed, "n = 7, below the minimum of 30", sampleSize: 7)
        #expect(observation.value == nil)
        #expect(!observation.isAvailable)
        #expect(observation.notAvailable?.description == "suppressed small number: n = 7, below the minimum of 30")
    }
}

extension PeriodType {
    static let fyQuarterForTests = PeriodType.financialQuarter
}
