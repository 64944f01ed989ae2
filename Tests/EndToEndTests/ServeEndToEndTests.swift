// `pioneer serve` as the office runs it: the real binary on 127.0.0.1, tokens from
// `pioneer serve token create`, SIGTERM during a burst of submissions, the dashboard in
// headless Chromium, and what it refuses to start with.
import Foundation
import PioneerIntake
import PioneerKit
import PioneerReturns
import PioneerTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("pioneer serve", .serialized, .timeLimit(.minutes(3)))
struct ServeEndToEndTests {
    static let programme = """
    programme:
      id: pioneers
      name: Integrated Care Pioneers
    sites: [torbay, tower-hamlets, cambridge, northumbria]
    reporting:
      periods: [month, quarter]
      due: { soft: 15 days, hard: 30 days }
    themes:
      care plans: [care-plans]
    """

    /// The latest month due on the machine's clock: the one the dashboard shows by default.
    static func latestMonth() -> Period {
        Period(containing: CalendarDate.today(in: TimeZone(identifier: "UTC") ?? .current), type: .month).previous
    }

    /// `site`'s signed return for `period`: care plans and emergency admissions.
    static func siteReturn(_ site: String, period: Period, plans: (Double, Double)) throws -> Data {
        let label = ReturnPeriod(label: period.label, type: "month", start: period.start.description, end: period.end.description)
        let provenance = ReturnProvenance(plugin: "json", runID: 1, collectedAt: "\(period.end)T08:00:00.000Z", sources: [])
        let content = SiteReturn(
            generator: Generator(version: "0.1.0"),
            site: SiteIdentity(id: site, name: site.capitalized, region: "England", wave: "1"),
            period: label, generatedAt: "\(period.end)T09:00:00.000Z", complete: true, missing: [],
            indicators: [
                ReturnIndicator(id: "care-plans", name: "Shared care plans", kind: "process", valueType: "proportion", unit: "%",
                                factor: nil, better: "higher", decimals: 1,
                                measures: [ReturnMeasure(period: label, value: plans.0 / plans.1, numerator: plans.0, denominator: plans.1,
                                                         provenance: provenance)]),
                ReturnIndicator(id: "admissions", name: "Emergency admissions", kind: "outcome", valueType: "rate", unit: "per 1,000",
                                factor: 1000, better: "lower", decimals: 2,
                                measures: [ReturnMeasure(period: label, value: plans.0 / 20_000 * 1000, numerator: plans.0,
                                                         denominator: 20_000, provenance: provenance)]),
            ],
            goals: [], runs: [])
        return try ReturnCoding.pretty(try ReturnCoding.signed(content))
    }

    /// A folder with programme.yaml, an intake database path, a site token for torbay and an office token.
    func withOffice(_ kind: IntakeStore.Kind = .sqlite, _ body: (URL, String, [String: String]) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-serve-e2e") { folder in
            try Data(Self.programme.utf8).write(to: folder.appendingPathComponent("programme.yaml"))
            let database = try await intakeDatabase(kind, in: folder)
            var tokens: [String: String] = [:]
            for site in ["torbay", "tower-hamlets", "cambridge"] {
                tokens[site] = try await ServeProcess.createToken(["--site", site], database: database)
            }
            tokens["office"] = try await ServeProcess.createToken(["--office"], database: database)
            try await body(folder, database, tokens)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func sigtermDuringABurstLetsEveryAnsweredSubmissionStandAndExitsCleanly(kind: IntakeStore.Kind) async throws {
        try await withOffice(kind) { folder, database, tokens in
            let token = try #require(tokens["torbay"])
            let server = try await ServeProcess(database: database, in: folder)
            let period = Self.latestMonth()
            // 24 different returns for one site and period: each a new version, sent 8 at a time.
            let returns = try (1...24).map { try Self.siteReturn("torbay", period: period, plans: (Double($0), 100)) }
            var answers: [Int?] = []
            for batch in stride(from: 0, to: returns.count, by: 8) {
                let statuses = await withTaskGroup(of: Int?.self) { group in
                    for index in batch..<min(batch + 8, returns.count) {
                        let body = returns[index]
                        group.addTask {
                            // SIGTERM in the middle of the second batch, with its requests under way.
                            if index == 12 { server.process.signal(SIGTERM) }
                            return try? await server.send("POST", "/v1/returns", authorization: "Bearer \(token)",
                                                          contentType: "application/json", body: body).status
                        }
                    }
                    var statuses: [Int?] = []
                    for await status in group { statuses.append(status) }
                    return statuses
                }
                answers += statuses
            }
            let status = await server.stop()
            #expect(status == 0, "pioneer serve did not exit 0 after SIGTERM:\n\(server.output)")
            #expect(server.output.contains("pioneer serve stopped"))
            // Every answer is a success or no answer at all (refused once shutdown began): never a 5xx or a broken one.
            let answered = answers.compactMap { $0 }
            #expect(answered.allSatisfy { $0 == 201 }, "answers: \(answered)")
            #expect(answered.count >= 8, "too few submissions were answered before the shutdown: \(answered.count)")

            // Restarted on the same database: every answered submission is there, numbered without gaps.
            let again = try await ServeProcess(database: database, in: folder)
            let listing = try await again.send("GET", "/v1/returns?site=torbay", authorization: "Bearer \(token)")
            _ = await again.stop()
            let records = try #require(try JSONSerialization.jsonObject(with: listing.body) as? [String: Any])["submissions"] as? [[String: Any]]
            let versions = (records ?? []).compactMap { $0["version"] as? Int }
            #expect(versions.count >= answered.count, "answered \(answered.count), stored \(versions.count)")
            #expect(versions.sorted() == Array(1...max(versions.count, 1)).prefix(versions.count).map { $0 })
        }
    }

    /// A flood of idle connections past the limit on open files: the server holds only as many
    /// as the limit allows, the rest wait to be accepted, and it lives on to answer once they go.
    /// (Run into, the limit ended the process with SIGILL: libdispatch's thread monitor traps
    /// when it cannot open /proc/<thread>/stat.)
    @Test func aFloodOfConnectionsPastTheOpenFileLimitWaitsAndTheServerLivesOn() async throws {
        try await withOffice(.sqlite) { folder, database, _ in
            // More connections asked for than the limit allows: held to what it allows, and said.
            let server = try await ServeProcess(database: database, in: folder, arguments: ["--max-connections", "100000"],
                                                openFileLimit: 160)
            #expect(server.output.contains("warning: --max-connections 100000: the limit on open files (160, `ulimit -n`) allows "),
                    "\(server.output)")
            #expect(server.output.contains("serving at most "), "\(server.output)")
            var sockets: [Int32] = []
            defer { for socket in sockets { close(socket) } }
            for _ in 0..<250 {
                guard let socket = Self.startConnecting(port: server.port) else { break }
                sockets.append(socket)
            }
            #expect(sockets.count == 250)
            // The thread monitor looks every second.
            try await Task.sleep(for: .seconds(3))
            #expect(server.process.isRunning, "\(server.output)")
            for socket in sockets { close(socket) }
            sockets = []
            let health = try await server.send("GET", "/health", authorization: nil)
            #expect(health.status == 200)
            let status = await server.stop()
            #expect(status == 0, "\(server.output)")
        }
    }

    /// A socket connecting to 127.0.0.1:`port` without waiting for the connection (the system
    /// completes it while the server's listen queue has room).
    private static func startConnecting(port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard socket >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 || errno == EINPROGRESS else {
            close(socket)
            return nil
        }
        return socket
    }

    @Test func theDashboardReadsInHeadlessChromium() async throws {
        try await withOffice { folder, database, tokens in
            let server = try await ServeProcess(database: database, in: folder)
            let period = Self.latestMonth()
            for (site, plans) in [("torbay", (30.0, 100.0)), ("tower-hamlets", (120.0, 300.0)), ("cambridge", (200.0, 1000.0))] {
                let answer = try await server.send("POST", "/v1/returns", authorization: "Bearer \(try #require(tokens[site]))",
                                                   contentType: "application/json", body: try Self.siteReturn(site, period: period, plans: plans))
                #expect(answer.status == 201, "\(answer.text)")
            }
            let office = try #require(tokens["office"])
            let basic = "Basic " + Data("office:\(office)".utf8).base64EncodedString()
            let dashboard = try await server.send("GET", "/", authorization: basic)
            _ = await server.stop()
            #expect(dashboard.status == 200, "\(dashboard.text.prefix(400))")

            let page = folder.appendingPathComponent("dashboard.html")
            try dashboard.body.write(to: page)
            let visit = try await ReportChromium.visit(page, screenshot: "serve-dashboard.png")
            #expect(visit.consoleMessages.isEmpty, "the dashboard logged: \(visit.consoleMessages)")
            #expect(visit.dom.contains("returns for \(period.label)"))
            #expect(visit.dom.contains("<th scope=\"row\">northumbria</th>"))
            #expect(!visit.dom.contains("<script"))
            let size = try #require(ReportChromium.pngSize(visit.screenshotBytes))
            #expect(size.width == 1240 && size.height == 1754)
        }
    }

    /// A database that answers queries but cannot be written (here the limit on the size of a
    /// file, as a full disk would): the submission that finds it out is a 503, and `/health`
    /// fails from then on, saying why, where it used to say ok while every write failed.
    @Test func healthFailsOnceASubmissionCannotBeStored() async throws {
        try await withOffice { folder, database, tokens in
            let token = try #require(tokens["torbay"])
            let sizes = ["", "-wal", "-shm"].map {
                (try? FileManager.default.attributesOfItem(atPath: database + $0)[.size] as? Int) ?? 0
            }
            let limit = (sizes.max() ?? 0) / 1024 + 40
            let server = try await ServeProcess(database: database, in: folder, fileSizeLimitKB: limit)
            let healthy = try await server.send("GET", "/health", authorization: nil)
            #expect(healthy.status == 200)
            var refused: ServeProcess.Answer?
            for plans in 1...80 {
                let body = try Self.siteReturn("torbay", period: Self.latestMonth(), plans: (Double(plans), 100))
                let answer = try await server.send("POST", "/v1/returns", authorization: "Bearer \(token)",
                                                   contentType: "application/json", body: body)
                if answer.status != 201 { refused = answer; break }
            }
            let health = try await server.send("GET", "/health", authorization: nil)
            _ = await server.stop()
            let refusal = try #require(refused, "every submission was stored under a limit of \(limit) KB")
            #expect(refusal.status == 503, "\(String(decoding: refusal.body, as: UTF8.self))")
            #expect(health.status == 503)
            let text = String(decoding: health.body, as: UTF8.self)
            #expect(text.contains("the database answers queries, but storing a submission failed at "), "\(text)")
            #expect(text.contains("this check passes again once a submission is stored, or 60 s after the failure"), "\(text)")
            #expect(server.output.contains("health check: the last write failed"), "\(server.output)")
        }
    }

    @Test func serveRefusesABadProgrammeAnUnusableDatabaseAndAPortInUse() async throws {
        try await withOffice { folder, database, _ in
            try Data("programme:\n  id: [\n".utf8).write(to: folder.appendingPathComponent("broken.yaml"))
            let badProgramme = try await PioneerBinary.run(["serve", "--db", database, "--port", "0", "--programme", "broken.yaml"],
                                                           in: folder.path)
            #expect(badProgramme.status == 1)
            #expect(badProgramme.stderr.contains("broken.yaml:"), "\(badProgramme.stderr)")

            let notADatabase = folder.appendingPathComponent("notes.txt")
            try Data("these are not a database, but they are long enough to have a header page of some kind........".utf8).write(to: notADatabase)
            let badDatabase = try await PioneerBinary.run(["serve", "--db", notADatabase.path, "--port", "0", "--programme", "programme.yaml"],
                                                          in: folder.path)
            #expect(badDatabase.status == 1)
            #expect(badDatabase.stderr.hasPrefix("error: intake store \(notADatabase.path)"), "\(badDatabase.stderr)")

            let first = try await ServeProcess(database: database, in: folder)
            let clash = try await PioneerBinary.run(["serve", "--db", database, "--port", String(first.port), "--programme", "programme.yaml"],
                                                    in: folder.path)
            _ = await first.stop()
            #expect(clash.status == 1)
            #expect(clash.stderr.contains("error: cannot serve on 127.0.0.1:\(first.port): the port is in use"), "\(clash.stderr)")

            let usage = try await PioneerBinary.run(["serve", "--db", database, "--max-body", "lots"], in: folder.path)
            #expect(usage.status == 2)
            #expect(usage.stderr.contains("--max-body `lots` is not a size"), "\(usage.stderr)")

            let pioneer = try #require(PioneerBinary.url())
            let fewFiles = try await PioneerBinary.run(
                process: URL(fileURLWithPath: "/bin/sh"),
                ["-c", "ulimit -Sn 20 && ulimit -Hn 60 && exec \"$0\" \"$@\"", pioneer.path,
                 "serve", "--db", database, "--port", "0", "--programme", "programme.yaml"], in: folder.path)
            #expect(fewFiles.status == 1)
            #expect(fewFiles.stderr.hasPrefix("error: pioneer serve may open only 60 files (`ulimit -n`), and needs at least "),
                    "\(fewFiles.stderr)")
            #expect(fewFiles.stderr.contains("(100 for the database and itself, and 16 connections); raise the limit"), "\(fewFiles.stderr)")

            let noConnections = try await PioneerBinary.run(["serve", "--db", database, "--max-connections", "0"], in: folder.path)
            #expect(noConnections.status == 2)
            #expect(noConnections.stderr.contains("--max-connections 0 is too few; give 1 or more"), "\(noConnections.stderr)")
        }
    }
}
