// An external plugin configured for one indicator: the IndicatorPlugin the host drives,
// one period per call or, when the program says it can, every period of a run at once.
import Foundation
import Logging
public import PioneerKit

/// One indicator computed by a site's own program (docs/plugin-protocol.md).
///
/// The single-period methods block their thread for one process each (after the shared
/// `describe`), so they belong on the collection engine's worker threads, as every
/// plugin's do. The batch methods make one `requests` and one `observe` call for all the
/// periods of a run when `describe` said `"batch": true`, and one call per period otherwise.
public struct ExecIndicatorPlugin: BatchIndicatorPlugin {
    public static let name = "exec"
    public static let summary = "Runs a site's own program, declared in its `plugins:` section with `kind: exec`."

    public let session: ExecPluginSession
    let subject: RequestSubject
    /// The feeds the site declares: a request for any other fails its period.
    let feeds: Set<String>

    init(session: ExecPluginSession, subject: RequestSubject, feeds: Set<String>) {
        self.session = session
        self.subject = subject
        self.feeds = feeds
    }

    /// External plugins are made by their `plugins:` entry's factory (``ExecPluginSpec/factory()``),
    /// which knows the program; this type alone has none to run.
    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> ExecIndicatorPlugin? {
        issues.error("`exec` is a kind of plugin, not a plugin: declare the program under the site's `plugins:` and name that", at: config)
        return nil
    }

    // MARK: IndicatorPlugin

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        try requests(for: [period], context: context).first?.get() ?? []
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        guard let result = observe([PeriodResponses(period: period, responses: responses)], context: context).first else {
            throw PluginError("gave no observation for \(period.label)")
        }
        return try result.get()
    }

    // MARK: BatchIndicatorPlugin

    public func takesBatches(context: PluginContext) -> Bool {
        // Not started without its environment: each period then fails saying why.
        guard session.spec.unsetVariables.isEmpty else { return false }
        let session = session
        let logger = context.logger
        return Blocking.wait {
            (try? await session.describe(logger: logger).get())?.batch ?? false
        }
    }

    public func requests(for periods: [Period], context: PluginContext) -> [Result<[FeedRequest], PluginError>] {
        let logger = context.logger
        return Blocking.wait { [self] in await requests(for: periods, logger: logger) }
    }

    public func observe(_ batch: [PeriodResponses], context: PluginContext) -> [Result<Observation, PluginError>] {
        let logger = context.logger
        return Blocking.wait { [self] in await observe(batch, logger: logger) }
    }

    // MARK: The calls

    /// Why the plugin is not run at all, or nil: its `env:` needs a variable that is not set.
    private var unsetProblem: PluginError? {
        let unset = session.spec.unsetVariables
        guard !unset.isEmpty else { return nil }
        let names = unset.map { "`\($0)`" }.joined(separator: ", ")
        return PluginError("is not run: its `env:` needs the environment variable\(unset.count == 1 ? "" : "s") \(names), "
                           + "which \(unset.count == 1 ? "is" : "are") not set (or empty); set \(unset.count == 1 ? "it" : "them") before collecting")
    }

    func requests(for periods: [Period], logger: Logger) async -> [Result<[FeedRequest], PluginError>] {
        if let unsetProblem { return periods.map { _ in .failure(unsetProblem) } }
        let description: ExecPluginDescription
        switch await session.describe(logger: logger) {
        case .failure(let error): return periods.map { _ in .failure(Self.pluginError(error, during: "describe")) }
        case .success(let described): description = described
        }
        guard description.offers(.requests) else { return periods.map { _ in .success([]) } }
        var results: [Result<[FeedRequest], PluginError>] = []
        for chunk in Self.chunks(periods, batch: description.batch) {
            do throws(ExecPluginError) {
                let (lists, tail) = try await session.requests(for: chunk, subject: subject, logger: logger)
                for (period, list) in zip(chunk, lists) {
                    results.append(check(list, period: period, stderrTail: tail))
                }
            } catch {
                results += chunk.map { _ in .failure(Self.pluginError(error)) }
            }
        }
        return results
    }

    func observe(_ batch: [PeriodResponses], logger: Logger) async -> [Result<Observation, PluginError>] {
        if let unsetProblem { return batch.map { _ in .failure(unsetProblem) } }
        let description: ExecPluginDescription
        switch await session.describe(logger: logger) {
        case .failure(let error): return batch.map { _ in .failure(Self.pluginError(error, during: "describe")) }
        case .success(let described): description = described
        }
        var results: [Result<Observation, PluginError>] = []
        let limit = session.spec.bodies == .inline ? ExecPluginSpec.maximumInlineBody : nil
        for chunk in Self.chunks(batch, batch: description.batch, inlineLimit: limit) {
            do throws(ExecPluginError) {
                let observations = try await session.observe(chunk, subject: subject, logger: logger)
                results += observations.map { $0.mapError { Self.pluginError($0) } }
            } catch {
                results += chunk.map { _ in .failure(Self.pluginError(error)) }
            }
        }
        return results
    }

    /// A period's requests, unless one names a feed the site does not declare.
    private func check(_ requests: [FeedRequest], period: Period, stderrTail: [String]) -> Result<[FeedRequest], PluginError> {
        for request in requests where !feeds.contains(request.feed) {
            let declared = feeds.isEmpty ? "the site declares no feeds"
                : "the site declares " + feeds.sorted().map { "`\($0)`" }.joined(separator: ", ")
            let error = ExecPluginError(
                plugin: session.spec.name,
                kind: .refused("asked for feed `\(request.feed)` for \(period.label), which the site does not declare; \(declared)"),
                stderrTail: stderrTail)
            return .failure(Self.pluginError(error))
        }
        return .success(requests)
    }

    /// All at once for a batch plugin, one at a time otherwise.
    private static func chunks<Element>(_ items: [Element], batch: Bool) -> [[Element]] {
        guard !items.isEmpty else { return [] }
        return batch ? [items] : items.map { [$0] }
    }

    /// The `observe` calls for `items`: for a batch plugin given its bodies inline, as few as
    /// keep each call's bodies within `inlineLimit` bytes (a period whose bodies are larger
    /// goes alone, and its body too large for a request is refused there); otherwise as
    /// ``chunks(_:batch:)``. So a year of monthly extracts is not one request of a year's bytes.
    static func chunks(_ items: [PeriodResponses], batch: Bool, inlineLimit: Int?) -> [[PeriodResponses]] {
        guard batch, let inlineLimit else { return chunks(items, batch: batch) }
        var calls: [[PeriodResponses]] = []
        var call: [PeriodResponses] = []
        var bytes = 0
        for item in items {
            let size = item.responses.byKey.values.reduce(0) { $0 + ($1.body.size ?? 0) }
            if !call.isEmpty, bytes + size > inlineLimit {
                calls.append(call)
                call = []
                bytes = 0
            }
            call.append(item)
            bytes += size
        }
        if !call.isEmpty { calls.append(call) }
        return calls
    }

    /// The failure as the engine reports it, after `plugin `NAME`: `.
    private static func pluginError(_ error: ExecPluginError, during method: String? = nil) -> PluginError {
        PluginError(method.map { "its `\($0)` call failed, so nothing was asked of it: " } .map { $0 + error.detail } ?? error.detail)
    }
}
