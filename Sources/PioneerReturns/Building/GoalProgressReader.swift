// The site's goals judged as at the end of a reporting period, from the store: each goal's
// indicator series handed to PioneerGoals' ProgressEvaluator with the period as its `asOf`.
public import PioneerCore
public import PioneerGoals
public import PioneerKit
public import PioneerStore

/// Reads each goal's series from the store and judges it as at a reporting period.
public struct GoalProgressReader: Sendable {
    public var site: Site
    public var store: MeasureStore

    public init(site: Site, store: MeasureStore) {
        self.site = site
        self.store = store
    }

    /// The progress of every goal of the site as at the end of `reporting`: periods after it
    /// are left out, so a return made later still says what was known of that period.
    public func progress(asAtEndOf reporting: Period) throws(StoreError) -> [GoalProgress] {
        let evaluator = ProgressEvaluator(site: site, asOf: reporting)
        var result: [GoalProgress] = []
        for goal in site.goals {
            let series = try store.measures(MeasureQuery(site: site.id, indicator: goal.indicatorID))
                .filter { $0.measure.period.end <= reporting.end }
                .map { SeriesPoint(period: $0.measure.period, observation: $0.measure.observation) }
            result.append(evaluator.progress(goal: goal, series: series))
        }
        return result
    }
}
