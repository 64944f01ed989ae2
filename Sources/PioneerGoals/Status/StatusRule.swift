// The rule that turns an interval, the trajectory and the target into a goal status.
public import PioneerKit

/// Decides `achieved`, `on track`, `at risk` or `off track` for one latest value.
///
/// The interval decides, not the point value: a value above the trajectory whose interval
/// still reaches below it is `at risk`, because the data cannot tell it from a value on the
/// wrong side. Without an interval (a mean or amount without n) the point value stands in
/// for both ends.
public struct StatusRule: Sendable, Hashable {
    /// `.higher` or `.lower`; a neutral indicator gets no status and never reaches the rule.
    public var better: Direction
    public var target: Double
    /// How far on the wrong side of the trajectory still counts as `at risk`, in the
    /// indicator's units: tolerance × |target − baseline|.
    public var band: Double
    /// The target sits at the edge of what the value can be, in the better direction: 0 for a
    /// count, rate or proportion that should fall, 100% for a proportion that should rise. No
    /// interval's worse end ever reaches it (the exact Poisson interval of 0 runs to 3.69), so
    /// `achieved` and `on track` are judged on the point value there.
    public var targetAtEdge: Bool

    /// `range` is what the value can be (``ValueType/possibleRange``), nil when unbounded.
    public init(better: Direction, target: Double, band: Double, range: ClosedRange<Double>? = nil) {
        self.better = better
        self.target = target
        self.band = band
        switch (better, range) {
        case (.lower, let range?): targetAtEdge = target <= range.lowerBound
        case (.higher, let range?): targetAtEdge = target >= range.upperBound
        default: targetAtEdge = false
        }
    }

    /// - achieved: the interval's worse end meets the target (≥ for higher-is-better, ≤ for lower);
    /// - on track: the worse end meets or beats the trajectory's value;
    /// - off track: the better end falls short of the trajectory by more than the band;
    /// - at risk: anything between.
    ///
    /// A target **beyond reach** is one no value could show with its interval: at the edge of
    /// the range (``targetAtEdge``), or beyond the worse end of the best value there can be at
    /// this sample size (`best`: 100 of 100 has a Wilson interval from 96.3%, so 99% is
    /// beyond reach at n = 100). For such a target the point `value` stands for the worse end,
    /// and only the best value achieves it, so a more ambitious target is never easier to
    /// meet.
    ///
    /// `mayAchieve` false (the latest value is common cause variation of a process whose worse
    /// limit misses the target) withholds `achieved`, and `on track` once the trajectory has
    /// reached the target: a value that meets the target by chance is `at risk` then.
    public func status(value: Double? = nil, lower: Double, upper: Double, expected: Double,
                       best: (value: Double, worseEnd: Double)? = nil, mayAchieve: Bool = true) -> GoalStatus {
        let (intervalWorseEnd, betterEnd) = better == .lower ? (upper, lower) : (lower, upper)
        let beyondReach = targetAtEdge || best.map { !meets($0.worseEnd, target) } ?? false
        let worseEnd = beyondReach ? value ?? intervalWorseEnd : intervalWorseEnd
        let achieved: Bool
        if beyondReach, let value, let best {
            achieved = meets(value, best.value)
        } else {
            achieved = meets(worseEnd, target)
        }
        if achieved && mayAchieve { return .achieved }
        if meets(worseEnd, expected) && (mayAchieve || !meets(expected, target)) { return .onTrack }
        if shortfall(of: betterEnd, from: expected) > band { return .offTrack }
        return .atRisk
    }

    /// Whether `value` is at `mark` or on its better side.
    func meets(_ value: Double, _ mark: Double) -> Bool {
        better == .lower ? value <= mark : value >= mark
    }

    /// How far `value` sits on the worse side of `mark`; negative when it is on the better side.
    private func shortfall(of value: Double, from mark: Double) -> Double {
        better == .lower ? value - mark : mark - value
    }
}
