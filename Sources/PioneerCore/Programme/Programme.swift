// The national programme the sites report to: which sites owe a return, for which
// periods, by when, and how their goals group into themes. Read from sites/programme.yaml.
public import PioneerKit

/// A national programme: its sites, reporting periods, deadlines and goal themes.
public struct Programme: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The ids of the sites expected to send a return for every reporting period.
    public var sites: [String]
    /// The kinds of period a return is due for (`month`, `quarter`, …).
    public var periods: [PeriodType]
    public var deadlines: ReturnDeadlines
    /// Goal themes in the order written; a goal id belongs to at most one.
    public var themes: [GoalTheme]
    /// The file it was read from, for messages.
    public var file: String

    public init(id: String, name: String, sites: [String], periods: [PeriodType], deadlines: ReturnDeadlines,
                themes: [GoalTheme], file: String) {
        self.id = id
        self.name = name
        self.sites = sites
        self.periods = periods
        self.deadlines = deadlines
        self.themes = themes
        self.file = file
    }

    /// Whether `period`'s kind is one the programme collects returns for.
    public func expects(_ period: Period) -> Bool {
        periods.contains(period.type)
    }

    /// The theme `goalID` belongs to, or nil when no theme names it.
    public func theme(ofGoal goalID: String) -> GoalTheme? {
        themes.first { $0.goals.contains(goalID) }
    }
}

/// A group of goals the programme office reads together ("emergency admissions").
public struct GoalTheme: Sendable, Hashable {
    public var name: String
    /// Goal ids, as the sites' files name them; sites may share an id.
    public var goals: [String]

    public init(name: String, goals: [String]) {
        self.name = name
        self.goals = goals
    }
}
