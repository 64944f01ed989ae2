// One goal with everything `progress`, `report` and the returns show about it.
public import PioneerCore
public import PioneerKit

/// A goal's assessment, its indicator's series and the SPC chart over it.
public struct GoalProgress: Sendable, Hashable {
    public var assessment: GoalAssessment
    public var definition: IndicatorDefinition
    /// Every stored period, in order, not-available ones too.
    public var series: [SeriesPoint]
    /// Over the available points of `series`.
    public var spc: SPCResult
    /// The period of each SPC point, in the chart's order.
    public var spcPeriods: [Period]
    /// The site's events that concern this indicator.
    public var events: [SiteEvent]

    public init(assessment: GoalAssessment, definition: IndicatorDefinition, series: [SeriesPoint],
                spc: SPCResult, spcPeriods: [Period], events: [SiteEvent]) {
        self.assessment = assessment
        self.definition = definition
        self.series = series
        self.spc = spc
        self.spcPeriods = spcPeriods
        self.events = events
    }
}
