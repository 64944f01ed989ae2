// An indicator whose plugin computes every period of the run in one call: its items are
// gathered as their responses arrive and observed together once the last one has.
import Foundation
import Logging
import PioneerCore
import PioneerKit
import PioneerStore

/// The items of one indicator whose plugin takes batches (``BatchIndicatorPlugin``).
struct BatchGroup {
    var plugin: any BatchIndicatorPlugin
    var spec: IndicatorSpec
    /// Indices into ``CollectionPlan/items``, in period order.
    var items: [Int] = []

    /// Computes every member at once: those whose fetches failed settle on their own, the
    /// rest go to the plugin in one `observe` call.
    func compute(_ members: [(item: WorkItem, responses: [Result<FetchedBody, FetchFailure>?])],
                 site: SiteInfo, logger: Logger) -> [(sequence: Int, completion: Completion)] {
        var completions: [(sequence: Int, completion: Completion)] = []
        var ready: [(item: WorkItem, responses: [FeedResponse], sources: [FeedSource])] = []
        for (item, responses) in members {
            switch item.prepare(responses: responses) {
            case .settled(let completion): completions.append((item.sequence, completion))
            case .ready(let feedResponses, let sources): ready.append((item, feedResponses, sources))
            }
        }
        guard !ready.isEmpty else { return completions }
        ready.sort { $0.item.period < $1.item.period }
        let context = PluginContext(site: site, indicator: spec.definition, logger: logger)
        let observed = plugin.observe(ready.map { PeriodResponses(period: $0.item.period, responses: FeedResponses($0.responses)) },
                                      context: context)
        for (index, member) in ready.enumerated() {
            let result: Result<Observation, any Error> = index < observed.count
                ? observed[index].mapError { $0 as any Error }
                : .failure(PluginError("answered \(observed.count) observations for \(ready.count) periods"))
            completions.append((member.item.sequence, member.item.finish(result, sources: member.sources)))
        }
        return completions
    }
}
