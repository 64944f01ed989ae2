// The pooled national series up to a period, from the store: what the dashboard's SPC charts
// draw and `GET /v1/history` answers. Each earlier period's counting returns are read from
// their rows (every measure, for a quarter's months) and pooled one period at a time by the
// same HistoryBuilder as `pioneer aggregate --history`, so only one period's rows are held at once.
public import PioneerAggregate
public import PioneerKit

extension IntakeService {
    /// The history of `period` and the `count - 1` periods of its type before it.
    public func history(period: Period, options: FunnelOptions, periods count: Int = 24) async throws(IntakeStoreError) -> NationalHistory {
        var builder = HistoryBuilder(programme: programme, period: period, asOf: IntakeTime.day(clock()), funnelOptions: options)
        for back in stride(from: max(count - 1, 0), through: 0, by: -1) {
            let earlier = period.advanced(by: -back)
            let counting = try await store.countingReturns(period: earlier, allMeasures: true)
            guard !counting.received.isEmpty else { continue }
            builder.add(counting.received, for: earlier)
        }
        return builder.history()
    }
}
