// Several `pioneer serve` processes on one PostgreSQL database, under load and faults: two
// servers taking the same sites and periods at once, one SIGKILLed mid-burst; and PostgreSQL
// itself restarted mid-burst. Afterwards every submission answered 2xx is stored exactly once
// and each site and period's versions run 1, 2, 3… without a gap.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PioneerIntake
import PioneerTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Intake on PostgreSQL under faults", .serialized, .timeLimit(.minutes(3)))
struct IntakePostgresFaultTests {
    static let sites = (1...4).map { String(format: "pg-%02d", $0) }

    /// A folder with the programme, a tokens file for the load client and a database on `cluster`.
    struct Office {
        var folder: URL
        var programme: String
        var tokens: URL
        var database: String
    }

    static func office(in folder: URL, cluster: PostgresCluster) async throws -> Office {
        let programme = folder.appendingPathComponent("programme.yaml")
        try IntakeServeProcess.programme(sites: sites).write(to: programme, atomically: true, encoding: .utf8)
        let database = try await cluster.createDatabase()
        var lines: [String] = []
        for site in sites {
            lines.append("\(site) \(try await IntakeServeProcess.token(site: site, database: database))")
        }
        let tokens = folder.appendingPathComponent("tokens.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: tokens, atomically: true, encoding: .utf8)
        return Office(folder: folder, programme: programme.path, tokens: tokens, database: database)
    }

    /// Starts `pioneer bench-intake` against `url`, recording each 2xx answer's digest in `record`.
    static func load(_ office: Office, to url: String, months: Int, count: Int, record: URL) throws -> (StartedProcess, URL) {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        let load = Process()
        load.executableURL = binary
        load.arguments = ["bench-intake", "--to", url, "--tokens", office.tokens.path, "--count", String(count),
                          "--months", String(months), "--indicators", "20", "--concurrency", "8", "--timeout", "20",
                          "--max-seconds", "60", "--record", record.path]
        let log = office.folder.appendingPathComponent("load-\(record.lastPathComponent).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        load.standardOutput = handle
        load.standardError = handle
        return (try StartedProcess.start(load), log)
    }

    /// Waits (up to 90 s) for `process` to end by itself (then kills it): its exit status.
    @discardableResult
    static func waitForExit(_ process: StartedProcess) async -> Int32 {
        if let end = await process.ended(within: 90) { return end.status }
        Issue.record("the load client did not stop by itself within 90 s")
        return await process.exit(within: 0).status
    }

    /// Every 2xx answered is stored once, and each site and period's versions have no gap.
    static func checkStored(_ database: String, answered: Set<String>) async throws {
        let store = try await IntakeStore.open(database, databaseTimeout: .seconds(120))
        let stored = try await store.submissions(site: nil, period: nil)
        await store.close()
        let accepted = stored.filter { $0.status != .rejected }
        let missing = answered.subtracting(accepted.map(\.digest))
        #expect(missing.isEmpty, "\(missing.count) of \(answered.count) submissions answered 2xx are not in the database")
        let byDigest = Dictionary(grouping: stored, by: \.digest)
        #expect(byDigest.values.allSatisfy { $0.count == 1 }, "a submission is stored more than once")
        let versions = Dictionary(grouping: stored.compactMap { record in
            record.version.map { ("\(record.site ?? "")/\(record.period ?? "")", $0) }
        }, by: \.0)
        for (key, numbered) in versions {
            #expect(numbered.map(\.1).sorted() == Array(1...numbered.count), "the versions of \(key) have a gap or a duplicate")
        }
    }

    @Test func twoServersOnOneDatabaseKeepEveryAnsweredSubmissionOnceThoughOneIsKilled() async throws {
        let cluster = try await PostgresCluster.shared()
        try await withTemporaryFolder(prefix: "pioneer-pg-two") { folder in
            let office = try await Self.office(in: folder, cluster: cluster)
            let first = try await IntakeServeProcess.start(database: office.database, programme: office.programme, in: folder)
            let second = try await IntakeServeProcess.start(database: office.database, programme: office.programme, in: folder)
            // The two clients send the same sites and months to the two servers at once: the
            // same bytes (one version between them) and different bytes (a version each).
            let firstRecord = folder.appendingPathComponent("first.txt"), secondRecord = folder.appendingPathComponent("second.txt")
            let (firstLoad, firstLog) = try Self.load(office, to: first.baseURL, months: 2, count: 2_000, record: firstRecord)
            let (secondLoad, secondLog) = try Self.load(office, to: second.baseURL, months: 3, count: 400, record: secondRecord)

            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, firstLoad.isRunning, IntakeKillTests.answered(firstRecord).count < 150 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let firstWasRunning = first.process.isRunning
            let firstEnd = await first.killNow()
            #expect(firstWasRunning, "the first server stopped before the kill:\n\(first.output)")
            #expect(firstEnd.reason == .uncaughtSignal)

            await Self.waitForExit(firstLoad)
            let secondStatus = await Self.waitForExit(secondLoad)
            await second.stop()
            let firstAnswered = IntakeKillTests.answered(firstRecord), secondAnswered = IntakeKillTests.answered(secondRecord)
            let logs = [firstLog, secondLog].map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n")
            try #require(firstAnswered.count >= 150, "too few answered before the kill:\n\(logs)")
            #expect(secondStatus == 0, "the second server's client saw failures:\n\(logs)\n\(second.output)")
            #expect(secondAnswered.count == 400)
            // Both clients sent some of the same bytes: each is one version, answered to both.
            #expect(!firstAnswered.intersection(secondAnswered).isEmpty)
            try await Self.checkStored(office.database, answered: firstAnswered.union(secondAnswered))
        }
    }

    @Test func aServerWhoseDatabaseRestartsAnswers503WithRetryAfterThenCarriesOnLosingNothing() async throws {
        // A cluster of its own: the shared one must not stop under the other suites.
        let cluster = try await PostgresCluster.startOwn()
        defer { cluster.stopAndRemove() }
        try await withTemporaryFolder(prefix: "pioneer-pg-restart") { folder in
            let office = try await Self.office(in: folder, cluster: cluster)
            let server = try await IntakeServeProcess.start(database: office.database, programme: office.programme, in: folder)
            let record = folder.appendingPathComponent("answered.txt")
            let (load, log) = try Self.load(office, to: server.baseURL, months: 2, count: 600, record: record)
            do {
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline, load.isRunning, IntakeKillTests.answered(record).count < 100 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try cluster.stop()
                // While the database is down: 503 with Retry-After, for monitoring and for a site.
                let health = try await Self.get(server.baseURL + "/health")
                #expect(health.status == 503 && health.retryAfter != nil, "GET /health answered \(health.status)")
                try await Task.sleep(for: .seconds(1))
                try cluster.restart()
                await Self.waitForExit(load)
                // Reconnected: the health check passes again without restarting the server.
                var healthy = false
                for _ in 0..<100 where !healthy {
                    healthy = try await Self.get(server.baseURL + "/health").status == 200
                    if !healthy { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(healthy, "the server did not reconnect:\n\(server.output)")
                await server.stop()
            } catch {
                await server.stop()
                throw error
            }
            let loadOutput = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let answered = IntakeKillTests.answered(record)
            #expect(answered.count >= 100, "\(loadOutput)")
            #expect(server.output.contains("\"error\"") || server.output.contains("the store failed"),
                    "the server logged no store failure while the database was down:\n\(server.output.suffix(2000))")
            try await Self.checkStored(office.database, answered: answered)
        }
    }

    /// One GET: its status and Retry-After header.
    static func get(_ url: String) async throws -> (status: Int, retryAfter: String?) {
        var request = URLRequest(url: try #require(URL(string: url)), timeoutInterval: 30)
        request.httpMethod = "GET"
        let (_, response) = try await ServeProcess.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Retry-After"))
    }
}
