// A count is a whole number of things: it prints without decimals unless the site
// asks for some, in the collect summary and in `pioneer measures` alike.
import PioneerCollect
import PioneerKit
import Testing
import PioneerConfig
import PioneerCore
import PioneerExtraction

@Suite struct CountFormattingTests {
    private func definition(_ valueType: ValueType, decimals: Int? = nil) -> IndicatorDefinition {
        IndicatorDefinition(id: "x", name: "X", kind: .outcome, valueType: valueType, unit: "u", periodType: .month,
                            better: .lower, decimals: decimals, factor: valueType == .rate ? .per1000 : nil)
    }

    @Test func aCountPrintsWholeWithThousandsSeparators() {
        #expect(definition(.count).decimals == 0)
        #expect(definition(.count).format(1_201_981) == "1,201,981")
    }

    @Test func aCountWhoseSiteSetsDecimalsKeepsThem() {
        #expect(definition(.count, decimals: 1).format(1_201_981) == "1,201,981.0")
    }

    @Test func otherValueTypesKeepOneDecimalByDefault() {
        #expect(definition(.rate).format(23.14) == "23.1")
        #expect(definition(.mean).format(4) == "4.0")
        #expect(definition(.proportion).format(0.413) == "41.3%")
    }

    @Test func aCountWithoutDecimalsInYAMLIsReadAsWhole() throws {
        let loaded = try DueAfterConfigTests.load(dueAfter: "1 week")
        let definition = try #require(loaded.site.indicators.first?.definition)
        #expect(definition.valueType == .count)
        #expect(definition.decimals == 0)
        #expect(definition.format(1_201_981) == "1,201,981")
    }
}
