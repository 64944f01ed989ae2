// Backups and restores of the intake database, as docs/deployment.md gives them: SQLite's
// online copy (`pioneer serve backup`) taken while the server writes, and PostgreSQL's
// pg_dump and pg_restore. Each restore is served again and holds every version, byte for byte.
import Foundation
import PioneerIntake
import PioneerReturns
import PioneerTesting
import Testing

@Suite("Intake backups", .serialized, .timeLimit(.minutes(3)))
struct IntakeBackupTests {
    static let sites = ["torbay", "cambridge"]

    /// Every stored submission of `database`: id, version and digest, with its bytes.
    static func everything(_ database: String) async throws -> [String: (record: SubmissionRecord, bytes: [UInt8])] {
        let store = try await IntakeStore.open(database)
        var all: [String: (record: SubmissionRecord, bytes: [UInt8])] = [:]
        for record in try await store.submissions(site: nil, period: nil) {
            all[record.id] = (record, try #require(try await store.body(ofSubmission: record.id)))
        }
        await store.close()
        return all
    }

    /// Sends 12 versions of each site's March return (some twice) through a real server on `database`.
    static func submitVersions(_ database: String, in folder: URL) async throws -> Int {
        let programme = folder.appendingPathComponent("programme.yaml")
        try IntakeServeProcess.programme(sites: sites).write(to: programme, atomically: true, encoding: .utf8)
        var tokens: [String: String] = [:]
        for site in sites { tokens[site] = try await IntakeServeProcess.token(site: site, database: database) }
        let server = try await IntakeServeProcess.start(database: database, programme: programme.path, in: folder)
        var created = 0
        do {
            for version in 1...12 {
                for site in sites {
                    let bytes = try ReturnCoding.pretty(try AggregateEndToEndTests.siteReturn(site, plans: (Double(version), 100),
                                                                                               admissions: (50, 20_000)))
                    for _ in 0..<(version % 4 == 0 ? 2 : 1) {
                        let answer = try await server.post(token: try #require(tokens[site]), body: bytes).status
                        #expect(answer == 201 || answer == 200)
                        if answer == 201 { created += 1 }
                    }
                }
            }
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
        return created
    }

    @Test func anOnlineSQLiteBackupRestoresEveryVersionByteForByte() async throws {
        try await withTemporaryFolder(prefix: "pioneer-backup") { folder in
            let database = folder.appendingPathComponent("intake.sqlite").path
            let created = try await Self.submitVersions(database, in: folder)
            #expect(created == 24)
            let backup = folder.appendingPathComponent("backup/intake-copy.sqlite").path
            try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("backup").path, withIntermediateDirectories: true)

            // Taken while a server has the database open.
            let server = try await IntakeServeProcess.start(database: database, programme: folder.appendingPathComponent("programme.yaml").path,
                                                            in: folder)
            let run = try await PioneerBinary.run(["serve", "backup", "--db", database, "--to", backup])
            await server.stop()
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "Backed up \(database) to \(backup): 24 submissions in the copy.\n")

            // Restored in place of the original, the copy is the same database.
            let original = try await Self.everything(database)
            let restoredPath = folder.appendingPathComponent("restored.sqlite").path
            try FileManager.default.copyItem(atPath: backup, toPath: restoredPath)
            let restored = try await Self.everything(restoredPath)
            #expect(restored.count == 24 && Set(restored.keys) == Set(original.keys))
            for (id, entry) in original {
                #expect(restored[id]?.record == entry.record && restored[id]?.bytes == entry.bytes, "submission \(id) differs")
            }
            let store = try IntakeStore(path: restoredPath)
            #expect(try await store.integrityCheck() == ["ok"])

            let again = try await PioneerBinary.run(["serve", "backup", "--db", database, "--to", backup])
            #expect(again.status == 1)
            #expect(again.stderr == "error: intake store \(database): cannot back up the database: \(backup) already exists; give a new file, so no earlier backup is overwritten\n")
            let missing = try await PioneerBinary.run(["serve", "backup", "--db", folder.appendingPathComponent("none.sqlite").path, "--to", backup + "2"])
            #expect(missing.status == 1 && missing.stderr.contains("no such file"))
        }
    }

    @Test func aPostgreSQLDumpRestoresEveryVersionByteForByte() async throws {
        let cluster = try await PostgresCluster.shared()
        try await withTemporaryFolder(prefix: "pioneer-pgdump") { folder in
            let database = try await cluster.createDatabase()
            let created = try await Self.submitVersions(database, in: folder)
            #expect(created == 24)
            let name = String(database.split(separator: "/").last ?? "")
            let dump = folder.appendingPathComponent("intake.dump").path
            // The commands of docs/deployment.md, on the test cluster.
            let host = ["--host", "127.0.0.1", "--port", String(cluster.port), "--username", PostgresCluster.user]
            let dumped = try cluster.client("pg_dump", host + ["--format=custom", "--file", dump, name])
            #expect(dumped.status == 0, "\(dumped.output)")
            let restoredName = name + "_restored"
            try cluster.psql("CREATE DATABASE \(restoredName)")
            let restoredRun = try cluster.client("pg_restore", host + ["--dbname", restoredName, "--no-owner", "--exit-on-error", dump])
            #expect(restoredRun.status == 0, "\(restoredRun.output)")

            let original = try await Self.everything(database)
            let restored = try await Self.everything(cluster.url(database: restoredName))
            #expect(restored.count == 24 && Set(restored.keys) == Set(original.keys))
            for (id, entry) in original {
                #expect(restored[id]?.record == entry.record && restored[id]?.bytes == entry.bytes, "submission \(id) differs")
            }
            let refused = try await PioneerBinary.run(["serve", "backup", "--db", database, "--to", folder.appendingPathComponent("x").path])
            #expect(refused.status == 1)
            #expect(refused.stderr == "error: \(database) is a PostgreSQL database; back it up with pg_dump (docs/deployment.md)\n")
        }
    }
}
