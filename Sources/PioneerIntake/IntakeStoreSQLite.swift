// The intake store on SQLite through GRDB: the embedded default for one office and for the
// tests. Opening, migrating, error translation and the online backup; the SQL of
// submissions, tokens and definitions is in the extensions beside it.
internal import GRDB
import Foundation
import PioneerKit

/// The intake store on SQLite: one file, safe for many concurrent callers and for several
/// processes on one file.
///
/// The file is opened in WAL mode through a `DatabasePool`: readers never wait for the
/// writer, and a writer from another process waits (up to the busy timeout) rather than
/// failing. Versions and idempotency rest on the schema's UNIQUE constraints inside one
/// transaction, never on a lock in this process, so they hold across processes too.
final class SQLiteIntakeBackend: IntakeStoreBackend {
    /// The database file.
    let path: String
    var location: String { path }
    let pool: DatabasePool
    /// Copies the write-ahead log into the file; nil when it could not start.
    private let checkpointer: WALCheckpointer?

    /// How long a writer waits for another process's transaction before giving up.
    static let busyTimeout: TimeInterval = 10

    /// Opens the store at `path`, creating the file and its folder when absent and bringing
    /// its schema up to date.
    ///
    /// - Throws: ``IntakeStoreError`` naming the path when the folder cannot be created or
    ///   written, the file is not a SQLite database, or it was written by a newer pioneer.
    init(path: String) throws(IntakeStoreError) {
        self.path = path
        let opening = "open the database"
        guard !path.isEmpty else {
            throw IntakeStoreError(.cannotOpen, path: "", operation: opening, "no file given; --db needs a path")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw IntakeStoreError(.cannotOpen, path: path, operation: opening, "it is a folder; give a database file such as intake.sqlite")
        }
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw IntakeStoreError(.cannotOpen, path: path, operation: opening, "\(folder.path) is a file, not a folder")
            }
        } else {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw IntakeStoreError(.cannotOpen, path: path, operation: opening,
                                       "cannot create the folder \(folder.path): \(Self.reason(error))")
            }
        }

        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "pioneer.intake"
        // In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a killed
        // process loses no committed submission and the file stays consistent.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // Two servers opening a new file at once race to create it: the loser may get
        // SQLITE_BUSY where SQLite cannot wait (switching to WAL), or fail its CREATE TABLE
        // after the winner commits. Each migration commits with its record, so opening
        // again finds that migration done. A race is lost at most once a migration (the
        // winner has committed it), so a plain SQL error is retried that many times, no more:
        // one retry in all let the loser of the first migration's race fail at the third's.
        // A migration whose statements can run twice loses its race at the record instead:
        // `UNIQUE constraint failed: grdb_migrations.identifier`, retried the same way.
        // The submissions are the programme's figures: the file (and its -wal and -shm, which take
        // its permissions) is its owner's alone, whatever the umask.
        Self.createOwnerOnly(path)
        let deadline = ContinuousClock.now + .seconds(Self.busyTimeout)
        var sqlErrorsLeft = IntakeSchema.migrator.migrations.count
        while true {
            do {
                pool = try Self.openAndMigrate(path: path, configuration: configuration)
                break
            } catch let error as DatabaseError where ContinuousClock.now < deadline
                && ([.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode)
                    || (error.isLostMigrationRace && sqlErrorsLeft > 0)) {
                if error.isLostMigrationRace { sqlErrorsLeft -= 1 }
                Thread.sleep(forTimeInterval: 0.02)
            } catch {
                throw IntakeStoreError.from(error, path: path, operation: opening)
            }
        }
        // Most of the log is copied into the file by a thread of its own (see WALCheckpointer).
        checkpointer = WALCheckpointer(path: path)
    }

    deinit { checkpointer?.stop() }

    /// Creates the database file, empty, readable and writable by its owner only, unless it
    /// exists (SQLite would create it under the umask, usually readable by every user). An empty
    /// file is an empty database to SQLite; any other failure is left for SQLite to report.
    static func createOwnerOnly(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 { try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).close() }
    }

    private static func openAndMigrate(path: String, configuration: Configuration) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration)
        let migrator = IntakeSchema.migrator
        let unknown = try pool.read { db in
            try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        }
        guard unknown.isEmpty else {
            // Steps it does not know may be bytes damaged in place: a damaged file is said to be
            // damaged, not taken for a measure store or a newer pioneer's.
            if let damage = Self.damage(pool) { throw damage(path) }
            // A measure store is known by its tables; a newer pioneer's steps by their names.
            let tables = try pool.read { db in
                try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            }
            if tables.contains("measure") {
                throw IntakeStoreError(.notADatabase, path: path, operation: "open the database",
                    "it is a site's measure store (written by `pioneer collect`), not an intake database; pass another file with --db")
            }
            let wellFormed = unknown.allSatisfy { step in
                step.hasPrefix("intake-") && step.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            }
            guard wellFormed else {
                // `int;ke-v1`: one flipped byte in a step's name, where the pages themselves are sound.
                throw IntakeStoreError(.corrupt, path: path, operation: "open the database",
                    "its schema records steps that neither pioneer's intake database nor any other pioneer file has "
                    + "(\(unknown.sorted().map { "`\($0.escapingControlCharacters())`" }.joined(separator: ", "))): the file is damaged, "
                    + "or not pioneer's; restore it from a backup (`pioneer serve backup` makes them)")
            }
            throw IntakeStoreError(.newerVersion, path: path, operation: "open the database",
                IntakeSchema.newerSchemaMessage(unknown.sorted()))
        }
        // A file holding another program's tables (a measure store passed by mistake) is refused
        // rather than given intake tables beside them.
        let foreign = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        }.filter { !(["grdb_migrations"] + IntakeSchema.tables).contains($0) }
        guard foreign.isEmpty else {
            if let damage = Self.damage(pool) { throw damage(path) }
            throw IntakeStoreError(.notADatabase, path: path, operation: "open the database",
                "it is a SQLite database but not an intake store (it holds \(foreign.sorted().prefix(3).joined(separator: ", "))); pass another file with --db")
        }
        try migrator.migrate(pool)
        return pool
    }

    /// The error for a file SQLite's quick check finds damaged, or nil when it finds none.
    private static func damage(_ pool: DatabasePool) -> ((String) -> IntakeStoreError)? {
        let found = (try? pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(3)") }) ?? ["the check itself failed"]
        guard found != ["ok"] else { return nil }
        // Its lines, without the heading it gives them ("*** in database main ***").
        let problems = found.flatMap { $0.split(separator: "\n").map(String.init) }.filter { !$0.hasPrefix("***") }.prefix(3)
        return { path in
            IntakeStoreError(.corrupt, path: path, operation: "open the database",
                             "the file is damaged (SQLite's check found: \(problems.joined(separator: "; ").escapingControlCharacters())); "
                             + "restore it from a backup (`pioneer serve backup` makes them)")
        }
    }

    /// Runs SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, else the problems found.
    func integrityCheck() async throws(IntakeStoreError) -> [String] {
        try await read("check the database") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The applied schema migrations, oldest first.
    func schemaVersions() async throws(IntakeStoreError) -> [String] {
        try await read("read the schema version") { db in try IntakeSchema.migrator.appliedMigrations(db) }
    }

    /// Stops the log's checkpoints after a last one; the connections close with the store.
    func close() async {
        checkpointer?.stop()
    }

    /// Copies the whole database to `destination` while it stays open for writing: SQLite's
    /// online backup API through GRDB, which copies a consistent snapshot.
    /// Copies the database to `destination`; returns how many submissions the copy holds.
    func backup(to destination: String) throws(IntakeStoreError) -> Int {
        do {
            Self.createOwnerOnly(destination)
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            let count = try target.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM submission") } ?? 0
            try target.close()
            return count
        } catch {
            throw IntakeStoreError.from(error, path: destination, operation: "write the backup")
        }
    }

    /// Whether the database answers a query: what `/health` asks.
    func ping() async throws(IntakeStoreError) {
        _ = try await read("answer a health check") { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    // MARK: Error translation

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(IntakeStoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw IntakeStoreError.from(error, path: path, operation: operation)
        }
    }

    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(IntakeStoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw IntakeStoreError.from(error, path: path, operation: operation)
        }
    }

    /// Writes off the cooperative threads: the caller awaits the disk rather than blocking one.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(IntakeStoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw IntakeStoreError.from(error, path: path, operation: operation)
        }
    }

    func read<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws(IntakeStoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw IntakeStoreError.from(error, path: path, operation: operation)
        }
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}

extension DatabaseError {
    /// A schema step another process applied first: its CREATE failed (SQLITE_ERROR), or its
    /// statements ran again and its record was already there.
    var isLostMigrationRace: Bool {
        resultCode == .SQLITE_ERROR
            || (resultCode == .SQLITE_CONSTRAINT && (message ?? "").contains("grdb_migrations"))
    }
}
