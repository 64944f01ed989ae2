// Numbers written for people: separators, fixed decimals, and each value type's unit style.
import PioneerExtraction
import PioneerKit
import Testing

@Suite struct NumberTextTests {
    @Test func formatsNumbersWithSeparatorsAndDecimals() {
        #expect(formatNumber(12345.678, decimals: 1) == "12,345.7")
        #expect(formatNumber(0.05, decimals: 0) == "0")
        #expect(formatNumber(999.96, decimals: 1) == "1,000.0")
        #expect(formatNumber(-1234, decimals: 2) == "-1,234.00")
        #expect(formatNumber(.nan, decimals: 1) == "NaN")
    }

    @Test func formatsByValueType() {
        let share = IndicatorDefinition(id: "x", name: "x", kind: .experience, valueType: .proportion, unit: "%",
                                        periodType: .financialQuarter, better: .higher, decimals: 1)
        #expect(share.format(0.4134) == "41.3%")
        var cost = share
        cost.valueType = .amount
        cost.decimals = 2
        #expect(cost.format(1204.5) == "£1,204.50")
    }
}
