// Killing `pioneer collect` mid-run must leave a sound store: it opens, passes
// SQLite's integrity check, and keeps every measure committed before the kill.
import Foundation
import Hummingbird
import PioneerTesting
import Logging
import PioneerKit
import PioneerStore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(5)))
struct CollectKillTests {
    @Test func storeSurvivesSIGKILLWithEveryCommittedMeasureIntact() async throws {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        try await withTemporaryFolder(prefix: "pioneer-kill") { folder in
            let siteFolder = folder.appendingPathComponent("killshire")
            try FileManager.default.createDirectory(at: siteFolder, withIntermediateDirectories: true)
            let storePath = folder.appendingPathComponent("store.sqlite").path

            try await SlowFeed.run(delay: .milliseconds(60)) { port in
                try Self.siteYAML(port: port).write(to: siteFolder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let log = folder.appendingPathComponent("collect.log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let logHandle = try FileHandle(forWritingTo: log)
                defer { try? logHandle.close() }

                // 26 years of months for two indicators: far longer than the test waits.
                let process = Process()
                process.executableURL = binary
                process.arguments = ["collect", siteFolder.path, "--from", "2000-01", "--to", "2025-12",
                                     "--store", storePath, "--max-parallel", "2"]
                process.standardOutput = logHandle
                process.standardError = logHandle
                let child = try StartedProcess.start(process)

                // Wait until a few measures are committed, then take what the store holds and kill at once.
                var snapshot: [StoredMeasure] = []
                let deadline = Date().addingTimeInterval(45)
                while Date() < deadline, child.isRunning {
                    try await Task.sleep(for: .milliseconds(50))
                    guard FileManager.default.fileExists(atPath: storePath),
                          let store = try? MeasureStore(readingAt: storePath),
                          let count = try? store.measureCount(), count >= 6 else { continue }
                    snapshot = try Self.allMeasures(store)
                    break
                }
                let wasRunning = child.isRunning
                child.signal(SIGKILL)
                let end = await child.exit(within: 60)
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                #expect(wasRunning, "pioneer collect finished before it could be killed:\n\(output)")
                #expect(end.reason == .uncaughtSignal)
                try #require(snapshot.count >= 6, "no measures were committed before the deadline:\n\(output)")

                let store = try MeasureStore(path: storePath)
                #expect(try store.integrityCheck() == ["ok"])
                let after = try Self.allMeasures(store)
                let afterByID = Dictionary(uniqueKeysWithValues: after.map { ($0.id, $0) })
                for measure in snapshot {
                    #expect(afterByID[measure.id] == measure, "measure \(measure.id) changed or vanished after the kill")
                }
                #expect(after.count >= snapshot.count)
                // Every stored value is the one the feed served for its month.
                for measure in after {
                    #expect(measure.measure.observation.value == Double(measure.measure.period.index % 1000))
                }

                // The killed run stays on record; the next run marks it interrupted.
                let killedRun = try #require(try store.runs(site: "killshire").first)
                #expect(killedRun.status == .running)
                _ = try store.beginRun(site: "killshire", command: "test", periods: "2026-01")
                let interrupted = try #require(try store.run(id: killedRun.id))
                #expect(interrupted.status == .interrupted)
                // It says how much it never reached: 26 years of months for two indicators, planned.
                #expect(interrupted.planned == 26 * 12 * 2)
                let notReached = try #require(interrupted.notReached)
                #expect(notReached == 26 * 12 * 2 - interrupted.counts.total && notReached > 0)

                let runs = try await PioneerBinary.run(["runs", siteFolder.path, "--store", storePath, "--run", "\(killedRun.id)"],
                                                       in: folder.path)
                #expect(runs.status == 0, "\(runs.stderr)")
                #expect(runs.stdout.contains("Not reached: \(notReached) of the run's 624 indicator-periods were never collected"),
                        "\(runs.stdout)")
                #expect(!runs.stdout.contains("Nothing failed."))
            }
        }
    }

    private static func allMeasures(_ store: MeasureStore) throws -> [StoredMeasure] {
        try store.measures(MeasureQuery(site: "killshire", includeHistory: true))
    }

    /// The feed's timeout is generous: these tests check exit statuses and what is stored, not
    /// timeouts, and the feed is served from the test process, which shares two cores with the
    /// whole suite (10 s was once not enough for an instant answer while the suite ran).
    static func siteYAML(port: Int) -> String {
        """
        site:
          id: killshire
          name: Killshire
          region: Test
          wave: Kill test
          focus: [robustness]
        feeds:
          bi:
            base_url: http://127.0.0.1:\(port)
            retries: 0
            timeout: 60
        indicators:
          - id: admissions
            name: Admissions
            kind: outcome
            value_type: count
            unit: admissions
            period: month
            better: lower
            plugin: json
            config:
              feed: bi
              path: /admissions?month={period}
              select: $.value
          - id: discharges
            name: Discharges
            kind: process
            value_type: count
            unit: discharges
            period: month
            better: higher
            plugin: json
            config:
              feed: bi
              path: /discharges?month={period}
              select: $.value
        """
    }
}

/// A loopback feed that answers `{"value": <month index mod 1000>}` after a delay, so a
/// long collection is still running when the test kills it.
enum SlowFeed {
    static func run(delay: Duration, _ body: (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("**") { request, _ -> Response in
            try await Task.sleep(for: delay)
            let month = request.uri.queryParameters.get("month") ?? ""
            guard let period = try? Period(parsing: month, as: .month) else {
                return Response(status: .badRequest)
            }
            let body = #"{"value": \#(period.index % 1000)}"#
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        try await withLoopbackServer(router, label: "pioneer.kill-test.feed", body)
    }
}

/// `pioneer collect`'s exit status and `--json` output, from the real binary.
@Suite(.timeLimit(.minutes(5)), .ownThread)
struct CollectExitStatusTests {
    /// Runs `pioneer` with `arguments`; returns its exit status, stdout and stderr.
    private func pioneer(_ arguments: [String], in folder: URL) async throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try await PioneerBinary.run(arguments, in: folder.path)
        return (run.status, run.stdout, run.stderr)
    }

    /// The (empty) `killshire` site folder in `root`.
    private func siteFolder(in root: URL) throws -> URL {
        let site = root.appendingPathComponent("killshire")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        return site
    }

    @Test func missingPeriodIsAUsageError() async throws {
        try await withTemporaryFolder(prefix: "pioneer-exit") { root in
            let site = try siteFolder(in: root)
            let result = try await pioneer(["collect", site.path], in: root)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("error: say which periods to collect: --period 2026-06, or --from 2026-01 --to 2026-06"))
        }
    }

    @Test func invalidSiteIsAConfigurationErrorWithItsLocation() async throws {
        try await withTemporaryFolder(prefix: "pioneer-exit") { root in
            let site = try siteFolder(in: root)
            let yaml = CollectKillTests.siteYAML(port: 1).replacingOccurrences(of: "  region: Test", with: "  regoin: Test")
            try yaml.write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            let result = try await pioneer(["collect", site.path, "--period", "2026-01", "--store", root.appendingPathComponent("s.sqlite").path], in: root)
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(site.path)/site.yaml:4:3: error: site.regoin: unknown key `regoin`"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("s.sqlite").path))
        }
    }

    /// A mistyped --store folder became a new, empty store that the intended path never saw.
    @Test func aStorePathInAFolderThatDoesNotExistIsRefusedAndNothingIsCreated() async throws {
        try await withTemporaryFolder(prefix: "pioneer-exit") { root in
            let site = try siteFolder(in: root)
            let missing = root.appendingPathComponent("stroes/torbay")
            let store = missing.appendingPathComponent("s.sqlite").path
            let result = try await pioneer(["collect", site.path, "--period", "2026-01", "--store", store], in: root)
            #expect(result.status == 1)
            #expect(result.stderr == "error: --store \(store): the folder \(missing.path) does not exist; create it first, or check the path\n")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("stroes").path))

            // With --json, the document says so too (it was empty).
            let json = try await pioneer(["collect", site.path, "--period", "2026-01", "--store", store, "--json"], in: root)
            #expect(json.status == 1)
            let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(document?["errors"] as? [String] == ["--store \(store): the folder \(missing.path) does not exist; create it first, or check the path"],
                    "\(json.stdout)")
            #expect(document?["exit_status"] as? Int == 1)

            // A --store that is a folder says so, once.
            let site2 = try siteFolder(in: root)
            try CollectKillTests.siteYAML(port: 9).write(to: site2.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            let folder = try await pioneer(["collect", site2.path, site2.path, "--period", "2026-01", "--store", root.path], in: root)
            #expect(folder.status == 1)
            #expect(folder.stderr.components(separatedBy: "measure store \(root.path): this is a folder, not a store file; give a file in it, such as ").count == 2,
                    "\(folder.stderr)")
        }
    }

    /// A store whose write lock another process holds: collect waits up to 10 s for it, and a
    /// Ctrl-C during that wait waited it out; now the wait gives up at once.
    /// Whether process `pid` has the file at `path` open (its /proc/PID/fd links).
    private static func hasOpen(_ path: String, pid: Int32) -> Bool {
        let folder = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)")) == path }
    }

    @Test func ctrlCEndsTheWaitForAStoreAnotherProcessHasLocked() async throws {
        let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
        try await withTemporaryFolder(prefix: "pioneer-lock-wait") { root in
            let site = try siteFolder(in: root)
            try CollectKillTests.siteYAML(port: 9).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            let store = root.appendingPathComponent("s.sqlite").path
            // The store made first, then held by a writer in another process for 30 s.
            #expect(try await self.pioneer(["collect", site.path, "--period", "2026-01", "--store", store], in: root).status == 3)
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            holder.arguments = ["python3", "-c", """
                import sqlite3, sys, time
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                c.execute('BEGIN IMMEDIATE')
                print('locked', flush=True)
                time.sleep(30)
                """, store]
            let said = root.appendingPathComponent("holder.out")
            _ = FileManager.default.createFile(atPath: said.path, contents: nil)
            holder.standardOutput = try FileHandle(forWritingTo: said)
            let holding = try StartedProcess.start(holder)
            defer { _ = holding.exitBlocking(within: 0) }
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, !((try? String(contentsOf: said, encoding: .utf8)) ?? "").contains("locked") {
                try await Task.sleep(for: .milliseconds(50))
            }
            let errors = root.appendingPathComponent("collect.err")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            let collect = Process()
            collect.executableURL = pioneer
            collect.arguments = ["collect", site.path, "--period", "2026-02", "--store", store]
            collect.standardOutput = FileHandle.nullDevice
            collect.standardError = try FileHandle(forWritingTo: errors)
            let child = try StartedProcess.start(collect)
            // Once it has the store open it is waiting for the lock (its first write): Ctrl-C then.
            let opened = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < opened, child.isRunning, !Self.hasOpen(store, pid: child.pid) {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(300))
            let interrupted = ContinuousClock.now
            child.signal(SIGINT)
            let end = await child.exit(within: 20)
            let output = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            // Waited out, the 10 s would have left more than 9 s.
            #expect(ContinuousClock.now - interrupted < .seconds(6), "\(output)")
            #expect(end.status == 130, "\(output)")
            #expect(output.contains("is locked by another process"), "\(output)")
            #expect(!output.hasSuffix("\ninterrupted\n"), "\(output)")
        }
    }

    /// A Ctrl-C while collect starts is never lost. The signals were taken from their default
    /// action before the dispatch sources watching them were registered, on a global queue; under
    /// load a Ctrl-C in between was ignored, and the run went on (CI: a lock wait ran out, exit 1).
    /// Whenever it comes, the process now ends at once: killed by it before the work starts, or
    /// with status 130 after.
    @Test func aCtrlCAtAnyMomentWhileCollectStartsEndsIt() async throws {
        let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
        try await withTemporaryFolder(prefix: "pioneer-early-int") { root in
            let site = try siteFolder(in: root)
            try await SlowFeed.run(delay: .milliseconds(60)) { port in
                try CollectKillTests.siteYAML(port: port).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                for (attempt, delay) in [0, 10, 20, 35, 50, 75, 100, 150, 250, 400].enumerated() {
                    let collect = Process()
                    collect.executableURL = pioneer
                    // 26 years of months, 60 ms each, two at a time: far longer than the test waits.
                    collect.arguments = ["collect", site.path, "--from", "2000-01", "--to", "2025-12", "--max-parallel", "2",
                                         "--store", root.appendingPathComponent("s\(attempt).sqlite").path]
                    collect.standardOutput = FileHandle.nullDevice
                    collect.standardError = FileHandle.nullDevice
                    let child = try StartedProcess.start(collect)
                    try await Task.sleep(for: .milliseconds(delay))
                    child.signal(SIGINT)
                    let end = await child.exit(within: 15)
                    #expect(!end.timedOut, "a Ctrl-C \(delay) ms after start was lost: collect went on")
                    #expect((end.reason == .uncaughtSignal && end.status == SIGINT) || (end.reason == .exit && end.status == 130),
                            "a Ctrl-C \(delay) ms after start: \(end)")
                }
            }
        }
    }

    @Test func exitStatusIsZeroWhenAllCollectedAndThreeWhenAFeedFails() async throws {
        try await withTemporaryFolder(prefix: "pioneer-exit") { root in
            let site = try siteFolder(in: root)
            let store = root.appendingPathComponent("s.sqlite").path
            try await SlowFeed.run(delay: .zero) { port in
                try CollectKillTests.siteYAML(port: port).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let good = try await pioneer(["collect", site.path, "--from", "2025-01", "--to", "2025-03", "--store", store, "--json"], in: root)
                #expect(good.status == 0, "\(good.stderr)")
                let summary = try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any]
                let runs = summary?["runs"] as? [[String: Any]]
                #expect(summary?["exit_status"] as? Int == 0)
                #expect((runs?.first?["counts"] as? [String: Any])?["collected"] as? Int == 6)
                // A finished run planned exactly what it recorded.
                let stored = try MeasureStore(readingAt: store)
                let run = try #require(try stored.runs(site: "killshire").first)
                #expect(run.planned == 6 && run.counts.total == 6 && run.notReached == nil)

                // Collected again: the same values are unchanged, and that is still success.
                let again = try await pioneer(["collect", site.path, "--from", "2025-01", "--to", "2025-03", "--store", store], in: root)
                #expect(again.status == 0, "\(again.stderr)")
                #expect(again.stdout.contains("total               0          6              0       0        0"), "\(again.stdout)")
            }
            // The feed has stopped: every fetch fails, the stored values stay, the exit status is 3.
            let failed = try await pioneer(["collect", site.path, "--period", "2025-02", "--store", store], in: root)
            #expect(failed.status == 3, "\(failed.stderr)")
            #expect(failed.stdout.contains("Failed:\n  admissions 2025-02: feed \"bi\": GET http://127.0.0.1:"), "\(failed.stdout)")
            let stored = try MeasureStore(path: store)
            #expect(try stored.measureCount() == 6)
        }
    }
}
