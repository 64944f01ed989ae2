// The result of reading one number out of a feed response, with how much data it rests on.
public import PioneerKit

/// A number read from a feed response by ``JSONExtraction`` or ``CSVExtraction``.
///
/// `value` is nil when nothing matched and the block's `if_empty` is `no-data`;
/// ``observation`` turns that into ``Observation/notAvailable(_:_:sampleSize:)``.
public struct ExtractedValue: Sendable, Hashable {
    /// The aggregated number, or nil when there was no data for it.
    public var value: Double?
    /// How many JSON matches or CSV rows contributed.
    public var count: Int
    /// What was read, for messages: "no row of http://council.local/x.csv matched the filters".
    public var detail: String
    /// For a mean, the sum of the numbers averaged (``count`` of them); nil otherwise.
    public var total: Double?

    public init(value: Double?, count: Int, detail: String, total: Double? = nil) {
        self.value = value
        self.count = count
        self.detail = detail
        self.total = total
    }

    /// The value as an observation: `.value`, or "no data" with ``detail``.
    public var observation: Observation {
        guard let value else { return .notAvailable(.noData, detail) }
        return .value(value)
    }

    /// The value as an observation of an indicator whose values are of `valueType`: a mean
    /// of an `amount` or `mean` indicator keeps its parts, the sum as numerator and the
    /// numbers averaged as denominator, so the national office pools the sites' averages as
    /// Σ sums ÷ Σ numbers (their total is no figure at all). Otherwise as ``observation``.
    public func observation(as valueType: ValueType) -> Observation {
        guard let value, let total, count > 0, valueType == .amount || valueType == .mean else { return observation }
        return .value(value, numerator: total, denominator: Double(count))
    }
}

/// What to do when a selection or filter finds nothing: the `if_empty:` setting.
public enum EmptyResultPolicy: String, Sendable, Hashable, CaseIterable {
    /// Report "no data for the period" (the default): an empty export is not a zero.
    case noData = "no-data"
    /// Treat it as 0, for counts where an empty list means none happened.
    case zero
    /// Fail, for feeds that must always return something.
    case error
}
