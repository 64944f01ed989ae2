// The indicator-periods a run has computed since its last commit, the store writes that
// record them, and how their results are reported once the store has written them.
import Logging
import PioneerStore

/// Indicator-periods computed since the last commit, and the writes that record them.
struct WriteBatch: Sendable {
    struct Entry: Sendable {
        var sequence: Int
        var result: PeriodResult
        /// Its write in ``writes``; nil when there is nothing to record (never, today).
        var writeIndex: Int?
    }

    private(set) var writes: [StoreWrite] = []
    private(set) var entries: [Entry] = []

    /// Indicator-periods waiting.
    var count: Int { entries.count }

    /// Whether some indicator-period is recorded by the write at `writeIndex`.
    func hasEntry(writeIndex: Int) -> Bool {
        entries.contains { $0.writeIndex == writeIndex }
    }
    var isEmpty: Bool { writes.isEmpty }

    mutating func add(_ completion: Completion, sequence: Int) {
        switch completion {
        case .settled(let result):
            add(result, sequence: sequence)
        case .store(let measure, let result):
            entries.append(Entry(sequence: sequence, result: result, writeIndex: writes.count))
            writes.append(.measure(measure))
        }
    }

    /// A result that stores no measure; failed and skipped ones are written to the run's record.
    mutating func add(_ result: PeriodResult, sequence: Int) {
        entries.append(Entry(sequence: sequence, result: result, writeIndex: writes.count))
        writes.append(.outcome(indicator: result.indicator, period: result.period, kind: result.outcome, reason: result.reason))
    }

    /// A feed cache update, committed with the batch.
    mutating func add(_ write: StoreWrite) {
        writes.append(write)
    }

    /// Reports the batch's indicator-periods once the store has written it: a measure the
    /// store refused becomes a failure. Returns the outcome rows those failures still need
    /// (for the next batch).
    ///
    /// - Parameter stoppedBy: the run has stopped on this refusal of the store: whatever was not
    ///   written is reported as not collected for that reason, with no warning per row and no
    ///   outcome rows to retry.
    func report(written result: Result<[Result<RecordOutcome?, StoreError>], StoreError>, storePath: String,
                run: inout RunState, stoppedBy: StoreError? = nil) -> [StoreWrite] {
        let written: [Result<RecordOutcome?, StoreError>]
        switch result {
        case .success(let results) where results.count == writes.count:
            written = results
        case .success:
            written = Array(repeating: .failure(StoreError(.other, path: storePath, "the batch was not written")),
                            count: writes.count)
        case .failure(let error):
            written = Array(repeating: .failure(error), count: writes.count)
        }
        var unrecorded: [StoreWrite] = []
        for (index, write) in writes.enumerated() where stoppedBy == nil {
            guard case .failure(let error) = written[index] else { continue }
            switch write {
            case .cacheFeedBody(let entry):
                run.logger.warning("cannot update the feed cache", metadata: ["url": "\(entry.url)", "error": "\(error)"])
            case .forgetFeedBody(_, let url):
                run.logger.warning("cannot update the feed cache", metadata: ["url": "\(url)", "error": "\(error)"])
            case .outcome(let indicator, let period, _, _) where !hasEntry(writeIndex: index):
                run.logger.warning("cannot record the outcome in the store",
                                   metadata: ["indicator": "\(indicator)", "period": "\(period)", "error": "\(error)"])
            case .outcome, .measure:
                break
            }
        }
        for entry in entries {
            var result = entry.result
            if let writeIndex = entry.writeIndex {
                switch written[writeIndex] {
                case .success(let outcome):
                    if let outcome, outcome.isUnchanged, result.outcome == .collected { result.outcome = .unchanged }
                case .failure(let error):
                    if let stoppedBy {
                        // A result that is only an outcome row keeps its own reason.
                        guard case .measure = writes[writeIndex] else { break }
                        result = PeriodResult(indicator: result.indicator, period: result.period, outcome: .failed,
                                              reason: RunState.stoppedReason(stoppedBy))
                    } else if case .measure = writes[writeIndex] {
                        result = PeriodResult(indicator: result.indicator, period: result.period, outcome: .failed,
                                              reason: "could not store the measure: \(error)")
                        // Its outcome row was rolled back with it; the failure still goes on record.
                        unrecorded.append(.outcome(indicator: result.indicator, period: result.period,
                                                   kind: .failed, reason: result.reason))
                    } else {
                        run.logger.warning("cannot record the outcome in the store", metadata: ["error": "\(error)"])
                    }
                }
            }
            run.finish(sequence: entry.sequence, result: result)
        }
        return unrecorded
    }
}
