// One site's return for one reporting period: what the national programme office
// receives. The JSON format is this model encoded with its camelCase keys, so the
// model, the file and the JSON Schema in schemas/return-v1.schema.json are one thing.

/// A site's return: identity, indicators with their measures, goals, the runs that
/// collected the measures, and a digest of the whole.
///
/// Every timestamp is text in ISO 8601 UTC with milliseconds (`2026-07-03T09:14:07.512Z`)
/// and every date `YYYY-MM-DD`, so a return decodes and encodes to the same bytes, which
/// is what lets ``ReturnCoding`` check its digest.
public struct SiteReturn: Sendable, Hashable, Codable {
    /// The version of this format this pioneer writes.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var generator: Generator
    public var site: SiteIdentity
    public var period: ReturnPeriod
    /// When the return was made, ISO 8601 UTC.
    public var generatedAt: String
    /// False when the return was made with required measures missing (`--allow-incomplete`).
    public var complete: Bool
    /// The required measures that are not in the return; empty when ``complete``.
    public var missing: [MissingMeasure]
    public var indicators: [ReturnIndicator]
    public var goals: [ReturnGoal]
    /// The collection runs whose measures are in the return.
    public var runs: [ReturnRun]
    /// SHA-256 over the canonical encoding of the return with `digest` nil (``ReturnCoding``).
    public var digest: Digest?

    public init(schemaVersion: Int = SiteReturn.currentSchemaVersion, generator: Generator, site: SiteIdentity,
                period: ReturnPeriod, generatedAt: String, complete: Bool, missing: [MissingMeasure],
                indicators: [ReturnIndicator], goals: [ReturnGoal], runs: [ReturnRun], digest: Digest? = nil) {
        self.schemaVersion = schemaVersion
        self.generator = generator
        self.site = site
        self.period = period
        self.generatedAt = generatedAt
        self.complete = complete
        self.missing = missing
        self.indicators = indicators
        self.goals = goals
        self.runs = runs
        self.digest = digest
    }
}

/// The program that wrote a return.
public struct Generator: Sendable, Hashable, Codable {
    /// `pioneer`.
    public var name: String
    public var version: String

    public init(name: String = "pioneer", version: String) {
        self.name = name
        self.version = version
    }
}

/// Who the return is from.
public struct SiteIdentity: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var region: String
    public var wave: String

    public init(id: String, name: String, region: String, wave: String) {
        self.id = id
        self.name = name
        self.region = region
        self.wave = wave
    }
}

/// A period written out in full, so a reader needs no period arithmetic.
public struct ReturnPeriod: Sendable, Hashable, Codable {
    /// Pioneer's label: `2026-03`, `2026Q1`, `FY2025-26 Q4`, `FY2025-26`.
    public var label: String
    /// The period type's raw value: `month`, `quarter`, `fy-quarter`, `fy-year`, `iso-week`.
    public var type: String
    /// First day, `YYYY-MM-DD`.
    public var start: String
    /// Last day (inclusive), `YYYY-MM-DD`.
    public var end: String

    public init(label: String, type: String, start: String, end: String) {
        self.label = label
        self.type = type
        self.start = start
        self.end = end
    }
}

/// A required measure that is not in the return.
public struct MissingMeasure: Sendable, Hashable, Codable {
    public var indicator: String
    /// The period's label.
    public var period: String
    /// "nothing collected", "the collection failed: …".
    public var reason: String

    public init(indicator: String, period: String, reason: String) {
        self.indicator = indicator
        self.period = period
        self.reason = reason
    }
}

/// One indicator's definition and its measures in the reporting period.
public struct ReturnIndicator: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// process, outcome, experience, cost.
    public var kind: String
    /// count, rate, proportion, mean, amount.
    public var valueType: String
    public var unit: String
    /// 100, 1000, … for a rate; nil otherwise.
    public var factor: Int?
    /// higher, lower, neutral.
    public var better: String
    public var decimals: Int
    /// The first 12 hex digits of the SHA-256 of the canonical definition: any change to
    /// id, name, kind, value type, unit, factor, direction or decimals changes it, so the
    /// office never pools values defined differently.
    public var definitionVersion: String
    /// The measures of the reporting period, and for a longer reporting period those of
    /// the shorter periods in it, in period order.
    public var measures: [ReturnMeasure]

    /// - Parameter definitionVersion: the version the fields hash to when nil.
    public init(id: String, name: String, kind: String, valueType: String, unit: String, factor: Int?,
                better: String, decimals: Int, definitionVersion: String? = nil, measures: [ReturnMeasure]) {
        self.id = id
        self.name = name
        self.kind = kind
        self.valueType = valueType
        self.unit = unit
        self.factor = factor
        self.better = better
        self.decimals = decimals
        self.definitionVersion = definitionVersion ?? DefinitionVersion.of(
            id: id, name: name, kind: kind, valueType: valueType, unit: unit, factor: factor, better: better, decimals: decimals)
        self.measures = measures
    }
}

/// One indicator-period's value, with its parts and where it came from.
public struct ReturnMeasure: Sendable, Hashable, Codable {
    public var period: ReturnPeriod
    /// Nil exactly when ``notAvailable`` is set.
    public var value: Double?
    public var numerator: Double?
    public var denominator: Double?
    public var sampleSize: Int?
    public var interval: ReturnInterval?
    public var notAvailable: ReturnNotAvailable?
    public var provenance: ReturnProvenance

    public init(period: ReturnPeriod, value: Double?, numerator: Double? = nil, denominator: Double? = nil,
                sampleSize: Int? = nil, interval: ReturnInterval? = nil, notAvailable: ReturnNotAvailable? = nil,
                provenance: ReturnProvenance) {
        self.period = period
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.sampleSize = sampleSize
        self.interval = interval
        self.notAvailable = notAvailable
        self.provenance = provenance
    }
}

/// A confidence interval.
public struct ReturnInterval: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double
    /// 0.95 for a 95% interval.
    public var level: Double
    /// wilson, poisson, normal, …
    public var method: String

    public init(lower: Double, upper: Double, level: Double, method: String) {
        self.lower = lower
        self.upper = upper
        self.level = level
        self.method = method
    }
}

/// Why a measure has no value.
public struct ReturnNotAvailable: Sendable, Hashable, Codable {
    /// suppressed, feed-down, not-yet-due, no-data.
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// Where a measure came from.
public struct ReturnProvenance: Sendable, Hashable, Codable {
    public var plugin: String
    /// The collection run that recorded the measure (one of the return's ``SiteReturn/runs``).
    public var runID: Int64
    public var collectedAt: String
    public var sources: [ReturnSource]

    public init(plugin: String, runID: Int64, collectedAt: String, sources: [ReturnSource]) {
        self.plugin = plugin
        self.runID = runID
        self.collectedAt = collectedAt
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey {
        case plugin
        case runID = "runId"
        case collectedAt
        case sources
    }
}

/// One feed response behind a measure.
public struct ReturnSource: Sendable, Hashable, Codable {
    public var feed: String
    /// The URL fetched, without credentials.
    public var url: String
    public var fetchedAt: String
    /// `sha256:` and the hex digest of the body.
    public var contentHash: String
    /// The HTTP status.
    public var status: Int

    public init(feed: String, url: String, fetchedAt: String, contentHash: String, status: Int) {
        self.feed = feed
        self.url = url
        self.fetchedAt = fetchedAt
        self.contentHash = contentHash
        self.status = status
    }
}

/// A value at a period: a goal's baseline, target, latest value.
public struct ReturnPeriodValue: Sendable, Hashable, Codable {
    /// The period's label.
    public var period: String
    public var value: Double

    public init(period: String, value: Double) {
        self.period = period
        self.value = value
    }
}

/// Where a goal's recent trend leads by its target period.
public struct ReturnProjection: Sendable, Hashable, Codable {
    public var value: Double
    public var meetsTarget: Bool
    public var pointsUsed: Int
    public var slopePerPeriod: Double

    public init(value: Double, meetsTarget: Bool, pointsUsed: Int, slopePerPeriod: Double) {
        self.value = value
        self.meetsTarget = meetsTarget
        self.pointsUsed = pointsUsed
        self.slopePerPeriod = slopePerPeriod
    }
}

/// The site's own view of a goal, carried beside the computed status.
public struct ReturnSelfAssessment: Sendable, Hashable, Codable {
    /// red, amber, green.
    public var rag: String?
    /// low, medium, high.
    public var confidence: String?
    public var narrative: String?
    /// `YYYY-MM-DD`.
    public var asOf: String?

    public init(rag: String? = nil, confidence: String? = nil, narrative: String? = nil, asOf: String? = nil) {
        self.rag = rag
        self.confidence = confidence
        self.narrative = narrative
        self.asOf = asOf
    }
}

/// A goal as at the reporting period: the plan, the computed judgement and the site's view.
public struct ReturnGoal: Sendable, Hashable, Codable {
    public var id: String
    public var indicator: String
    public var title: String
    public var baseline: ReturnPeriodValue
    public var target: ReturnPeriodValue
    /// The trajectory's value at the latest period.
    public var trajectoryValue: Double?
    /// The computed status (`GoalStatus` raw value: achieved, on track, …); nil for a neutral indicator.
    public var status: String?
    public var noDataReason: String?
    public var latest: ReturnPeriodValue?
    public var interval: ReturnInterval?
    public var projection: ReturnProjection?
    /// The SPC variation of the latest point (`SPCPointType` raw value).
    public var variation: String?
    /// Whether the target lies inside the process limits (`Assurance` raw value).
    public var assurance: String?
    public var selfAssessment: ReturnSelfAssessment
    /// The self-assessment against the computed status (`AssessmentAgreement` raw value).
    public var agreement: String

    public init(id: String, indicator: String, title: String, baseline: ReturnPeriodValue, target: ReturnPeriodValue,
                trajectoryValue: Double? = nil, status: String? = nil, noDataReason: String? = nil,
                latest: ReturnPeriodValue? = nil, interval: ReturnInterval? = nil, projection: ReturnProjection? = nil,
                variation: String? = nil, assurance: String? = nil,
                selfAssessment: ReturnSelfAssessment = ReturnSelfAssessment(), agreement: String) {
        self.id = id
        self.indicator = indicator
        self.title = title
        self.baseline = baseline
        self.target = target
        self.trajectoryValue = trajectoryValue
        self.status = status
        self.noDataReason = noDataReason
        self.latest = latest
        self.interval = interval
        self.projection = projection
        self.variation = variation
        self.assurance = assurance
        self.selfAssessment = selfAssessment
        self.agreement = agreement
    }
}

/// A collection run whose measures are in the return.
public struct ReturnRun: Sendable, Hashable, Codable {
    public var id: Int64
    public var startedAt: String
    public var finishedAt: String?
    /// running, finished, interrupted.
    public var status: String
    /// The periods it was asked for: `2026-01…2026-06`.
    public var periods: String

    public init(id: Int64, startedAt: String, finishedAt: String?, status: String, periods: String) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.periods = periods
    }
}

/// A digest of a return's canonical encoding.
public struct Digest: Sendable, Hashable, Codable {
    /// `sha256`.
    public var algorithm: String
    /// Lowercase hex.
    public var value: String

    public init(algorithm: String = "sha256", value: String) {
        self.algorithm = algorithm
        self.value = value
    }
}
