// Seeing and steering a collection from the real `pioneer` binary: --indicator,
// --json numbers, bounded --max-parallel, `pioneer runs`, `measures --history`, and
// Ctrl-C recording the run as interrupted.
import Foundation
import PioneerStore
import PioneerTesting
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(5)))
struct CollectVisibilityEndToEndTests {
    /// The `killshire` site (the slow feed's site) for `port` in `root`, and a store path beside it.
    private func siteFolder(in root: URL, port: Int) throws -> (site: URL, store: String) {
        let site = root.appendingPathComponent("killshire")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try CollectKillTests.siteYAML(port: port).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        return (site, root.appendingPathComponent("store.sqlite").path)
    }

    @Test(arguments: ["9223372036854775807", "1000000000", "1025", "0", "-1", "many"])
    func maxParallelOutsideOneToTenTwentyFourIsAUsageError(value: String) async throws {
        let run = try await PioneerBinary.run(["collect", "--period", "2025-01", "--max-parallel", value])
        #expect(run.terminationReason == .exit)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("The value '\(value)' is invalid for '--max-parallel <n>': give a whole number from 1 to 1024"),
                "\(run.stderr)")
    }

    @Test(arguments: ["-1", "0", "10001"])
    func runsLimitOutsideOneToTenThousandIsAUsageError(value: String) async throws {
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let (site, store) = try siteFolder(in: root, port: 9)
            let run = try await PioneerBinary.run(["runs", site.path, "--store", store, "--limit", value])
            #expect(run.status == 2)
            #expect(run.stderr.hasPrefix("error: --limit must be a whole number from 1 to 10000, not \(value)"), "\(run.stderr)")
        }
    }

    @Test func runsBeforeAnyCollectionSaysSo() async throws {
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let (site, store) = try siteFolder(in: root, port: 9)
            let run = try await PioneerBinary.run(["runs", site.path, "--store", store])
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error: measure store \(store): no runs recorded yet (the file does not exist)"), "\(run.stderr)")
        }
    }

    @Test func anUnknownIndicatorIsAUsageErrorWithASuggestion() async throws {
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let (site, store) = try siteFolder(in: root, port: 9)
            let run = try await PioneerBinary.run(["collect", site.path, "--period", "2025-01", "--indicator", "admisions",
                                                   "--store", store])
            #expect(run.status == 2)
            #expect(run.stderr.hasPrefix("error: --indicator: no indicator `admisions` (did you mean `admissions`?); the site declares `admissions`, `discharges`"),
                    "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: store))
        }
    }

    @Test func anUnknownIndicatorAmongThousandsListsAFewOfThem() async throws {
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let site = root.appendingPathComponent("bigshire")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            var yaml = "site: { id: bigshire, name: Bigshire, region: Loopback, wave: Pilot, focus: [scale] }\n"
                + "feeds:\n  bi:\n    base_url: http://127.0.0.1:9\nindicators:\n"
            for number in 1...2000 {
                yaml += "  - { id: feed-\(number), name: Feed \(number), kind: process, value_type: count, unit: items, "
                    + "period: month, better: higher, plugin: json, config: { feed: bi, path: /\(number).json, select: $.value } }\n"
            }
            try yaml.write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            let run = try await PioneerBinary.run(["collect", site.path, "--period", "2025-01", "--indicator", "feed-20000"])
            #expect(run.status == 2)
            #expect(run.stderr.hasPrefix("error: --indicator: no indicator `feed-20000` (did you mean `feed-2000`?); the site declares `feed-1`, `feed-2`,"),
                    "\(run.stderr)")
            #expect(run.stderr.contains("`feed-12` and 1988 more\n"), "\(run.stderr)")
            #expect(run.stderr.count < 1000, "\(run.stderr.count) characters")
        }
    }

    @Test func aSiteThatDeclaresNoneOfTheChosenIndicatorsIsLeftOutAndSaysSo() async throws {
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let (site, store) = try siteFolder(in: root, port: 9)
            try await SlowFeed.run(delay: .zero) { port in
                try CollectKillTests.siteYAML(port: port).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let other = root.appendingPathComponent("othershire")
                try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
                let yaml = CollectKillTests.siteYAML(port: port)
                    .replacingOccurrences(of: "id: killshire", with: "id: othershire")
                    .replacingOccurrences(of: "id: admissions", with: "id: arrivals")
                try yaml.write(to: other.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let run = try await PioneerBinary.run(["collect", "--root", root.path, "--period", "2025-01",
                                                       "--indicator", "admissions", "--store", store, "--json"])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stderr.contains("othershire: declares none of the --indicator ids; not collected"), "\(run.stderr)")
                let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
                let runs = try #require(document["runs"] as? [[String: Any]])
                #expect(runs.map { $0["site"] as? String } == ["killshire"])
            }
        }
    }

    @Test func measuresFromWithoutToSaysWhatMeasuresAccepts() async throws {
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let (site, _) = try siteFolder(in: root, port: 9)
            let run = try await PioneerBinary.run(["measures", site.path, "--from", "2025-01"])
            #expect(run.status == 2)
            #expect(run.stderr.hasPrefix("error: --from needs --to; for one period give it to both: --from 2025-01 --to 2025-01"), "\(run.stderr)")
        }
    }

    @Test func chosenIndicatorsAreCollectedAndTheRunsAndAttemptsCanBeSeen() async throws {
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let (site, store) = try siteFolder(in: root, port: 9)
            try await SlowFeed.run(delay: .zero) { port in
                try CollectKillTests.siteYAML(port: port).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let good = try await PioneerBinary.run(["collect", site.path, "--from", "2025-01", "--to", "2025-02",
                                                        "--indicator", "admissions", "--store", store, "--json"])
                #expect(good.status == 0, "\(good.stderr)")
                let document = try #require(try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
                let runs = try #require(document["runs"] as? [[String: Any]])
                let indicators = try #require(runs.first?["indicators"] as? [[String: Any]])
                #expect(indicators.map { $0["id"] as? String } == ["admissions"])
                let results = try #require(indicators.first?["results"] as? [[String: Any]])
                // The feed serves the month's index mod 1000: 2025-01 is 24300 → 300. A count prints whole.
                #expect(results.first?["value"] as? Double == 300)
                #expect(results.first?["formatted"] as? String == "300")
            }
            // The feed has stopped: this run fails, and the failure is visible without SQLite.
            let failed = try await PioneerBinary.run(["collect", site.path, "--period", "2025-02", "--indicator", "admissions",
                                                      "--store", store])
            #expect(failed.status == 3)

            let list = try await PioneerBinary.run(["runs", site.path, "--store", store, "--failures"])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("RUN  STARTED") == true, "\(list.stdout)")
            #expect(lines.count > 2 && lines[1].hasPrefix("  2  ") && lines[1].contains("finished  2025-02"), "\(list.stdout)")
            #expect(lines.count > 2 && lines[2].hasPrefix("  1  ") && lines[2].contains("2025-01…2025-02"), "\(list.stdout)")
            #expect(list.stdout.contains("Run 2:\nFailed:\n  admissions 2025-02: feed \"bi\": GET http://127.0.0.1:"), "\(list.stdout)")

            let detail = try await PioneerBinary.run(["runs", site.path, "--store", store, "--run", "2"])
            #expect(detail.status == 0)
            #expect(detail.stdout.hasPrefix("Run 2 of killshire: finished\n  command:  "), "\(detail.stdout)")
            #expect(detail.stdout.contains("  outcomes: 0 collected, 0 unchanged, 0 not available, 1 failed, 0 not yet due"))

            let missing = try await PioneerBinary.run(["runs", site.path, "--store", store, "--run", "99"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("site `killshire` has no run 99; its runs are numbered up to 2"), "\(missing.stderr)")

            let history = try await PioneerBinary.run(["measures", site.path, "--store", store, "--history",
                                                       "--from", "2025-02", "--to", "2025-02"])
            #expect(history.status == 0, "\(history.stderr)")
            #expect(history.stdout.contains("Attempts, by run:\nINDICATOR   PERIOD   RUN  STARTED"), "\(history.stdout)")
            #expect(history.stdout.contains("admissions  2025-02    1"), "\(history.stdout)")
            #expect(history.stdout.contains("failed     feed \"bi\": GET http://127.0.0.1:"), "\(history.stdout)")
        }
    }

    @Test func ctrlCDuringCollectRecordsTheRunInterruptedAndExits130() async throws {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        try await withTemporaryFolder(prefix: "pioneer-visibility") { root in
            let (site, store) = try siteFolder(in: root, port: 9)
            try await SlowFeed.run(delay: .milliseconds(100)) { port in
                try CollectKillTests.siteYAML(port: port).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let errors = root.appendingPathComponent("stderr")
                _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
                let handle = try FileHandle(forWritingTo: errors)
                defer { try? handle.close() }
                // Ten years of months for two indicators at 100 ms a fetch, two at a time: about 12 s.
                let process = Process()
                process.executableURL = binary
                process.arguments = ["collect", site.path, "--from", "2010-01", "--to", "2019-12", "--store", store,
                                     "--max-parallel", "2"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = handle
                let child = try StartedProcess.start(process)

                // Wait for four committed values in the progress log (stderr is not a terminal, so
                // a line per indicator-period); opening the store meanwhile would race its creation.
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline, child.isRunning {
                    try await Task.sleep(for: .milliseconds(50))
                    let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
                    if log.components(separatedBy: ": collected ").count > 4 { break }
                }
                let wasRunning = child.isRunning
                let signalled = Date()
                child.signal(SIGINT)
                let end = await child.exit(within: 60)
                let stopTime = Date().timeIntervalSince(signalled)
                let output = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""

                #expect(wasRunning, "the collection finished before it could be interrupted:\n\(output)")
                #expect(end.reason == .exit, "pioneer was killed by the signal instead of stopping cleanly")
                #expect(end.status == 130, "\(output)")
                #expect(output.contains("interrupted: run 1 of killshire recorded as interrupted"), "\(output)")
                #expect(stopTime < 5, "stopping took \(stopTime) s")
                let measures = try MeasureStore(path: store)
                let run = try #require(try measures.runs(site: "killshire").first)
                #expect(run.status == .interrupted)
                #expect(run.counts.collected >= 4)
                #expect(try measures.measureCount() == run.counts.collected)
                #expect(try measures.integrityCheck() == ["ok"])
            }
        }
    }
}
