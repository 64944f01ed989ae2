// PioneerTesting's helpers for recorded feeds and child processes, as plugin authors use them.
import Foundation
import JSONPlugin
import PioneerKit
import PioneerTesting
import Testing

@Suite("Recorded feeds and child processes")
struct RecordedFeedsTests {
    static let config: ConfigLiteral = ["feed": "bi", "path": "/admissions?month={period}", "select": "$.total"]

    @Test func aPeriodsOwnRecordingIsPreferredToTheKeysOne() throws {
        try withTemporaryFolder { folder in
            try #"{"total": 7}"#.write(to: folder.appending(path: "document.json"), atomically: true, encoding: .utf8)
            try #"{"total": 12}"#.write(to: folder.appending(path: "document-2026-06.json"), atomically: true, encoding: .utf8)
            let harness = try PluginHarness(JSONIndicatorPlugin.self, config: Self.config)
            let feeds = RecordedFeeds(folder: folder)
            #expect(try harness.run(.month(2026, 6), recorded: feeds).value == 12)
            #expect(try harness.run(.month(2026, 5), recorded: feeds).value == 7)
        }
    }

    @Test func aQuarterIsFoundUnderItsLabelWithoutSpaces() throws {
        try withTemporaryFolder { folder in
            try #"{"total": 3}"#.write(to: folder.appending(path: "document-FY2026-27Q1.json"), atomically: true, encoding: .utf8)
            let file = try RecordedFeeds(folder: folder).file(for: "document", period: .financialQuarter(2026, 1))
            #expect(file.lastPathComponent == "document-FY2026-27Q1.json")
        }
    }

    @Test func aMissingRecordingNamesWhatWasLookedForAndWhatIsThere() throws {
        try withTemporaryFolder { folder in
            try "x".write(to: folder.appending(path: "other.csv"), atomically: true, encoding: .utf8)
            #expect {
                try RecordedFeeds(folder: folder).file(for: "document", period: .month(2026, 6))
            } throws: { error in
                "\(error)".contains("no recorded body for `document` in 2026-06: looked for document-2026-06.* and document.*")
                    && "\(error)".contains("which holds `other.csv`")
            }
        }
    }

    @Test func aChildGetsItsInputAndItsOutputIsCaptured() async throws {
        let run = try await ChildProcess.run("/bin/sh", ["-c", "tr a-z A-Z; echo oops >&2; exit 3"],
                                             input: Data("plugin\n".utf8), timeout: 300)
        #expect(run.status == 3)
        #expect(run.stdout == "PLUGIN\n")
        #expect(run.stderr == "oops\n")
        #expect(!run.timedOut)
    }

    @Test func aChildPastItsTimeLimitIsStoppedAndSaysSo() async throws {
        // Loose bounds: on a loaded machine the timer fires late, but well before the sleep ends.
        let started = ContinuousClock.now
        let run = try await ChildProcess.run("/bin/sleep", ["600"], timeout: 1)
        #expect(run.timedOut)
        #expect(run.terminationReason == .uncaughtSignal)
        #expect(started.duration(to: .now) < .seconds(300))
    }
}
