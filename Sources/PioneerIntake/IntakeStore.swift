// The intake database: every submission as received, with the import summary it was
// answered with, and the tokens sites and the office hold (as SHA-256 hashes only). One
// API over two databases: a SQLite file (the default for one office and for tests) or
// PostgreSQL (several servers on one database, issue 14).
public import Foundation
import Synchronization

/// The store the intake service and its commands use, on SQLite or PostgreSQL.
///
/// Versions, idempotency and tokens rest on the database's constraints and transactions,
/// never on a lock in this process, so several servers on one database agree.
///
/// ```swift
/// let store = try await IntakeStore.open("postgres://pioneer@db.example:5432/intake")
/// let (token, record) = try await store.createToken(role: .site, site: "torbay")
/// let caller = try await store.caller(forToken: token)   // Caller(tokenID: record.id, role: .site, site: "torbay")
/// await store.close()
/// ```
public final class IntakeStore: Sendable {
    /// The database: a SQLite file's path, or a PostgreSQL URL without its password.
    public let path: String
    let backend: any IntakeStoreBackend
    /// The last submission the database failed to store, until one is stored again.
    let lastWriteFailure = Mutex<WriteFailure?>(nil)

    /// A submission the database could not store: when, and why.
    public struct WriteFailure: Sendable {
        public var at: Date
        public var error: IntakeStoreError
    }

    /// How long a failed write keeps `/health` failing when no write succeeds after it: a
    /// monitor sees it, and a load balancer that stops sending work here is not left to
    /// wait for a success that can no longer come.
    public static let writeFailureWindow: TimeInterval = 60

    /// Which database a store is on.
    public enum Kind: String, Sendable, CaseIterable {
        case sqlite
        case postgres
    }

    public var kind: Kind { backend is SQLiteIntakeBackend ? .sqlite : .postgres }

    /// Opens the SQLite store at `path`, creating the file and its folder when absent and
    /// bringing its schema up to date.
    ///
    /// - Throws: ``IntakeStoreError`` naming the path when the folder cannot be created or
    ///   written, the file is not a SQLite database, or it was written by a newer pioneer.
    public convenience init(path: String) throws(IntakeStoreError) {
        self.init(backend: try SQLiteIntakeBackend(path: path))
    }

    init(backend: any IntakeStoreBackend) {
        self.backend = backend
        self.path = backend.location
    }

    /// Whether `database` (a `--db` value) names PostgreSQL rather than a SQLite file.
    public static func isPostgres(_ database: String) -> Bool {
        database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
    }

    /// `database` (a `--db` value) as shown to people: a PostgreSQL URL without its password.
    public static func display(_ database: String) -> String {
        isPostgres(database) ? PostgresLocation.redacted(database) : database
    }

    /// How long a PostgreSQL operation waits for the database unless told otherwise: 10 s.
    public static let defaultDatabaseTimeout: Duration = PostgresIntakeBackend.defaultOperationTimeout

    /// Opens the store `database` names: a `postgres://USER@HOST:PORT/DB?sslmode=…` URL, or
    /// a SQLite file path. A PostgreSQL password comes from the URL (`${VAR}` is read from
    /// `environment`, the process's when nil), else from `PGPASSWORD`.
    ///
    /// - Throws: ``IntakeStoreError`` naming the database when the URL is malformed, the
    ///   server cannot be reached or refuses the login, or the schema is newer than this pioneer.
    ///
    /// `databaseTimeout` is how long a PostgreSQL operation may wait for the database (a
    /// connection, a lock, a reply) before it fails as unavailable; ``defaultDatabaseTimeout``
    /// (10 s) unless given.
    public static func open(_ database: String, environment: [String: String]? = nil,
                            databaseTimeout: Duration? = nil) async throws(IntakeStoreError) -> IntakeStore {
        guard isPostgres(database) else { return try IntakeStore(path: database) }
        let location = try PostgresLocation(url: database, environment: environment ?? ProcessInfo.processInfo.environment)
        return IntakeStore(backend: try await PostgresIntakeBackend.open(
            location, operationTimeout: databaseTimeout ?? PostgresIntakeBackend.defaultOperationTimeout))
    }

    /// Releases the database connections; the store is not used afterwards. Nothing to do for SQLite.
    public func close() async {
        await backend.close()
    }

    /// Whether the database answers a query: what `/health` asks.
    public func ping() async throws(IntakeStoreError) {
        try await backend.ping()
    }

    /// What `/health` reports: the database must answer a query (or this throws), and the
    /// last attempt to store a submission must not have failed within ``writeFailureWindow``
    /// of `now` with nothing stored since (or this returns that failure).
    ///
    /// A database that can be read but not written (a full disk, a file made read-only) thus
    /// fails its health check once a submission has found it out, not only when it stops answering.
    public func health(now: Date = Date()) async throws(IntakeStoreError) -> WriteFailure? {
        try await backend.ping()
        guard let failure = lastWriteFailure.withLock({ $0 }),
              now.timeIntervalSince(failure.at) < Self.writeFailureWindow else { return nil }
        return failure
    }

    /// Records the outcome of an attempt to store a submission, for ``health(now:)``. A busy
    /// database, an unknown id or a refused argument says nothing about whether it can be written.
    func recordWrite(_ error: IntakeStoreError?, at date: Date = Date()) {
        if let error, [.busy, .notFound, .invalidArgument].contains(error.kind) { return }
        lastWriteFailure.withLock { $0 = error.map { WriteFailure(at: date, error: $0) } }
    }

    /// The applied schema migrations, oldest first.
    public func schemaVersions() async throws(IntakeStoreError) -> [String] {
        try await backend.schemaVersions()
    }

    /// Runs SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, else the problems found.
    ///
    /// - Throws: ``IntakeStoreError`` with kind `invalidArgument` on PostgreSQL, which checks
    ///   its own pages (`pg_amcheck`).
    public func integrityCheck() async throws(IntakeStoreError) -> [String] {
        guard let sqlite = backend as? SQLiteIntakeBackend else {
            throw IntakeStoreError(.invalidArgument, path: path, operation: "check the database",
                                   "integrity_check is SQLite's; check a PostgreSQL database with pg_amcheck")
        }
        return try await sqlite.integrityCheck()
    }

    /// Copies the SQLite database to `destination` while servers keep writing to it: SQLite's
    /// online backup, a consistent snapshot that opens as a store of its own.
    ///
    /// - Throws: ``IntakeStoreError`` when `destination` exists or cannot be written, or
    ///   with kind `invalidArgument` on PostgreSQL (back it up with pg_dump).
    /// - Returns: how many submissions the copy holds (the servers may store more meanwhile).
    @discardableResult
    public func backup(to destination: String) throws(IntakeStoreError) -> Int {
        guard let sqlite = backend as? SQLiteIntakeBackend else {
            throw IntakeStoreError(.invalidArgument, path: path, operation: "back up the database",
                                   "this is a PostgreSQL database; back it up with pg_dump (docs/deployment.md)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw IntakeStoreError(.invalidArgument, path: path, operation: "back up the database",
                                   "\(destination) already exists; give a new file, so no earlier backup is overwritten")
        }
        return try sqlite.backup(to: destination)
    }
}
