// Goals across the programme: how many sites' goals in each theme are on track, at risk,
// off track or without data, and where a site's own view disagrees with the evidence.

/// The goals of one theme across the sites, counted by computed status.
public struct ThemeSummary: Sendable, Hashable, Codable {
    /// The theme's name, or `no theme` for goals the programme file does not place.
    public var theme: String
    public var achieved: Int
    public var onTrack: Int
    public var atRisk: Int
    public var offTrack: Int
    public var noData: Int
    /// Goals on a neutral indicator, which get no status.
    public var noStatus: Int
    /// `site/goal` for every goal counted, in order.
    public var goals: [String]

    public init(theme: String, achieved: Int = 0, onTrack: Int = 0, atRisk: Int = 0, offTrack: Int = 0,
                noData: Int = 0, noStatus: Int = 0, goals: [String] = []) {
        self.theme = theme
        self.achieved = achieved
        self.onTrack = onTrack
        self.atRisk = atRisk
        self.offTrack = offTrack
        self.noData = noData
        self.noStatus = noStatus
        self.goals = goals
    }

    /// Counts one goal of `status` (a `GoalStatus` raw value, nil for none).
    mutating func count(_ status: String?, goal: String) {
        goals.append(goal)
        switch status {
        case "achieved": achieved += 1
        case "on track": onTrack += 1
        case "at risk": atRisk += 1
        case "off track": offTrack += 1
        case "no data": noData += 1
        default: noStatus += 1
        }
    }
}

/// A goal whose site's self-assessment disagrees with its computed status.
public struct ConfidenceGap: Sendable, Hashable, Codable {
    public var site: String
    public var goal: String
    public var title: String
    public var theme: String?
    /// The computed status (`off track`, `on track`, …).
    public var status: String?
    /// The site's own rating and confidence.
    public var rag: String?
    public var confidence: String?
    /// `optimistic` (the site's view is better than the evidence) or `pessimistic`.
    public var agreement: String

    public init(site: String, goal: String, title: String, theme: String?, status: String?, rag: String?,
                confidence: String?, agreement: String) {
        self.site = site
        self.goal = goal
        self.title = title
        self.theme = theme
        self.status = status
        self.rag = rag
        self.confidence = confidence
        self.agreement = agreement
    }
}
