// Which expected sites returned for the period, and when: on time, late, incomplete,
// still awaited, or missing.
public import PioneerKit

/// Where an expected site's return for the period stands.
///
/// Judged on the return's `generatedAt` date (UTC) against the programme's deadlines, and
/// on the day the aggregate is made for a return not yet received:
/// - ``onTime``: made on or before the soft deadline.
/// - ``late``: made after the soft deadline, on or before the hard one.
/// - ``incomplete``: received by the hard deadline but marked `complete: false`; its
///   values are pooled, what it lacks is listed in the return.
/// - ``awaited``: none yet, and the hard deadline has not passed.
/// - ``missing``: none by the hard deadline. A return made after the hard deadline counts
///   as missing too (the programme's books for the period are closed), and is listed
///   among the rejected returns with its date, never dropped in silence.
public enum SubmissionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case onTime = "on time"
    case late
    case incomplete
    case awaited
    case missing
}

/// One expected site's return for the period.
public struct SiteCompleteness: Sendable, Hashable, Codable {
    public var site: String
    public var status: SubmissionStatus
    /// The date the return was made (`YYYY-MM-DD`), when one was received.
    public var submitted: String?
    /// The file it was read from.
    public var source: String?
    /// With no return counted, the file of one the site sent that was rejected (the
    /// aggregate lists why): the site sent something, which "awaited" alone would hide.
    public var rejected: String?

    public init(site: String, status: SubmissionStatus, submitted: String? = nil, source: String? = nil, rejected: String? = nil) {
        self.site = site
        self.status = status
        self.submitted = submitted
        self.source = source
        self.rejected = rejected
    }
}

/// The completeness of a period's returns: the deadlines and each expected site.
public struct Completeness: Sendable, Hashable, Codable {
    public var softDeadline: CalendarDate
    public var hardDeadline: CalendarDate
    /// The day the judgement was made: a return not received is awaited up to the hard deadline.
    public var asOf: CalendarDate
    /// Each site the programme expects, in the programme's order.
    public var sites: [SiteCompleteness]

    public init(softDeadline: CalendarDate, hardDeadline: CalendarDate, asOf: CalendarDate, sites: [SiteCompleteness]) {
        self.softDeadline = softDeadline
        self.hardDeadline = hardDeadline
        self.asOf = asOf
        self.sites = sites
    }

    /// How many sites are in `status`.
    public func count(_ status: SubmissionStatus) -> Int {
        sites.count { $0.status == status }
    }
}
