// A database that cannot be used says which file and what to do: an unwritable folder, a
// file that is not a database, another program's database, a folder given as the file.
import Foundation
import GRDB
import PioneerIntake
import PioneerTesting
import Testing

@Suite("Intake store errors")
struct IntakeStoreErrorTests {
    @Test func aFolderThatCannotBeCreatedIsNamed() throws {
        // /proc refuses new entries even to root, so this holds whoever runs the tests.
        let path = "/proc/pioneer-intake-\(UUID().uuidString)/intake.sqlite"
        let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: path) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description.hasPrefix("intake store \(path): cannot open the database: cannot create the folder /proc/pioneer-intake-") == true,
                "\(error?.description ?? "")")
    }

    @Test func aFolderThatCannotBeWrittenIsNamed() throws {
        let path = "/proc/pioneer-intake-\(UUID().uuidString).sqlite"
        let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: path) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description == "intake store \(path): cannot open the database: the file cannot be opened; check that its folder exists and is writable")
    }

    @Test func aFileThatIsNotADatabaseIsNamed() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: path) }
            #expect(error?.kind == .notADatabase)
            #expect(error?.description == "intake store \(path): cannot open the database: the file is not a SQLite database; move it aside or pass another file with --db")
        }
    }

    @Test func anotherProgramsDatabaseIsRefusedNotChanged() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("store.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE measure (id INTEGER PRIMARY KEY)") }
            try queue.close()
            let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: path) }
            #expect(error?.description == "intake store \(path): cannot open the database: it is a SQLite database but not an intake store (it holds measure); pass another file with --db")
            let tables = try DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            #expect(tables == ["measure"])
        }
    }

    @Test func aFolderGivenAsTheDatabaseIsNamed() throws {
        try withTemporaryFolder { folder in
            let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: folder.path) }
            #expect(error?.description == "intake store \(folder.path): cannot open the database: it is a folder; give a database file such as intake.sqlite")
        }
    }

    @Test func aStoreIsCreatedWithItsFolderAndMigratedOnce() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("new/sub/intake.sqlite").path
            let store = try IntakeStore(path: path)
            #expect(try await store.schemaVersions() == ["intake-v1", "intake-v2-return-rows", "intake-v3-speed", "intake-v4-text"])
            let again = try IntakeStore(path: path)
            #expect(try await again.schemaVersions() == ["intake-v1", "intake-v2-return-rows", "intake-v3-speed", "intake-v4-text"])
            #expect(try await again.integrityCheck() == ["ok"])
        }
    }

    @Test func aDatabaseFromANewerPioneerIsRefused() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            _ = try IntakeStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('intake-v9')") }
            try queue.close()
            let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: path) }
            #expect(error?.kind == .newerVersion)
            #expect(error?.description == "intake store \(path): cannot open the database: it was written by a newer version of pioneer "
                + "(its schema has a step intake-v9 this version does not know); upgrade pioneer to use it")
        }
    }

    /// Found by a tester: one flipped byte in a step's name read as "a site's measure store",
    /// and damaged pages as "written by a newer version of pioneer … upgrade pioneer".
    @Test func aDamagedDatabaseIsSaidToBeDamagedNotNewerNorAMeasureStore() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            _ = try IntakeStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "UPDATE grdb_migrations SET identifier = 'inta;e-v3-speed' WHERE identifier = 'intake-v3-speed'") }
            try queue.close()
            let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: path) }
            #expect(error?.kind == .corrupt)
            #expect(error?.description == "intake store \(path): cannot open the database: its schema records steps that neither pioneer's intake "
                + "database nor any other pioneer file has (`inta;e-v3-speed`): the file is damaged, or not pioneer's; restore it from a backup "
                + "(`pioneer serve backup` makes them)")
        }
    }

    @Test func aMeasureStoreGivenForTheIntakeDatabaseIsNamedAsOne() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("torbay.sqlite").path
            // A measure store's schema steps, as GRDB records them (the store module is not this suite's).
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1'), ('feed-cache-body-files')")
                try db.execute(sql: "CREATE TABLE measure (id INTEGER PRIMARY KEY)")
            }
            try queue.close()
            let error = #expect(throws: IntakeStoreError.self) { try IntakeStore(path: path) }
            #expect(error?.description == "intake store \(path): cannot open the database: it is a site's measure store (written by `pioneer collect`), not an intake database; pass another file with --db")
        }
    }

    @Test func theSchemasConstraintsRefuseASecondVersionWithTheSameNumber() async throws {
        try await withIntakeStore { store, path in
            _ = try await IntakeService(store: store, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
                .submit(try IntakeFixture.bytes("a"), format: .json, caller: IntakeFixture.office)
            // Whatever writes the table (another server, on PostgreSQL later), the database itself refuses a gap-filling copy.
            let queue = try DatabaseQueue(path: path)
            #expect(throws: DatabaseError.self) {
                try queue.write { db in
                    try db.execute(sql: """
                        INSERT INTO submission (id, site, period, version, format, digest, size, received_at, status, late, summary, body)
                        VALUES ('x', 'a', '2026-03', 1, 'json', 'sha256:00', 0, '2026-04-10T09:00:00.000Z', 'accepted', 0, '{}', X'')
                        """)
                }
            }
            try queue.close()
        }
    }
}

@Suite("Intake store file permissions")
struct IntakeStorePermissionTests {
    private static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aNewDatabaseItsLogAndItsBackupAreReadableByTheirOwnerOnly() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            let store = try IntakeStore(path: path)
            #expect(try Self.mode(path) == 0o600)
            #expect(try Self.mode(path + "-wal") == 0o600)
            let backup = folder.appendingPathComponent("backup.sqlite").path
            _ = try store.backup(to: backup)
            #expect(try Self.mode(backup) == 0o600)
        }
    }
}
