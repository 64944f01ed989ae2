// `pioneer validate --sample PERIOD`: fetch a valid site's feeds once for one period and run
// every indicator's extraction, so that what only the data can show (a number written
// "3,945,237.88", answers in another case, a renamed column) is found before a scheduled run.
import Foundation
import Logging
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore

/// Runs the real collection path for one period into a throwaway store and reports what failed.
///
/// The schema can say whether `number_format:` is spelt right, not whether a feed needs
/// it: that depends on what the feed sends. Running the production engine (the same
/// requests, plugins and checks as `collect`) keeps the sample honest; the store is a
/// temporary file, deleted afterwards, so validating never writes a measure.
struct FeedSampleCheck {
    var period: Period
    var maxParallel = 8
    /// One client for every site sampled, so their connections stay within `maxParallel`
    /// (a client per site kept each site's connections open while the next site ran).
    let client: FeedClient

    init(period: Period, maxParallel: Int = 8) {
        self.period = period
        self.maxParallel = maxParallel
        var logger = Logger(label: "pioneer.validate.sample")
        logger.logLevel = .critical
        client = FeedClient(limits: FeedClientLimits(maxParallel: maxParallel, maxPerHost: maxParallel), logger: logger)
    }

    /// One indicator-period of the sample that did not give a value.
    struct Finding: Sendable {
        var indicator: String
        var period: String
        var outcome: RunOutcomeKind
        var message: String
    }

    struct Report: Sendable {
        var period: Period
        var read = 0
        var findings: [Finding] = []
        /// Why the sample could not run at all (the temporary store could not be made).
        var failure: String?

        var failed: Bool { failure != nil || findings.contains { $0.outcome == .failed } }
    }

    /// Collects `loaded` for ``period`` into a temporary store and gathers the results.
    func run(_ loaded: LoadedSite) async -> Report {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("pioneer-validate-sample-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        var report = Report(period: period)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try MeasureStore(path: folder.appendingPathComponent("sample.sqlite").path)
            // The sample reports through its findings; log lines would only repeat them.
            var logger = Logger(label: "pioneer.validate.sample")
            logger.logLevel = .critical
            let engine = CollectionEngine(store: store, fetcher: client,
                                          options: .init(maxParallel: maxParallel, command: "pioneer validate --sample"),
                                          logger: logger)
            let summary = try await engine.collect(loaded, periods: PeriodSelection(period))
            for indicator in summary.indicators {
                for result in indicator.results {
                    switch result.outcome {
                    case .collected, .unchanged:
                        report.read += 1
                    default:
                        report.findings.append(Finding(indicator: result.indicator, period: result.period,
                                                       outcome: result.outcome, message: result.reason ?? ""))
                    }
                }
            }
        } catch {
            report.failure = "the sample could not be collected: \(error)"
        }
        return report
    }

    /// Lines for stderr, each starting with the site file: failures as errors, the rest as notes.
    static func lines(_ report: Report, file: String) -> [String] {
        let period = report.period
        if let failure = report.failure { return ["\(file): error: sample \(period.label): \(failure)"] }
        var lines = report.findings.map { finding in
            let severity = finding.outcome == .failed ? "error" : "note"
            let what = finding.outcome == .failed ? "" : "\(finding.outcome.label): "
            return "\(file): \(severity): sample \(period.label): \(finding.indicator) \(finding.period): \(what)\(finding.message)"
        }
        let failed = report.findings.count { $0.outcome == .failed }
        let other = report.findings.count - failed
        var counts = ["\(report.read) read"]
        if failed > 0 { counts.append("\(failed) failed") }
        if other > 0 { counts.append("\(other) without a value") }
        lines.append("\(file): sample \(period.label): \(counts.joined(separator: ", "))")
        return lines
    }
}

extension RunOutcomeKind {
    /// "not available", "skipped": how a finding that is not a failure is introduced.
    fileprivate var label: String {
        switch self {
        case .notAvailable: return "not available"
        default: return rawValue
        }
    }
}
