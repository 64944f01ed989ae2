// SIGKILL `pioneer serve` in the middle of a burst of submissions: after a restart, every
// submission the service answered 2xx is in the database, and SQLite finds the file sound.
import Foundation
import GRDB
import PioneerIntake
import PioneerTesting
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(3)))
struct IntakeKillTests {
    static let sites = (1...8).map { String(format: "kill-%02d", $0) }

    @Test func everySubmissionAnswered2xxSurvivesSIGKILLAndTheDatabasePassesIntegrityCheck() async throws {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        try await withTemporaryFolder(prefix: "pioneer-intake-kill") { folder in
            let (programme, database, tokens) = try await IntakeServeProcess.loadClientFiles(sites: Self.sites, in: folder)
            let record = folder.appendingPathComponent("answered.txt")

            let server = try await IntakeServeProcess.start(database: database, programme: programme.path, in: folder)
            // Far more submissions than are answered before the kill: the burst is still going when it comes.
            let load = Process()
            load.executableURL = binary
            load.arguments = ["bench-intake", "--to", server.baseURL, "--tokens", tokens.path, "--count", "5000", "--months", "4",
                              "--concurrency", "8", "--timeout", "5", "--max-seconds", "60", "--record", record.path]
            let loadLog = folder.appendingPathComponent("load.log")
            _ = FileManager.default.createFile(atPath: loadLog.path, contents: nil)
            let loadHandle = try FileHandle(forWritingTo: loadLog)
            defer { try? loadHandle.close() }
            load.standardOutput = loadHandle
            load.standardError = loadHandle
            let loading = try StartedProcess.start(load)

            // Kill once a good number have been answered, with more in flight.
            let deadline = Date().addingTimeInterval(60)
            var answeredBeforeKill = 0
            while Date() < deadline, loading.isRunning {
                try await Task.sleep(for: .milliseconds(20))
                answeredBeforeKill = Self.answered(record).count
                if answeredBeforeKill >= 150 { break }
            }
            let serverWasRunning = server.process.isRunning
            let serverEnd = await server.killNow()
            #expect(serverWasRunning, "pioneer serve stopped before the kill:\n\(server.output)")
            #expect(serverEnd.reason == .uncaughtSignal)

            // The load client sees the rest refused and stops by itself.
            let loadEnd = await loading.ended(within: 90)
            let loadStopped = loadEnd != nil
            if !loadStopped { _ = await loading.exit(within: 0) }
            let loadOutput = (try? String(contentsOf: loadLog, encoding: .utf8)) ?? ""
            let answered = Self.answered(record)
            try #require(answeredBeforeKill >= 150, "too few submissions answered before the deadline:\n\(loadOutput)\n\(server.output)")
            #expect(loadStopped, "the load client did not stop within 90 s of the kill:\n\(loadOutput)")
            #expect(loadEnd?.status == 1, "the load client should report submissions without an answer:\n\(loadOutput)")

            // The service starts again on the same file, and every 2xx is there.
            let restarted = try await IntakeServeProcess.start(database: database, programme: programme.path, in: folder)
            do {
                let store = try IntakeStore(path: database)
                let stored = try await store.submissions(site: nil, period: nil)
                let storedAccepted = Set(stored.filter { $0.status != .rejected }.map(\.digest))
                let missing = answered.subtracting(storedAccepted)
                #expect(missing.isEmpty, "\(missing.count) of \(answered.count) submissions answered 2xx are not in the database")
                #expect(stored.count >= answered.count)
                // Versions of each site and period have no gaps: none half-written.
                for (key, versions) in Dictionary(grouping: stored.compactMap { record in
                    record.version.map { ("\(record.site ?? "")/\(record.period ?? "")", $0) }
                }, by: \.0) {
                    #expect(versions.map(\.1).sorted() == Array(1...versions.count), "versions of \(key) have a gap")
                }

                let queue = try DatabaseQueue(path: database)
                let integrity = try await queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
                #expect(integrity == ["ok"])
                await restarted.stop()
            } catch {
                await restarted.stop()
                throw error
            }
        }
    }

    /// The digests the load client recorded as answered 2xx (lines `DIGEST STATUS`).
    static func answered(_ record: URL) -> Set<String> {
        let text = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
        // Only whole lines: the last may be half-written while the client runs.
        return Set(text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, fields[0].hasPrefix("sha256:"), fields[0].count == 71, Int(fields[1]) != nil else { return nil }
            return String(fields[0])
        })
    }
}
