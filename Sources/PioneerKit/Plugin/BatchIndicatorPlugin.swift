// A plugin that can take many periods in one call: an external process, whose start costs
// more than the work, says so, and the collection engine then asks once per run, not per period.

/// The responses for one period of a batch.
public struct PeriodResponses: Sendable {
    public var period: Period
    public var responses: FeedResponses

    public init(period: Period, responses: FeedResponses) {
        self.period = period
        self.responses = responses
    }
}

/// An ``IndicatorPlugin`` that may also compute many periods per call.
///
/// The collection engine asks ``takesBatches(context:)`` once per indicator and run; when
/// it says yes, the engine calls `requests(for:context:)` once with every due period and
/// ``observe(_:context:)`` once with every period whose feeds answered, instead of once
/// per period. The single-period methods stay the contract for everything
/// else (a test harness, `pioneer plugin test`).
public protocol BatchIndicatorPlugin: IndicatorPlugin {
    /// Whether this configured plugin wants the batch calls. Called once per run, before
    /// planning; it may block (an external plugin asks its program).
    func takesBatches(context: PluginContext) -> Bool

    /// The feed requests for each of `periods`, in the same order: a list, or why that
    /// period cannot be computed.
    func requests(for periods: [Period], context: PluginContext) -> [Result<[FeedRequest], PluginError>]

    /// An observation for each period of `batch`, in the same order, or why it failed.
    func observe(_ batch: [PeriodResponses], context: PluginContext) -> [Result<Observation, PluginError>]
}
