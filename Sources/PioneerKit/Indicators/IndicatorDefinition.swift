// What an indicator is: the fields a site declares and every later stage reads.

/// Which of the four views of integrated care an indicator belongs to.
///
/// The evaluations found that process, outcome and patient experience measures
/// diverge, so every view shows the kinds side by side.
public enum IndicatorKind: String, Sendable, Hashable, Codable, CaseIterable {
    case process
    case outcome
    case experience
    case cost
}

/// Which direction of change counts as improvement.
public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
    case higher
    case lower
    /// Context measures (activity counts) where neither direction is better.
    case neutral
}

/// What a measure's value is, which decides the checks applied to it and how it prints.
public enum ValueType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A count of events or people.
    case count
    /// Numerator ÷ denominator × the indicator's factor (per 1,000 and so on).
    case rate
    /// A share between 0 and 1, printed as a percentage.
    case proportion
    /// A mean or other continuous quantity.
    case mean
    /// Money, in pounds.
    case amount
}

/// The multiplier of a rate: per 100, 1,000, 10,000 or 100,000 people.
public enum PopulationFactor: Int, Sendable, Hashable, Codable, CaseIterable {
    case per100 = 100
    case per1000 = 1000
    case per10000 = 10000
    case per100000 = 100_000

    /// "per 1,000"
    public var label: String {
        switch self {
        case .per100: return "per 100"
        case .per1000: return "per 1,000"
        case .per10000: return "per 10,000"
        case .per100000: return "per 100,000"
        }
    }
}

/// One indicator as a site declares it, without the plugin that computes it.
public struct IndicatorDefinition: Sendable, Hashable, Codable {
    /// Stable identifier, unique within a site: `emergency-admissions-65`.
    public var id: String
    public var name: String
    public var kind: IndicatorKind
    public var valueType: ValueType
    /// Free-text unit for display: "admissions per 1,000 aged 65+", "%", "£".
    public var unit: String
    public var periodType: PeriodType
    public var better: Direction
    /// Decimal places when printed: 0 for a count, 1 otherwise, unless the site says.
    public var decimals: Int
    /// Multiplier of a rate; nil for anything that is not a rate.
    public var factor: PopulationFactor?
    public var description: String?
    /// How long after a period ends it may be collected; nil for the day after it ends.
    public var dueAfter: DueLag?

    public init(
        id: String, name: String, kind: IndicatorKind, valueType: ValueType, unit: String,
        periodType: PeriodType, better: Direction, decimals: Int? = nil,
        factor: PopulationFactor? = nil, description: String? = nil, dueAfter: DueLag? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.valueType = valueType
        self.unit = unit
        self.periodType = periodType
        self.better = better
        self.decimals = decimals ?? Self.defaultDecimals(for: valueType)
        self.factor = factor
        self.description = description
        self.dueAfter = dueAfter
    }

    /// Decimal places when a site gives none: a count is whole (`1,201,981`), anything else has one.
    public static func defaultDecimals(for valueType: ValueType) -> Int {
        valueType == .count ? 0 : 1
    }

    /// The first day `period` may be collected: the day after it ends, later by ``dueAfter``.
    public func dueDate(of period: Period) -> CalendarDate {
        dueAfter?.dueDate(of: period) ?? period.end.adding(days: 1)
    }
}
