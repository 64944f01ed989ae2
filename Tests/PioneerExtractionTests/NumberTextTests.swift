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
        #expect(cost.format(-4) == "-£4.00")
        #expect(cost.format(-0.001) == "£0.00")
    }

    /// A count of 2.5 was shown as 3 at a count's usual 0 decimals: a figure it is not.
    @Test func aCountThatIsNotWholeIsShownWithTheDecimalsItNeeds() {
        var count = IndicatorDefinition(id: "x", name: "x", kind: .process, valueType: .count, unit: "staff",
                                        periodType: .month, better: .higher, decimals: 0)
        #expect(count.format(2.5) == "2.5")
        #expect(count.format(1234.25) == "1,234.25")
        #expect(count.format(2.0 / 3) == "0.667")
        #expect(count.format(12) == "12")
        #expect(count.format(-0.5) == "-0.5")
        count.decimals = 1
        #expect(count.format(2.5) == "2.5")
        #expect(count.format(7) == "7.0")
        #expect(formatValue(2.5, valueType: "rate", decimals: 0) == "3")
        #expect(formatValue(2.5, valueType: "count", decimals: 0) == "2.5")
        #expect(formatValue(1e300, valueType: "count", decimals: 0) == "1.000e+300")
    }

    @Test func formatsValuesBeyondWhatAnIntHoldsWithoutTrappingOrClamping() {
        // These trapped (1e308: a fatal error in the intake server) or printed Int.max.
        #expect(formatNumber(1e20, decimals: 1) == "100,000,000,000,000,000,000.0")
        #expect(formatNumber(-1e20, decimals: 0) == "-100,000,000,000,000,000,000")
        #expect(formatNumber(2e19, decimals: 2) == "20,000,000,000,000,000,000.00")
        #expect(formatNumber(1e15, decimals: 0) == "1,000,000,000,000,000")
        #expect(formatNumber(999_999_999_999_999.9, decimals: 0) == "1,000,000,000,000,000")
        #expect(formatNumber(1e308, decimals: 1) == "1.000e+308")
        #expect(formatNumber(-Double.greatestFiniteMagnitude, decimals: 10) == "-1.798e+308")
        #expect(formatNumber(.infinity, decimals: 1) == "∞")
        #expect(formatNumber(5e307, decimals: 3) == "5.000e+307")
        #expect(formatNumber(1e300 / 3, decimals: 10) == "3.333e+299")
    }
}
