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

    public init(value: Double?, count: Int, detail: String) {
        self.value = value
        self.count = count
        self.detail = detail
    }

    /// The value as an observation: `.value`, or "no data" with ``detail``.
    public var observation: Observation {
        guard let value else { return .notAvailable(.noData, detail) }
        return .value(value)
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
