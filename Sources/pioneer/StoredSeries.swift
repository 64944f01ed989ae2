// The series that goal tracking judges: each indicator's current stored measures, in period
// order, read once from the site's store. `progress` and `report` read nothing else.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerStore

enum StoredSeries {
    /// Each indicator's current measures, oldest period first, by indicator id: available and
    /// not-available periods alike, suppressed values without their hidden parts. Measures of
    /// another period type than the indicator's (a definition that changed) are left out.
    static func load(site: Site, storePath path: String) throws(StoreError) -> [String: [SeriesPoint]] {
        let store = try MeasureStore(readingAt: path)
        try store.checkHolds(site: site.id)
        let stored = try store.measures(MeasureQuery(site: site.id))
        var series: [String: [SeriesPoint]] = [:]
        for row in stored {
            let measure = row.measure
            guard let indicator = site.indicator(id: measure.indicatorID),
                  measure.period.type == indicator.definition.periodType else { continue }
            series[measure.indicatorID, default: []].append(SeriesPoint(period: measure.period, observation: measure.observation.published))
        }
        for key in series.keys {
            series[key]?.sort { $0.period < $1.period }
        }
        return series
    }
}
