// The SQLite file that keeps every measure a site has collected, with its history,
// the collection runs that produced them, and the cached feed bodies.
internal import GRDB
import Foundation
import Synchronization

/// A site's measures on disk: one SQLite file, by default `<site dir>/.pioneer/store.sqlite`.
///
/// The file is opened in WAL mode, so `pioneer measures` can read while a
/// collection writes: a reader opens it with ``init(readingAt:)``, which takes no lock,
/// runs no migration and never waits for the writer. Each indicator-period is written all-or-nothing (a savepoint),
/// and a collection commits them in batches, so a run that is killed leaves every
/// measure it committed intact and nothing half-written.
///
/// Re-collecting never overwrites silently: an equal observation only marks the
/// current row as confirmed by the new run; a different one becomes current and
/// the old row stays in the history, pointing at its successor.
///
/// ```swift
/// let store = try MeasureStore(path: MeasureStore.defaultPath(siteDirectory: "sites/torbay"))
/// let run = try store.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-06")
/// let outcome = try store.record(measure, site: "torbay", runID: run)
/// ```
public final class MeasureStore: Sendable {
    /// The store file.
    public let path: String
    let pool: DatabasePool

    /// The conventional store of a site: `<site dir>/.pioneer/store.sqlite`.
    ///
    /// A `..` is resolved as the system resolves it, after the links before it (`sites/link/..`
    /// is the folder holding the link's target, where its site.yaml is read from), not by
    /// dropping the name before it, which would put the store in another folder.
    public static func defaultPath(siteDirectory: String) -> String {
        var directory = siteDirectory
        if siteDirectory.split(separator: "/").contains(".."), let resolved = realpath(siteDirectory, nil) {
            directory = String(cString: resolved)
            free(resolved)
        }
        return URL(fileURLWithPath: directory).appendingPathComponent(".pioneer").appendingPathComponent("store.sqlite").path
    }

    /// Opens the store at `path`, creating the file and its folder when absent and
    /// bringing its schema up to date.
    ///
    /// - Throws: ``StoreError`` naming the path when the folder cannot be created, the
    ///   file is not a SQLite database, is locked, is read-only, or was written by a newer pioneer.
    public init(path: String) throws(StoreError) {
        self.path = path
        guard !path.isEmpty else { throw StoreError.emptyPath }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError(.cannotOpen, path: path, "\(folder.path) is a file, not a folder")
            }
        } else {
            do {
                // The store keeps the feeds' recent bodies (a CSV of every admission, under 8 MB,
                // in its rows; larger ones beside it): a folder it makes is its owner's alone.
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError(.cannotOpen, path: path, "cannot create the folder \(folder.path): \(Self.reason(error))")
            }
        }

        Self.createOwnerOnly(path)

        var configuration = Configuration()
        // Another collection may hold the write lock for one short transaction at a time: wait
        // for it up to 10 s, a hundredth of a second at a time, unless the user interrupts
        // (Ctrl-C waited out the whole 10 s).
        configuration.busyMode = .callback { tries in
            guard tries < 1_000, !Self.waitsStopped.load(ordering: .relaxed) else { return false }
            usleep(10_000)
            return true
        }
        configuration.label = "pioneer.store"
        // In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a killed
        // process loses nothing and the file stays consistent; a power cut may lose the
        // last commits, never corrupt the store.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // Two processes opening a new store at once (two scheduled collections, say) race to
        // create it: the loser may get SQLITE_BUSY where SQLite cannot wait (switching to WAL,
        // or upgrading a read to a write), or fail its CREATE TABLE after the winner commits.
        // Each migration commits with its record, so opening again finds the schema complete.
        // A race is lost at most once a migration (the winner has committed it), so a plain SQL
        // error is retried that many times, no more: a file with a schema of its own fails the
        // same way every time. A migration whose statements can run twice loses its race at
        // the record instead (`UNIQUE constraint failed: grdb_migrations.identifier`).
        let deadline = ContinuousClock.now + .seconds(10)
        var sqlErrorsLeft = StoreSchema.migrator.migrations.count
        while true {
            do {
                pool = try Self.openAndMigrate(path: path, configuration: configuration)
                return
            } catch let error as DatabaseError where ContinuousClock.now < deadline
                && !Self.waitsStopped.load(ordering: .relaxed)
                && ([.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode)
                    || (Self.lostMigrationRace(error) && sqlErrorsLeft > 0)) {
                if Self.lostMigrationRace(error) { sqlErrorsLeft -= 1 }
                Thread.sleep(forTimeInterval: 0.02)
            } catch {
                throw StoreError.from(error, path: path)
            }
        }
    }

    /// Creates the store's file, empty, readable and writable by its owner only, unless it exists.
    ///
    /// SQLite would create it under the process's umask, usually readable by every user of the
    /// machine (and its `-wal` and `-shm` files, which take the file's permissions): a store given
    /// with `--store` in a shared folder would let anyone read the cached extracts in it. An empty
    /// file is an empty database to SQLite. Any other failure is left for SQLite to report.
    static func createOwnerOnly(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 { try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).close() }
    }

    /// A schema step another process applied first: its CREATE failed, or its record was there.
    private static func lostMigrationRace(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_ERROR
            || (error.resultCode == .SQLITE_CONSTRAINT && (error.message ?? "").contains("grdb_migrations"))
    }

    /// Opens the pool and brings the schema up to date, refusing a schema from a newer pioneer.
    private static func openAndMigrate(path: String, configuration: Configuration) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration)
        let migrator = StoreSchema.migrator
        let unknown = try pool.read { db in
            try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        }
        if let problem = unknownSchemaProblem(unknown, path: path) { throw problem }
        // A damaged page elsewhere in the file would go unnoticed while a run writes around it,
        // each run reported clean, until a reader trips on it: checked before anything is written.
        let problems = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(1)") }
        if let problem = problems.first, problem != "ok" {
            throw StoreError(.corrupt, path: path,
                "the database is corrupt (\(problem)); restore it from a backup or move it aside")
        }
        try migrator.migrate(pool)
        return pool
    }

    /// Opens the store at `path` for reading only.
    ///
    /// Nothing is created, migrated or locked: in WAL mode a reader sees the last committed
    /// state while a collection holds its write transaction, and does not wait for it.
    /// A store whose schema is not exactly this pioneer's is refused, because only a
    /// writer may bring it up to date.
    ///
    /// - Throws: ``StoreError`` naming the path when the file does not exist, is not a
    ///   SQLite database, holds no measure store, or has a schema older or newer than this pioneer's.
    public init(readingAt path: String) throws(StoreError) {
        self.path = path
        guard !path.isEmpty else { throw StoreError.emptyPath }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError(.notFound, path: path,
                "the file does not exist, so nothing has been collected into it yet; run `pioneer collect` first")
        }
        guard !isDirectory.boolValue else {
            throw StoreError(.cannotOpen, path: path, "is a folder; give the store file (usually <site dir>/.pioneer/store.sqlite)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "pioneer.store.reader"
        do {
            let opened = try DatabasePool(path: path, configuration: configuration)
            try opened.read { db in try Self.checkCurrentSchema(db, path: path) }
            pool = opened
        } catch {
            // A reader that may read the file but not write its folder (a manager given read
            // access to a shared store) cannot make the write-ahead log's index beside it: it
            // reads the file as it stands, unchanged (SQLite's `immutable`), when no log is left.
            guard let opened = Self.openImmutable(path, configuration: configuration) else {
                throw StoreError.from(error, path: path)
            }
            pool = opened
        }
    }

    /// The store at `path` opened as an immutable file, when its folder cannot be written and
    /// no write-ahead log waits beside it (whose changes an immutable reading would miss); nil otherwise.
    private static func openImmutable(_ path: String, configuration: Configuration) -> DatabasePool? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard !FileManager.default.isWritableFile(atPath: folder), FileManager.default.isReadableFile(atPath: path),
              ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue ?? 0) == 0,
              let encoded = URL(fileURLWithPath: path).path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) else {
            return nil
        }
        guard let pool = try? DatabasePool(path: "file:" + encoded + "?immutable=1", configuration: configuration),
              (try? pool.read({ db in try Self.checkCurrentSchema(db, path: path) })) != nil else {
            return nil
        }
        return pool
    }

    /// Refuses a schema that differs from this pioneer's: none, older or newer.
    private static func checkCurrentSchema(_ db: Database, path: String) throws(StoreError) {
        let migrator = StoreSchema.migrator
        let applied: Set<String>
        do {
            applied = try migrator.appliedIdentifiers(db)
        } catch {
            throw StoreError.from(error, path: path)
        }
        if let problem = schemaProblem(applied: applied, known: migrator.migrations, path: path) { throw problem }
    }

    /// Why a file whose schema has steps this pioneer does not know cannot be used: an intake
    /// database given for a store, or a store from a newer pioneer. Nil when there are none.
    static func unknownSchemaProblem(_ unknown: Set<String>, path: String) -> StoreError? {
        guard !unknown.isEmpty else { return nil }
        if unknown.allSatisfy({ $0.hasPrefix("intake-") }) {
            return StoreError(.notAStore, path: path,
                "the file is the national intake service's database (`pioneer serve --db`), not a measure store; give the site's store, written by `pioneer collect`")
        }
        return StoreError(.newerVersion, path: path,
            "the store was written by a newer version of pioneer; upgrade pioneer to read it")
    }

    /// Why a reader cannot use a store whose applied migrations are `applied`, when this
    /// pioneer knows `known` (in order); nil when they match.
    static func schemaProblem(applied: Set<String>, known: [String], path: String) -> StoreError? {
        if let problem = unknownSchemaProblem(applied.subtracting(known), path: path) { return problem }
        guard !applied.isEmpty else {
            return StoreError(.notAStore, path: path,
                "the file is a SQLite database but holds no pioneer measure store (no schema); was it written by `pioneer collect`?")
        }
        let missing = known.filter { !applied.contains($0) && !StoreSchema.notNeededByReaders.contains($0) }
        guard missing.isEmpty else {
            return StoreError(.olderVersion, path: path,
                "the store was made by an older pioneer and has not been brought up to date; run `pioneer collect` once to do it, then read it")
        }
        return nil
    }

    /// Closes the store's connections now, as releasing the last reference to it would: SQLite
    /// copies the write-ahead log into the file and syncs it to disk.
    ///
    /// A caller with many stores closes them at once rather than one after another as they are
    /// released, each waiting for the disk in turn. The store must not be used afterwards. One
    /// that cannot close now (a read still under way) closes when it is released.
    public func close() {
        try? pool.close()
    }

    /// Runs SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, else the problems found.
    public func integrityCheck() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The applied schema migrations, oldest first.
    public func schemaVersions() throws(StoreError) -> [String] {
        try read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    // MARK: Error translation

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}

extension MeasureStore {
    /// Set once the user interrupts: a wait for another process's lock gives up at once.
    static let waitsStopped = Atomic<Bool>(false)

    /// Makes every wait for a lock held by another process give up (Ctrl-C): the store then
    /// reports it locked, and the run stops as interrupted rather than after 10 s.
    public static func stopWaiting() {
        waitsStopped.store(true, ordering: .relaxed)
    }
}
