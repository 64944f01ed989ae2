// What every simulated site shares: its name for seeding, when its intervention started,
// and draws of monthly numbers that do not depend on the range a request asks for.
import PioneerKit

/// The random and expected values of one site.
///
/// A month's numbers come from a generator seeded by (site, stream, month), never by
/// the request, so a quarter's answer is exactly the sum of its three months' answers.
struct SiteSimulation: Sendable {
    /// `torbay`: part of every seed.
    var site: String
    /// The first month of the site's intervention; series change from here.
    var interventionStart: Period

    /// A generator for `stream` in `month`; `item` separates sub-streams (a practice, a band).
    func random(_ stream: String, _ month: Period, item: Int = 0) -> SplitMix64 {
        SplitMix64(site, stream, month.index &* 10_007 &+ item)
    }

    /// A generator for `stream` that does not change with time (practice sizes, care home residents).
    func fixedRandom(_ stream: String, item: Int = 0) -> SplitMix64 {
        SplitMix64(site, stream, item)
    }

    func mean(_ series: MonthlySeries, _ month: Period) -> Double {
        series.mean(in: month, interventionStart: interventionStart)
    }

    func probability(_ series: MonthlySeries, _ month: Period) -> Double {
        series.probability(in: month, interventionStart: interventionStart)
    }

    /// The noisy count for `stream` in `month`.
    func count(_ stream: String, _ series: MonthlySeries, _ month: Period, item: Int = 0) -> Int {
        var random = random(stream, month, item: item)
        return random.count(mean: mean(series, month))
    }

    /// A day of `month`, uniformly.
    static func day(in month: Period, using random: inout SplitMix64) -> CalendarDate {
        month.start.adding(days: random.integer(in: 0...(month.dayCount - 1)))
    }
}
