// Which interval a measure is judged on: its own, Wilson, exact Poisson, or none.
import PioneerCore
import PioneerGoals
import PioneerKit
import Testing

@Suite("Measure interval")
struct MeasureIntervalTests {
    typealias F = GoalFixture

    func interval(_ observation: Observation, _ valueType: ValueType) -> ConfidenceInterval? {
        MeasureInterval.interval(for: observation, definition: F.indicator("x", valueType).definition)
    }

    @Test func aProportionOfWholePeopleGetsWilsonFromItsParts() throws {
        let wilson = try #require(interval(.value(81.0 / 263, numerator: 81, denominator: 263), .proportion))
        #expect(wilson.method == "wilson")
        #expect(abs(wilson.lower - 0.2553) < 5e-5)
        #expect(abs(wilson.upper - 0.3662) < 5e-5)
    }

    @Test func aWeightedProportionWithoutItsSampleSizeGetsNoInterval() {
        // A weighted numerator is not a count of people: Wilson on it would claim a precision it lacks.
        #expect(interval(.value(0.31, numerator: 81.4, denominator: 263), .proportion) == nil)
        #expect(interval(.value(0.31, numerator: 81.4, denominator: 263, sampleSize: 263), .proportion)?.method == "wilson")
    }

    @Test func aRateGetsThePoissonIntervalOfItsNumerator() throws {
        let rate = try #require(interval(.value(5, numerator: 10, denominator: 2000), .rate))
        #expect(rate.method == "poisson")
        #expect(abs(rate.lower - 4.7953886961324335 / 2) < 1e-9)
        // Without its parts a rate has nothing to build an interval from.
        #expect(interval(.value(5), .rate) == nil)
    }

    @Test func aCountGetsThePoissonIntervalOfItself() {
        #expect(interval(.value(0), .count)?.upper == ConfidenceInterval.exactPoisson(count: 0)?.upper)
    }

    @Test func meansAndAmountsWithoutTheirOwnIntervalGetNone() {
        #expect(interval(.value(12.5, sampleSize: 40), .mean) == nil)
        #expect(interval(.value(310.25), .amount) == nil)
        let own = ConfidenceInterval(lower: 11, upper: 14, method: "normal")
        #expect(interval(.value(12.5, interval: own), .mean) == own)
    }

    @Test func aValueNotAvailableHasNoInterval() {
        #expect(interval(.notAvailable(.suppressed, "n = 4", sampleSize: 4), .proportion) == nil)
    }
}
