// What a plugin computes for one indicator and period: a value with its parts,
// or an explicit "not available" with a reason. Never a fake zero.

/// Why a value is missing.
public enum NotAvailableReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Suppressed because the count or sample is too small to publish.
    case suppressed
    /// A feed the indicator needs could not be fetched.
    case feedDown = "feed-down"
    /// The period has not ended, or its data is not due yet.
    case notYetDue = "not-yet-due"
    /// The feed answered but holds no data for the period.
    case noData = "no-data"

    /// Plain-English label: "suppressed small number".
    public var label: String {
        switch self {
        case .suppressed: return "suppressed small number"
        case .feedDown: return "feed down"
        case .notYetDue: return "not yet due"
        case .noData: return "no data for the period"
        }
    }
}

/// A missing value and why.
public struct NotAvailable: Sendable, Hashable, Codable, CustomStringConvertible {
    public var reason: NotAvailableReason
    /// Details for a person: "n = 7, below the minimum of 10".
    public var detail: String

    /// `detail` is one line: control characters in it are kept as visible escapes (see ``PluginError``).
    public init(_ reason: NotAvailableReason, _ detail: String = "") {
        self.reason = reason
        self.detail = detail.escapingControlCharacters()
    }

    public var description: String {
        detail.isEmpty ? reason.label : "\(reason.label): \(detail)"
    }
}

/// A confidence interval around a value.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double
    /// 0.95 for a 95% interval.
    public var level: Double
    /// How it was computed: "wilson", "poisson", "normal".
    public var method: String

    public init(lower: Double, upper: Double, level: Double = 0.95, method: String) {
        self.lower = lower
        self.upper = upper
        self.level = level
        self.method = method
    }
}

/// One computed value, before the host adds the indicator, period and provenance.
public struct Observation: Sendable, Hashable, Codable {
    /// The value; nil exactly when ``notAvailable`` is set.
    public var value: Double?
    /// The parts of a ratio, kept so ratios can be pooled nationally; kept also when
    /// the value is suppressed, and then hidden by ``published``.
    public var numerator: Double?
    public var denominator: Double?
    /// Respondents, for survey measures.
    public var sampleSize: Int?
    public var interval: ConfidenceInterval?
    public var notAvailable: NotAvailable?

    public init(
        value: Double?, numerator: Double? = nil, denominator: Double? = nil,
        sampleSize: Int? = nil, interval: ConfidenceInterval? = nil, notAvailable: NotAvailable? = nil
    ) {
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.sampleSize = sampleSize
        self.interval = interval
        self.notAvailable = notAvailable
    }

    /// A value, with its parts when it is a rate or proportion.
    public static func value(
        _ value: Double, numerator: Double? = nil, denominator: Double? = nil,
        sampleSize: Int? = nil, interval: ConfidenceInterval? = nil
    ) -> Observation {
        Observation(value: value, numerator: numerator, denominator: denominator,
                    sampleSize: sampleSize, interval: interval)
    }

    /// No value, and why. Parts that are known (a sample size too small to publish) may be kept.
    public static func notAvailable(
        _ reason: NotAvailableReason, _ detail: String = "", sampleSize: Int? = nil
    ) -> Observation {
        Observation(value: nil, sampleSize: sampleSize, notAvailable: NotAvailable(reason, detail))
    }

    public var isAvailable: Bool { notAvailable == nil && value != nil }

    /// Whether the value is hidden as a small number, though its parts may be kept.
    public var isSuppressed: Bool { notAvailable?.reason == .suppressed }

    /// The observation as it may be shown or returned: a suppressed one without its
    /// numerator, denominator and interval, which the store keeps (marked suppressed)
    /// for pooled figures and re-checks. The sample size stays, as it always has: it
    /// is what the reader is told the value rests on.
    public var published: Observation {
        guard isSuppressed else { return self }
        return Observation(value: nil, sampleSize: sampleSize, notAvailable: notAvailable)
    }
}
