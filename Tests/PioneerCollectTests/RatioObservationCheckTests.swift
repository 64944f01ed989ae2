// The observation checks on ratios of every value type and on suppressed values that keep their parts.
import PioneerCollect
import PioneerKit
import Testing

@Suite struct RatioObservationCheckTests {
    private func definition(_ valueType: ValueType) -> IndicatorDefinition {
        IndicatorDefinition(id: "x", name: "X", kind: .cost, valueType: valueType, unit: "£",
                            periodType: .month, better: .lower, factor: valueType == .rate ? .per1000 : nil)
    }

    @Test func anAmountOrMeanMayHaveANegativeNumeratorButNotADenominator() {
        #expect(ObservationCheck.problems(.value(-308.5, numerator: -1234, denominator: 4), for: definition(.amount)).isEmpty)
        #expect(ObservationCheck.problems(.value(-308.5, numerator: -1234, denominator: 4), for: definition(.mean)).isEmpty)
        #expect(ObservationCheck.problems(.value(-308.5, numerator: 1234, denominator: -4), for: definition(.amount))
            == ["denominator -4 is negative"])
        #expect(ObservationCheck.problems(.value(-308.5, numerator: -1234, denominator: 4), for: definition(.count))
            == ["count -308.5 is negative", "numerator -1234 is negative"])
    }

    @Test func aSuppressedValueMayKeepBothParts() {
        let suppressed = Observation(value: nil, numerator: 3, denominator: 35_400,
                                     notAvailable: NotAvailable(.suppressed, "the numerator is below the small-number threshold of 5"))
        #expect(ObservationCheck.problems(suppressed, for: definition(.rate)).isEmpty)
        let survey = Observation(value: nil, numerator: 5, denominator: 7, sampleSize: 7,
                                 notAvailable: NotAvailable(.suppressed, "n = 7, below the minimum of 30"))
        #expect(ObservationCheck.problems(survey, for: definition(.proportion)).isEmpty)
    }
}
