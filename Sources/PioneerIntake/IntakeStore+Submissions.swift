// Submissions: each stored with its bytes and summary in one transaction, numbered per site
// and period without gaps, answered once per distinct bytes; and read back every way the
// service needs (every version, the bytes, the versions that count). The summary's JSON is
// written and read here, above either database's SQL.
import Foundation
import PioneerReturns

/// A checked submission on its way into the store: everything but its version.
struct PendingSubmission: Sendable {
    var id: String
    /// The site it is filed under; nil when unknown.
    var site: String?
    /// Its period; nil for a submission that takes no version (unreadable, or refused to its sender).
    var period: String?
    var format: SubmissionFormat
    var digest: String
    var bytes: [UInt8]
    var receivedAt: String
    /// The summary to store and answer, its `submission` and `version` filled in by the store.
    var summary: ImportSummary
    /// Indicator definitions to keep for reading ADX (those of an accepted JSON return not stored yet).
    var definitions: [ReturnIndicator] = []
    /// The rows of an accepted return, written with it; nil for one not accepted.
    var rows: ReturnRows? = nil
}

/// What the store made of a pending submission.
enum StoredSubmission: Sendable {
    /// Stored as a new submission (with its version, when it has a period).
    case stored(ImportSummary, json: String)
    /// The same bytes were already stored for the site and period: that version's summary.
    case duplicate(ImportSummary)
}

extension IntakeStore {
    /// Stores `pending` and its summary in one transaction, or answers the earlier version
    /// with the same bytes for the same site and period.
    ///
    /// The version is the largest for the site and period plus one, read and written in the
    /// same transaction; the UNIQUE constraints make a second writer that raced it (another
    /// server on the same database) fail rather than duplicate or skip a number, and the
    /// whole transaction is then tried again.
    func store(_ pending: PendingSubmission) async throws(IntakeStoreError) -> StoredSubmission {
        let operation = "store submission \(pending.id)"
        // The summary is written without its version, which the row's column holds: so it is
        // encoded before the transaction, and the write lock is held for the insert alone.
        var summary = pending.summary
        summary.submission = pending.id
        summary.version = nil
        summary.duplicate = false
        let json = summary.jsonText, definitions: [DefinitionRow]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            definitions = try pending.definitions.map { definition in
                DefinitionRow(indicator: definition.id, version: definition.definitionVersion,
                              json: String(decoding: try encoder.encode(definition), as: UTF8.self))
            }
        } catch {
            throw IntakeStoreError(.other, path: path, operation: operation, "its indicator definitions cannot be written as JSON (\(error))")
        }
        let outcome: StoredRow
        do {
            outcome = try await backend.store(pending, summaryJSON: json, definitions: definitions)
            recordWrite(nil)
        } catch {
            recordWrite(error)
            throw error
        }
        switch outcome {
        case .stored(let version):
            summary.version = version
            // The answer is the stored text with its version: the values need not be written twice.
            return .stored(summary, json: version.map { ImportSummary.addingVersion($0, to: json) } ?? json)
        case .duplicate(let row):
            var answer = try storedSummary(row)
            answer.duplicate = true
            return .duplicate(answer)
        }
    }

    /// Every stored submission, every version, accepted or not, oldest first; narrowed to a
    /// site and a period when given.
    public func submissions(site: String?, period: String?) async throws(IntakeStoreError) -> [SubmissionRecord] {
        var records: [SubmissionRecord] = []
        for row in try await backend.submissions(site: site, period: period) {
            records.append(try record(row))
        }
        return records
    }

    /// The bytes of submission `id` exactly as received, or nil when there is no such submission.
    public func body(ofSubmission id: String) async throws(IntakeStoreError) -> [UInt8]? {
        try await backend.body(ofSubmission: id)
    }

    /// The submission record with `id`, or nil.
    public func submission(id: String) async throws(IntakeStoreError) -> SubmissionRecord? {
        guard let row = try await backend.submission(id: id) else { return nil }
        return try record(row)
    }

    /// For each site, the latest accepted version for `period` and its bytes as received, in
    /// site order. The aggregate, status and history read the rows kept beside them instead
    /// (``countingReturns(period:allMeasures:)``), never these bytes.
    public func countingReturns(period: String) async throws(IntakeStoreError) -> [(record: SubmissionRecord, bytes: [UInt8])] {
        var returns: [(record: SubmissionRecord, bytes: [UInt8])] = []
        for (row, bytes) in try await backend.countingReturns(period: period) {
            returns.append((record: try record(row), bytes: bytes))
        }
        return returns
    }

    // MARK: Rows

    private func record(_ row: SubmissionRow) throws(IntakeStoreError) -> SubmissionRecord {
        SubmissionRecord(
            id: row.id, site: row.site, period: row.period, version: row.version,
            format: SubmissionFormat(rawValue: row.format) ?? .json, digest: row.digest, size: row.size,
            receivedAt: row.receivedAt, status: ImportStatus(rawValue: row.status) ?? .rejected, late: row.late,
            counts: row.counts, summary: try storedSummary(row))
    }

    /// The summary of a row: the stored JSON with the submission id and version the columns hold.
    private func storedSummary(_ row: SubmissionRow) throws(IntakeStoreError) -> ImportSummary {
        do {
            var summary = try JSONDecoder().decode(ImportSummary.self, from: Data(row.summary.utf8))
            summary.submission = row.id
            summary.version = row.version
            return summary
        } catch {
            throw IntakeStoreError(.corrupt, path: path, operation: "read submission \(row.id)",
                                   "its stored summary cannot be read; the database was changed outside pioneer")
        }
    }
}
