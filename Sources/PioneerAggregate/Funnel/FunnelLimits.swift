// The control limits of a funnel plot at one denominator, and where a site falls.

/// The 95% and 99.8% limits around the pooled value at one denominator, on the indicator's scale.
public struct FunnelLimits: Sendable, Hashable, Codable {
    public var lower95: Double
    public var upper95: Double
    public var lower998: Double
    public var upper998: Double

    public init(lower95: Double, upper95: Double, lower998: Double, upper998: Double) {
        self.lower95 = lower95
        self.upper95 = upper95
        self.lower998 = lower998
        self.upper998 = upper998
    }

    /// Where `value` falls; a value on a limit is inside it, as in FunnelPlotR.
    public func position(of value: Double) -> FunnelPosition {
        if value > upper998 { return .above998 }
        if value > upper95 { return .above95 }
        if value < lower998 { return .below998 }
        if value < lower95 { return .below95 }
        return .inside
    }
}

/// Where a site falls against the funnel's limits at its own denominator.
public enum FunnelPosition: String, Sendable, Hashable, Codable, CaseIterable {
    case inside
    /// Above the 95% limit but within the 99.8% one: worth a look ("alert").
    case above95 = "above 95%"
    /// Above the 99.8% limit ("alarm").
    case above998 = "above 99.8%"
    case below95 = "below 95%"
    case below998 = "below 99.8%"

    public var isOutside: Bool { self != .inside }

    /// "above the 99.8% limit", for sentences.
    public var phrase: String {
        switch self {
        case .inside: return "inside the 95% limits"
        case .above95: return "above the 95% limit"
        case .above998: return "above the 99.8% limit"
        case .below95: return "below the 95% limit"
        case .below998: return "below the 99.8% limit"
        }
    }
}
