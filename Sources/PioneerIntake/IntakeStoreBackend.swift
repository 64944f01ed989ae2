// What the intake store asks of a database: the SQL side of submissions, tokens and
// definitions, as plain rows. SQLite (GRDB) and PostgreSQL (postgres-nio) each implement it;
// IntakeStore holds one and keeps everything above the SQL (token hashing, summary JSON,
// definition catalogues) in one place, so both databases behave the same.
import PioneerReturns

/// One database behind ``IntakeStore``.
///
/// Every method throws ``IntakeStoreError`` naming the database and the operation.
/// Versions and idempotency must hold across processes sharing the database: a backend
/// relies on constraints and transactions, never on a lock in its own process.
protocol IntakeStoreBackend: Sendable {
    /// The database as shown to people: a file path, or a PostgreSQL URL without its password.
    var location: String { get }

    /// Whether the database answers a query.
    func ping() async throws(IntakeStoreError)
    /// The applied schema migrations, oldest first.
    func schemaVersions() async throws(IntakeStoreError) -> [String]
    /// Releases the connections (PostgreSQL); nothing for a file.
    func close() async

    // MARK: Submissions

    /// Stores `pending` with its summary (`summaryJSON`, encoded without a version) and the
    /// definitions in one transaction, numbering its version; or answers the stored version
    /// with the same digest for the same site and period.
    func store(_ pending: PendingSubmission, summaryJSON: String, definitions: [DefinitionRow]) async throws(IntakeStoreError) -> StoredRow
    func submissions(site: String?, period: String?) async throws(IntakeStoreError) -> [SubmissionRow]
    func submission(id: String) async throws(IntakeStoreError) -> SubmissionRow?
    func body(ofSubmission id: String) async throws(IntakeStoreError) -> [UInt8]?
    /// The latest counting version of each site for `period`, with its bytes, in site order.
    func countingReturns(period: String) async throws(IntakeStoreError) -> [(row: SubmissionRow, bytes: [UInt8])]

    // MARK: The aggregate's rows (IntakeSQL.countingSites and the queries beside it)

    /// The rows of the returns that count for `period`, every query in one snapshot (one
    /// read transaction), so a version stored meanwhile can never mix with the one named:
    /// the submission that counts for each site, in site order, with its return's facts; the
    /// goals, each site's in its return's order; how many versions each
    /// site has (when `versionCounts`). When some submission counts, `definitions` is given every stored
    /// definition's JSON, and then `each` is given every indicator of those submissions
    /// with a measure (the period's own only, unless `allPeriods`), as the database streams
    /// them, site by site, each site's indicators and their measures in its return's order.
    func countingRows(period: String, allPeriods: Bool, versionCounts: Bool,
                      definitions: @escaping @Sendable ([String]) -> Void,
                      _ each: @escaping @Sendable (MeasureRow) -> Void) async throws(IntakeStoreError) -> CountingRows

    // MARK: Tokens

    /// Inserts a token row; false when `id` is taken.
    func insertToken(_ row: TokenRow) async throws(IntakeStoreError) -> Bool
    func tokens() async throws(IntakeStoreError) -> [TokenRecord]
    /// Sets `revoked_at` when not set yet; the record, or nil when there is no such token.
    func revokeToken(id: String, at time: String) async throws(IntakeStoreError) -> TokenRecord?
    func token(hash: String) async throws(IntakeStoreError) -> TokenRow?

    // MARK: Definitions

    /// Every stored definition's JSON, by indicator and version.
    func definitionTexts() async throws(IntakeStoreError) -> [String]
    /// The (indicator, version) pairs stored for `indicators`.
    func definitionKeys(indicators: [String]) async throws(IntakeStoreError) -> [(indicator: String, version: String)]
}

/// A submission row as read: the columns of `submission` and whether it counts.
struct SubmissionRow: Sendable {
    var id: String
    var site: String?
    var period: String?
    var version: Int?
    var format: String
    var digest: String
    var size: Int
    var receivedAt: String
    var status: String
    var late: Bool
    var summary: String
    var counts: Bool
}

/// What storing a submission did: a new row with its version, or the row already there.
enum StoredRow: Sendable {
    case stored(version: Int?)
    case duplicate(SubmissionRow)
}

/// A token row: the hash, never the token.
struct TokenRow: Sendable {
    var id: String
    var role: String
    var site: String?
    var hash: String
    var createdAt: String
    var revokedAt: String?
}

/// An indicator definition to keep, as JSON.
struct DefinitionRow: Sendable {
    var indicator: String
    var version: String
    var json: String
}

/// What ``IntakeStoreBackend/countingRows(period:allPeriods:versionCounts:definitions:_:)`` reads besides the measures.
struct CountingRows: Sendable {
    var sites: [CountingSiteRow] = []
    var goals: [GoalRow] = []
    var versionCounts: [String: Int] = [:]
}

/// The submission that counts for a site, with its return's facts (nil when it has no rows).
struct CountingSiteRow: Sendable {
    var id: String
    var site: String
    var version: Int
    var format: String
    var receivedAt: String
    var schemaVersion: Int?
    var generatedAt: String?
    var complete: Bool?
}

/// A goal as the aggregate reads it: what `themes` and `confidenceGaps` count.
struct GoalRow: Sendable {
    var site: String
    var goal: String
    var indicator: String
    var title: String
    var status: String?
    var rag: String?
    var confidence: String?
    var agreement: String
}

/// One indicator of a counting return and one of its measures (nil `period`: none).
struct MeasureRow: Sendable {
    var site: String
    var indicatorPosition: Int
    var indicator: String
    var definitionVersion: String
    var period: String?
    var value: Double?
    var numerator: Double?
    var denominator: Double?
    var sampleSize: Int?
    var lower: Double?
    var upper: Double?
    var notAvailable: String?
    var notAvailableDetail: String?
}
