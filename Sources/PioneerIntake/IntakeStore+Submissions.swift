// Submissions: each stored with its bytes and summary in one transaction, numbered per site
// and period without gaps, answered once per distinct bytes; and read back every way the
// service needs (every version, the bytes, the versions that count).
internal import GRDB
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
}

/// What the store made of a pending submission.
enum StoredSubmission: Sendable {
    /// Stored as a new submission (with its version, when it has a period).
    case stored(ImportSummary)
    /// The same bytes were already stored for the site and period: that version's summary.
    case duplicate(ImportSummary)
}

extension IntakeStore {
    /// The statuses whose versions can count.
    static let countingStatuses = "('accepted', 'accepted-with-warnings')"

    /// Stores `pending` and its summary in one transaction, or answers the earlier version
    /// with the same bytes for the same site and period.
    ///
    /// The transaction is IMMEDIATE: SQLite takes the write lock at BEGIN, so the latest
    /// version it reads cannot be overtaken by another process before the insert.
    ///
    /// The version is the largest for the site and period plus one, read and written in
    /// the same transaction; the UNIQUE constraints make a second writer that raced it
    /// (another server on the same database) fail rather than duplicate or skip a number,
    /// and the whole transaction is then tried again.
    func store(_ pending: PendingSubmission) async throws(IntakeStoreError) -> StoredSubmission {
        let operation = "store submission \(pending.id)"
        // The summary is written without its version, which the row's column holds: so it is
        // encoded before the transaction, and the write lock is held for the insert alone.
        var stored = pending.summary
        stored.submission = pending.id
        stored.version = nil
        stored.duplicate = false
        let json = stored.jsonText
        let body = Data(pending.bytes), summary = stored
        let attempts = 5
        for attempt in 1...attempts {
            do {
                return try await pool.writeWithoutTransaction { db in
                    var result: StoredSubmission?
                    try db.inTransaction(.immediate) {
                        result = try Self.insert(pending, summary: summary, json: json, body: body, db)
                        return .commit
                    }
                    guard let result else { throw IntakeStoreError(.other, path: "", operation: "", "the transaction gave no result") }
                    return result
                }
            } catch let error as DatabaseError where attempt < attempts
                && [.SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY].contains(error.extendedResultCode) {
                continue
            } catch {
                throw IntakeStoreError.from(error, path: path, operation: operation)
            }
        }
        throw IntakeStoreError(.busy, path: path, operation: operation,
                               "other writers took the next version \(attempts) times running; try again")
    }

    private static func insert(_ pending: PendingSubmission, summary: ImportSummary, json: String, body: Data,
                               _ db: Database) throws -> StoredSubmission {
        var summary = summary
        if let site = pending.site, let period = pending.period {
            if let earlier = try Row.fetchOne(
                db, sql: "SELECT id, version, summary FROM submission WHERE site = ? AND period = ? AND digest = ?",
                arguments: [site, period, pending.digest]) {
                var answer = try storedSummary(earlier)
                answer.duplicate = true
                return .duplicate(answer)
            }
            let latest = try Int.fetchOne(
                db, sql: "SELECT MAX(version) FROM submission WHERE site = ? AND period = ?", arguments: [site, period])
            summary.version = (latest ?? 0) + 1
        }
        try insertDefinitions(pending.definitions, db)
        try db.execute(
            sql: """
                INSERT INTO submission (id, site, period, version, format, digest, size, received_at, status, late, summary, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [pending.id, pending.site, summary.version == nil ? nil : pending.period, summary.version,
                        pending.format.rawValue, pending.digest, pending.bytes.count, pending.receivedAt,
                        summary.status.rawValue, summary.late, json, body])
        return .stored(summary)
    }

    /// Every stored submission, every version, accepted or not, oldest first; narrowed to a
    /// site and a period when given.
    public func submissions(site: String?, period: String?) async throws(IntakeStoreError) -> [SubmissionRecord] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let site {
            conditions.append("s.site = ?")
            arguments.append(site)
        }
        if let period {
            conditions.append("s.period = ?")
            arguments.append(period)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "\(Self.recordColumns) FROM submission s \(filter) ORDER BY s.received_at, s.site, s.period, s.version, s.id"
        let values = arguments
        return try await read("list submissions") { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map(Self.record)
        }
    }

    /// The bytes of submission `id` exactly as received, or nil when there is no such submission.
    public func body(ofSubmission id: String) async throws(IntakeStoreError) -> [UInt8]? {
        try await read("read submission \(id)") { db in
            try Data.fetchOne(db, sql: "SELECT body FROM submission WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }

    /// The submission record with `id`, or nil.
    public func submission(id: String) async throws(IntakeStoreError) -> SubmissionRecord? {
        try await read("read submission \(id)") { db in
            try Row.fetchOne(db, sql: "\(Self.recordColumns) FROM submission s WHERE s.id = ?", arguments: [id]).map(Self.record)
        }
    }

    /// For each site, the latest accepted version for `period` and its bytes: what the
    /// aggregate and the status are made from. In site order.
    public func countingReturns(period: String) async throws(IntakeStoreError) -> [(record: SubmissionRecord, bytes: [UInt8])] {
        let sql = """
            \(Self.recordColumns), s.body FROM submission s
            WHERE s.period = ? AND s.status IN \(Self.countingStatuses)
              AND s.version = (SELECT MAX(c.version) FROM submission c
                               WHERE c.site = s.site AND c.period = s.period AND c.status IN \(Self.countingStatuses))
            ORDER BY s.site
            """
        let rows = try await read("read the returns that count for \(period)") { db in
            try Row.fetchAll(db, sql: sql, arguments: [period]).map { row in
                (record: try Self.record(row), bytes: [UInt8]((row["body"] as Data?) ?? Data()))
            }
        }
        return rows
    }

    /// How many versions each site has stored for `period`, accepted or not.
    func versionCounts(period: String) async throws(IntakeStoreError) -> [String: Int] {
        try await read("count the versions for \(period)") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT site, COUNT(*) AS n FROM submission WHERE period = ? GROUP BY site",
                                        arguments: [period]) {
                if let site: String = row["site"] { counts[site] = row["n"] }
            }
            return counts
        }
    }

    // MARK: Rows

    /// The columns of a record; `counts` is worked out in the query, so no stored flag can go stale.
    private static let recordColumns = """
        SELECT s.id, s.site, s.period, s.version, s.format, s.digest, s.size, s.received_at, s.status, s.late, s.summary,
               CASE WHEN s.status IN \(countingStatuses)
                         AND s.version = (SELECT MAX(c.version) FROM submission c
                                          WHERE c.site = s.site AND c.period = s.period AND c.status IN \(countingStatuses))
                    THEN 1 ELSE 0 END AS counts
        """

    private static func record(_ row: Row) throws -> SubmissionRecord {
        let id: String = row["id"]
        let format: String = row["format"]
        let status: String = row["status"]
        let counts: Int = row["counts"]
        return SubmissionRecord(
            id: id, site: row["site"], period: row["period"], version: row["version"],
            format: SubmissionFormat(rawValue: format) ?? .json, digest: row["digest"], size: row["size"],
            receivedAt: row["received_at"], status: ImportStatus(rawValue: status) ?? .rejected, late: row["late"],
            counts: counts == 1, summary: try storedSummary(row))
    }

    /// The summary of a row (with `id`, `version` and `summary` columns): the stored JSON with
    /// the submission id and version the columns hold.
    private static func storedSummary(_ row: Row) throws -> ImportSummary {
        let id: String = row["id"]
        let json: String = row["summary"]
        do {
            var summary = try JSONDecoder().decode(ImportSummary.self, from: Data(json.utf8))
            summary.submission = id
            summary.version = row["version"]
            return summary
        } catch {
            throw IntakeStoreError(.corrupt, path: "", operation: "",
                                   "the stored summary of submission \(id) cannot be read; the database was changed outside pioneer")
        }
    }
}
