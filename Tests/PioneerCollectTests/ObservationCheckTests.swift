// The checks every observation passes before it is stored.
import PioneerCollect
import PioneerKit
import Testing

@Suite struct ObservationCheckTests {
    private func definition(_ valueType: ValueType) -> IndicatorDefinition {
        IndicatorDefinition(id: "x", name: "X", kind: .outcome, valueType: valueType, unit: "u",
                            periodType: .month, better: .lower, factor: valueType == .rate ? .per1000 : nil)
    }

    @Test func soundObservationsPass() {
        #expect(ObservationCheck.problems(.value(0.4, numerator: 4, denominator: 10, sampleSize: 10,
                                                 interval: ConfidenceInterval(lower: 0.17, upper: 0.69, method: "wilson")),
                                          for: definition(.proportion)).isEmpty)
        #expect(ObservationCheck.problems(.value(-1250.5), for: definition(.amount)).isEmpty)
        #expect(ObservationCheck.problems(.notAvailable(.suppressed, "n = 7", sampleSize: 7), for: definition(.proportion)).isEmpty)
    }

    @Test func eachProblemHasItsMessage() {
        let cases: [(Observation, ValueType, [String])] = [
            (.value(1.4), .proportion, ["proportion 1.4 is outside 0 to 1 (a proportion is a share: 0.25 for 25%)"]),
            (.value(.nan), .mean, ["value NaN is not a finite number"]),
            (.value(.infinity), .rate, ["value infinity is not a finite number"]),
            (.value(-3), .count, ["count -3 is negative"]),
            (.value(2, numerator: -2, denominator: 1000), .rate, ["numerator -2 is negative"]),
            (.value(0.5, numerator: 12, denominator: 10), .proportion, ["numerator 12 is larger than denominator 10 in a proportion"]),
            (Observation(value: 3, sampleSize: -1), .count, ["sample size -1 is negative"]),
            (.value(0.5, interval: ConfidenceInterval(lower: 0.6, upper: 0.4, method: "wilson")), .proportion,
             ["the confidence interval's lower bound 0.6 is above its upper bound 0.4"]),
            (.value(0.5, interval: ConfidenceInterval(lower: 0.4, upper: 0.6, level: 95, method: "wilson")), .proportion,
             ["the confidence level 95 is not between 0 and 1 (0.95 for 95%)"]),
            (Observation(value: nil), .count, ["the plugin returned neither a value nor a reason it is not available"]),
            (Observation(value: 4, notAvailable: NotAvailable(.suppressed)), .count,
             ["the plugin returned both a value and \"not available\" (suppressed small number)"]),
        ]
        for (observation, valueType, expected) in cases {
            #expect(ObservationCheck.problems(observation, for: definition(valueType)) == expected)
        }
    }

    /// A rate is pooled from its parts too: a value ten times its parts' rate was read with the
    /// wrong factor. Rounded to one place it still agrees.
    @Test func aRateMustBeItsPartsRatioTimesItsFactor() {
        #expect(ObservationCheck.problems(.value(208, numerator: 783, denominator: 37_600), for: definition(.rate))
                == ["rate 208 is not its numerator over its denominator times 1000 (783 / 37600 × 1000 = 20.824468)"])
        #expect(ObservationCheck.problems(.value(20.8, numerator: 783, denominator: 37_600), for: definition(.rate)).isEmpty)
        #expect(ObservationCheck.problems(.value(21, numerator: 783, denominator: 37_600), for: definition(.rate)).isEmpty)
    }

    /// An average is pooled nationally from its parts (Σ sums ÷ Σ counts): the national office
    /// rejected a return whose cost per patient was 1% off its parts; collect now says so where
    /// the plugin made it. A value over a denominator of 0 is no value.
    @Test func anAverageMustBeItsPartsQuotientAndNothingStandsOverADenominatorOfZero() {
        #expect(ObservationCheck.problems(.value(269.52, numerator: 576_938.25, denominator: 2_162), for: definition(.amount))
                == ["amount 269.52 is not its numerator over its denominator (576938.25 / 2162 = 266.853955)"])
        #expect(ObservationCheck.problems(.value(266.85, numerator: 576_938.25, denominator: 2_162), for: definition(.amount)).isEmpty)
        #expect(ObservationCheck.problems(.value(4.3, numerator: 30, denominator: 7), for: definition(.mean))
                == ["mean 4.3 is not its numerator over its denominator (30 / 7 = 4.285714)"])
        #expect(ObservationCheck.problems(.value(-12.5, numerator: -25, denominator: 2), for: definition(.mean)).isEmpty)
        #expect(ObservationCheck.problems(.value(0, numerator: 0, denominator: 0), for: definition(.rate))
                == ["rate 0 has a denominator of 0: with nothing to divide by, answer \"not available\" instead"])
        #expect(ObservationCheck.problems(.value(0, numerator: 0, denominator: 0), for: definition(.mean))
                == ["mean 0 has a denominator of 0: with nothing to divide by, answer \"not available\" instead"])
    }

    /// The parts are pooled nationally: a value that is not their ratio, or a figure outside
    /// its own interval, was read from the wrong field or scale (an external plugin answered these).
    @Test func aProportionMustBeItsPartsRatioAndAValueInsideItsInterval() {
        let cases: [(Observation, ValueType, [String])] = [
            (.value(0.9, numerator: 1, denominator: 10), .proportion,
             ["proportion 0.9 is not its numerator over its denominator (1 / 10 = 0.1)"]),
            (.value(0.5, numerator: 0, denominator: 0), .proportion,
             ["proportion 0.5 has a denominator of 0: with nothing to divide by, answer \"not available\" instead"]),
            (.value(0.5, interval: ConfidenceInterval(lower: -5, upper: 7, method: "wilson")), .proportion,
             ["the confidence interval -5 to 7 of a proportion is outside 0 to 1"]),
            (.value(5, interval: ConfidenceInterval(lower: 6, upper: 9, method: "exact")), .count,
             ["value 5 lies outside its own confidence interval 6 to 9"]),
        ]
        for (observation, valueType, expected) in cases {
            #expect(ObservationCheck.problems(observation, for: definition(valueType)) == expected)
        }
        // A value rounded to a few places is still its parts' ratio, and a bound may equal the value.
        #expect(ObservationCheck.problems(.value(0.333, numerator: 1, denominator: 3), for: definition(.proportion)).isEmpty)
        #expect(ObservationCheck.problems(.value(0.781, numerator: 1886, denominator: 2416), for: definition(.proportion)).isEmpty)
        #expect(ObservationCheck.problems(.value(0, numerator: 0, denominator: 40,
                                                 interval: ConfidenceInterval(lower: 0, upper: 0.088, method: "wilson")),
                                          for: definition(.proportion)).isEmpty)
    }
}
