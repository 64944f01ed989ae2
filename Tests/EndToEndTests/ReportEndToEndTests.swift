// The real `pioneer report` on what the demo collected: a page per site with a chart per goal,
// written whole or not at all, then opened in headless Chromium like the made-up report.
import Foundation
import PioneerStore
import PioneerTesting
import Testing

@Suite("pioneer report end to end", .serialized, .timeLimit(.minutes(5)))
struct ReportEndToEndTests {
    static let sites = PioneerBinary.packageRoot.appendingPathComponent("sites").path

    @Test func theReportOfADemoStoreShowsEveryGoalAndOpensInChromium() async throws {
        try await withTemporaryFolder(prefix: "pioneer-report-e2e") { scratch in
            // The demo of Torbay alone: a quarter of the whole demo's work, beside the suite's other tests.
            let root = scratch.appendingPathComponent("sites")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.sites + "/torbay", toPath: root.appendingPathComponent("torbay").path)
            let stores = scratch.appendingPathComponent("stores").path
            let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
            let demo = try await ReportChromium.lowPriority(pioneer.path, ["demo", "--root", root.path, "--store-dir", stores], timeout: 120)
            try #require(demo.status == 0 && !demo.timedOut, "pioneer demo exited \(demo.status):\n\(demo.stderr)")

            let output = scratch.appendingPathComponent("torbay.html")
            let run = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store-dir", stores, "--output", output.path])
            #expect(run.status == 0, "pioneer report exited \(run.status):\n\(run.stderr)")
            #expect(run.stdout.hasPrefix("Wrote \(output.path): 3 goals: "), "\(run.stdout)")
            let html = try String(contentsOf: output, encoding: .utf8)
            #expect(html.contains("<h1>Torbay and South Devon: progress on goals</h1>"))
            for goal in ["fewer-emergency-admissions", "care-plans-for-frail-patients", "tell-my-story-once"] {
                #expect(html.contains("data-goal=\"\(goal)\" data-indicator="), "no section for \(goal)")
            }
            // The goals' indicators: an outcome, a process measure and patient experience, each in its group.
            #expect(html.contains("<h2>Patient experience</h2>"))
            #expect(html.components(separatedBy: "<svg class=\"spc-chart\"").count - 1 == 3)
            #expect(html.contains("Reduce emergency admissions of people aged 65+ by 10% by March 2027"))
            #expect(html.contains("target 18.7 by 2027-03"))
            #expect(html.contains("Two in three people agree &quot;I tell my story only once&quot; by March 2027"))
            #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent(".torbay.html.tmp").path))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")

            let visit = try await ReportChromium.visit(output, screenshot: "report-demo.png")
            ReportBrowserChecks.check(visit, charts: 3)

            // As at an earlier period: later data is left out of the judgement.
            let earlier = scratch.appendingPathComponent("torbay-2025-03.html")
            let asAt = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store-dir", stores,
                                                    "--output", earlier.path, "--period", "2025-03"])
            #expect(asAt.status == 0, "\(asAt.stderr)")
            let earlierHTML = try String(contentsOf: earlier, encoding: .utf8)
            #expect(earlierHTML.contains("Each goal judged as at 2025-03,"))

            // A failed run leaves the earlier report as it was.
            let before = try Data(contentsOf: output)
            let failed = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store-dir", scratch.path, "--output", output.path])
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("measure store \(scratch.path)/torbay.sqlite: no measures collected for site `torbay`"), "\(failed.stderr)")
            #expect(try Data(contentsOf: output) == before)
        }
    }

    @Test func theStoreGivenAsTheOutputIsRefusedAndKept() async throws {
        try await withTemporaryFolder(prefix: "pioneer-report-e2e") { scratch in
            let store = scratch.appendingPathComponent("torbay.sqlite").path
            _ = try MeasureStore(path: store)
            let before = try Data(contentsOf: URL(fileURLWithPath: store))
            let run = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store", store, "--output", store])
            #expect(run.status == 1)
            #expect(run.stderr == "error: cannot write the report to \(store): it is a SQLite database (a measure store?), which is never overwritten; give another file name\n", "\(run.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
            let measures = try await PioneerBinary.run(["measures", Self.sites + "/torbay", "--store", store])
            #expect(measures.status == 0, "the store still opens: \(measures.stderr)")
        }
    }

    @Test func aDashOutputWritesTheReportToStandardOutput() async throws {
        try await withTemporaryFolder(prefix: "pioneer-report-e2e") { scratch in
            let store = scratch.appendingPathComponent("torbay.sqlite").path
            _ = try MeasureStore(path: store)
            let run = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store", store, "--output", "-"], in: scratch.path)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("<!DOCTYPE html>"), "\(run.stdout.prefix(80))")
            #expect(run.stderr == "3 goals: 3 no data.\n")
            #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("-").path), "no file named -")
        }
    }

    @Test func anOutputUnderAFileNamesTheFile() async throws {
        try await withTemporaryFolder(prefix: "pioneer-report-e2e") { scratch in
            let store = scratch.appendingPathComponent("torbay.sqlite").path
            _ = try MeasureStore(path: store)
            let file = scratch.appendingPathComponent("torbay.html").path
            _ = FileManager.default.createFile(atPath: file, contents: Data("<html></html>".utf8))
            let run = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store", store, "--output", file + "/x.html"])
            #expect(run.status == 1)
            #expect(run.stderr == "error: cannot write the report to \(file)/x.html: \(file) is a file, not a folder\n", "\(run.stderr)")
        }
    }

    @Test func anOutputInAMissingFolderIsNamedInTheError() async throws {
        try await withTemporaryFolder(prefix: "pioneer-report-e2e") { scratch in
            // An empty store is enough: the command reaches the write and fails there.
            let store = scratch.appendingPathComponent("torbay.sqlite").path
            _ = try MeasureStore(path: store)
            let missing = scratch.appendingPathComponent("no-such-folder/torbay.html").path
            let run = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store", store, "--output", missing])
            #expect(run.status == 1)
            #expect(run.stderr == "error: cannot write the report to \(missing): the folder \(scratch.path)/no-such-folder does not exist\n", "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("no-such-folder").path))

            // Goals with nothing collected still make a report, each saying why it has no chart.
            let empty = scratch.appendingPathComponent("empty.html")
            let written = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--store", store, "--output", empty.path])
            #expect(written.status == 0, "\(written.stderr)")
            #expect(written.stdout == "Wrote \(empty.path): 3 goals: 3 no data.\n")
            let html = try String(contentsOf: empty, encoding: .utf8)
            #expect(html.components(separatedBy: "<p class=\"no-chart\">No chart: nothing collected yet.</p>").count - 1 == 3)
            #expect(!html.contains("<svg class=\"spc-chart\""))
        }
    }

    @Test func theOutputIsRequiredAndMustNameAFile() async throws {
        let none = try await PioneerBinary.run(["report", Self.sites + "/torbay"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("Missing expected argument '--output <file.html>'"), "\(none.stderr)")
        let folder = try await PioneerBinary.run(["report", Self.sites + "/torbay", "--output", "reports/"])
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("--output names a folder (reports/); give a file, such as reports/report.html"), "\(folder.stderr)")
    }
}
