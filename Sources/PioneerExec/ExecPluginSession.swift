// One external plugin for the life of a loaded site: its `describe` asked once and shared
// by every indicator that names it, and each protocol call made and its answer read.
import Foundation
public import Logging
import PioneerExtraction
public import PioneerKit

/// What a plugin says of itself in answer to `describe`.
public struct ExecPluginDescription: Sendable, Hashable {
    public var summary: String
    /// It takes every period of a run in one `requests` and one `observe` call.
    public var batch: Bool
    /// The methods it answers beyond `describe`; one it lacks is not called (a plugin
    /// without `requests` needs no feed).
    public var methods: Set<String>

    public func offers(_ method: PluginProtocol.Method) -> Bool { methods.contains(method.rawValue) }
}

/// A plugin's issue with an indicator's config, from `validate`.
public struct ExecPluginIssue: Sendable, Hashable {
    public var severity: ConfigIssue.Severity
    /// A dotted path inside `config`: `numerator.feed`, `""` for the section itself.
    public var key: String
    public var message: String
}

/// The calls to one external plugin.
public final class ExecPluginSession: Sendable {
    public let spec: ExecPluginSpec
    private let described: Described

    public init(spec: ExecPluginSpec) {
        self.spec = spec
        self.described = Described()
    }

    /// The plugin's answer to `describe`, asked on first use and remembered: a broken
    /// plugin costs one failed call per run, not one per period.
    public func describe(logger: Logger) async -> Result<ExecPluginDescription, ExecPluginError> {
        let task = described.task { [spec] in
            await Self.callDescribe(spec, logger: logger)
        }
        return await task.value
    }

    private static func callDescribe(_ spec: ExecPluginSpec, logger: Logger) async -> Result<ExecPluginDescription, ExecPluginError> {
        do throws(ExecPluginError) {
            let (fields, _) = try await exchange(spec, PluginProtocol.describeRequest(), logger: logger)
            do throws(ExecPluginError.Kind) {
                let methods = try fields.strings("methods") ?? ["validate", "requests", "observe"]
                // Every indicator plugin observes: one that offers no `observe` can compute nothing.
                guard methods.contains(PluginProtocol.Method.observe.rawValue) else {
                    throw ExecPluginError.Kind.malformedAnswer(
                        "`describe` lists the methods \(methods.map { "`\($0)`" }.joined(separator: ", ").isEmpty ? "(none)" : methods.map { "`\($0)`" }.joined(separator: ", ")) without `observe`, which every plugin answers")
                }
                return .success(ExecPluginDescription(
                    summary: try fields.string("summary") ?? "", batch: try fields.bool("batch") ?? false,
                    methods: Set(methods)))
            } catch {
                throw ExecPluginError(plugin: spec.name, kind: error)
            }
        } catch {
            return .failure(error)
        }
    }

    // MARK: Calls

    /// `validate`: the plugin's issues with one indicator's config.
    func validate(_ subject: RequestSubject, logger: Logger) async throws(ExecPluginError) -> [ExecPluginIssue] {
        let (fields, tail) = try await Self.exchange(spec, PluginProtocol.request(.validate, subject: subject), logger: logger)
        do throws(ExecPluginError.Kind) {
            var issues: [ExecPluginIssue] = []
            for issue in try fields.objects("issues") {
                let severity = try issue.string("severity") ?? "error"
                guard let level = ConfigIssue.Severity(rawValue: severity) else {
                    throw .malformedAnswer("`\(issue.path).severity` should be `error` or `warning`, found `\(severity)`")
                }
                issues.append(ExecPluginIssue(severity: level, key: try issue.string("key") ?? "",
                                              message: try issue.string("message", required: true) ?? ""))
            }
            return issues
        } catch {
            throw ExecPluginError(plugin: spec.name, kind: error, stderrTail: tail)
        }
    }

    /// `requests` for `periods`: each period's feed requests, in the order given.
    func requests(for periods: [Period], subject: RequestSubject,
                  logger: Logger) async throws(ExecPluginError) -> (requests: [[FeedRequest]], stderrTail: [String]) {
        let request = PluginProtocol.request(.requests, subject: subject,
                                             extra: ["periods": .array(periods.map { .object(PluginProtocol.periodJSON($0)) })])
        let (fields, tail) = try await Self.exchange(spec, request, logger: logger)
        do throws(ExecPluginError.Kind) {
            var byPeriod = Dictionary(periods.map { ($0.label, [FeedRequest]()) }, uniquingKeysWith: { first, _ in first })
            for entry in try fields.objects("requests") {
                let label = try entry.string("period") ?? (periods.count == 1 ? periods[0].label : nil)
                guard let label, byPeriod[label] != nil else {
                    throw .malformedAnswer("`\(entry.path).period` should name one of the periods asked for ("
                                           + periods.map { "`\($0.label)`" }.joined(separator: ", ") + ")")
                }
                let request = FeedRequest(
                    key: try entry.string("key", required: true) ?? "", feed: try entry.string("feed", required: true) ?? "",
                    path: try entry.string("path", required: true) ?? "", query: try entry.stringMap("query"))
                byPeriod[label, default: []].append(request)
            }
            return (periods.map { byPeriod[$0.label] ?? [] }, tail)
        } catch {
            throw ExecPluginError(plugin: spec.name, kind: error, stderrTail: tail)
        }
    }

    /// `observe` for `batch`: an observation, or the plugin's error, for each period in order.
    func observe(_ batch: [PeriodResponses], subject: RequestSubject,
                 logger: Logger) async throws(ExecPluginError) -> [Result<Observation, ExecPluginError>] {
        var periods: [JSONValue] = []
        // Files written for this call's bodies (`bodies: file`), removed once it is answered.
        let files = BodyFiles()
        defer { files.remove() }
        for item in batch {
            var period = PluginProtocol.periodJSON(item.period)
            var responses: [String: JSONValue] = [:]
            for (key, response) in item.responses.byKey {
                do {
                    responses[key] = try PluginProtocol.responseJSON(response, bodies: spec.bodies, files: files)
                } catch {
                    throw ExecPluginError(plugin: spec.name, kind: .refused("cannot pass the body of \(response.url) on: \(error.message)"))
                }
            }
            period["responses"] = .object(responses)
            periods.append(.object(period))
        }
        let (fields, tail) = try await Self.exchange(
            spec, PluginProtocol.request(.observe, subject: subject, extra: ["periods": .array(periods)]), logger: logger)
        func failure(_ kind: ExecPluginError.Kind) -> ExecPluginError {
            ExecPluginError(plugin: spec.name, kind: kind, stderrTail: tail)
        }
        do throws(ExecPluginError.Kind) {
            var byPeriod: [String: Result<Observation, ExecPluginError>] = [:]
            for entry in try fields.objects("observations") {
                let label = try entry.string("period") ?? (batch.count == 1 ? batch[0].period.label : nil)
                guard let label, batch.contains(where: { $0.period.label == label }) else {
                    throw .malformedAnswer("`\(entry.path).period` should name one of the periods asked for")
                }
                guard byPeriod[label] == nil else {
                    throw .malformedAnswer("`\(entry.path)` is a second observation for \(label); give one observation a period")
                }
                if let error = try entry.string("error") {
                    byPeriod[label] = .failure(failure(.pluginError(error)))
                } else {
                    byPeriod[label] = .success(try Self.observation(entry))
                }
            }
            return batch.map { item in
                byPeriod[item.period.label]
                    ?? .failure(failure(.malformedAnswer("it gave no observation for \(item.period.label)")))
            }
        } catch {
            throw failure(error)
        }
    }

    /// One entry of `observations`: a value with its parts, or not available with a reason.
    private static func observation(_ entry: AnswerFields) throws(ExecPluginError.Kind) -> Observation {
        let n = try entry.number("n")
        var sampleSize: Int?
        if let n {
            guard let whole = Int(exactly: n), whole >= 0 else {
                throw .malformedAnswer("`\(entry.path).n` should be a whole number of 0 or more, found \(n)")
            }
            sampleSize = whole
        }
        if let detail = try entry.string("not_available") {
            if entry.fields["value"].map({ if case .null = $0 { false } else { true } }) ?? false {
                throw .malformedAnswer("`\(entry.path)` has both `value` and `not_available`; give a value or say why there is none, never both")
            }
            let reasonText = try entry.string("reason") ?? NotAvailableReason.noData.rawValue
            guard let reason = NotAvailableReason(rawValue: reasonText) else {
                throw .malformedAnswer("`\(entry.path).reason` should be one of "
                                       + NotAvailableReason.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
                                       + ", found `\(reasonText)`")
            }
            return .notAvailable(reason, detail, sampleSize: sampleSize)
        }
        guard let value = try entry.number("value") else {
            throw .malformedAnswer("`\(entry.path)` has neither `value`, `not_available` nor `error`")
        }
        var interval: ConfidenceInterval?
        if let bounds = try entry.object("interval") {
            guard let lower = try bounds.number("lower"), let upper = try bounds.number("upper") else {
                throw .malformedAnswer("`\(bounds.path)` needs both `lower` and `upper`")
            }
            interval = ConfidenceInterval(lower: lower, upper: upper, level: try bounds.number("level") ?? 0.95,
                                          method: try bounds.string("method") ?? "plugin")
        }
        return .value(value, numerator: try entry.number("numerator"), denominator: try entry.number("denominator"),
                      sampleSize: sampleSize, interval: interval)
    }

    /// Sends `request`, and reads the answer's fields with the stderr tail of the call.
    static func exchange(_ spec: ExecPluginSpec, _ request: JSONValue,
                         logger: Logger) async throws(ExecPluginError) -> (AnswerFields, [String]) {
        var log = logger
        log[metadataKey: "plugin"] = "\(spec.name)"
        let outcome = try await ExecPluginRunner.run(spec, request: PluginProtocol.encode(request), logger: log)
        let data: Data
        do {
            data = try outcome.answer(plugin: spec.name)
        } catch {
            // Which call ran out of time: `requests` and `observe` fail periods, not the plugin.
            var named = error
            if case .object(let fields) = request, case .string(let method)? = fields["method"] { named.method = method }
            throw named
        }
        do throws(ExecPluginError.Kind) {
            return (try PluginProtocol.answerFields(data), outcome.stderrTail)
        } catch {
            throw ExecPluginError(plugin: spec.name, kind: error, stderrTail: outcome.stderrTail)
        }
    }
}

/// The one `describe` of a session, started by its first caller.
private final class Described: @unchecked Sendable {
    // @unchecked: `started` is only touched with `lock` held.
    private let lock = NSLock()
    private var started: Task<Result<ExecPluginDescription, ExecPluginError>, Never>?

    func task(_ make: @escaping @Sendable () async -> Result<ExecPluginDescription, ExecPluginError>)
        -> Task<Result<ExecPluginDescription, ExecPluginError>, Never> {
        lock.withLock {
            if let started { return started }
            let task = Task { await make() }
            started = task
            return task
        }
    }
}
