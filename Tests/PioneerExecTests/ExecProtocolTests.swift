// The protocol's failures as a site meets them: each bad plugin fails its own
// indicator-periods with a message naming it and its last stderr lines, while the
// built-in indicator beside it is collected and stored all the same.
import Foundation
import PioneerCollect
import PioneerKit
import PioneerStore
import PioneerTesting
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(5)))
struct ExecProtocolTests {
    /// Collects the fixture site with `plugins`, checks the built-in indicator was collected
    /// and stored, and returns the summary with the fixture.
    private func collect(_ plugins: [ExecPluginEntry],
                         _ check: (CollectionSummary, ExecSiteFixture) throws -> Void) async throws {
        let feed = ExecSiteFixture.feed()
        try await feed.run { _ in
            try await withTemporaryFolder(prefix: "pioneer-exec") { folder in
                let fixture = try ExecSiteFixture(folder: folder, port: feed.port, plugins: plugins)
                let summary = try await fixture.collect()
                let beds = summary.results(of: "beds")
                #expect(beds.map(\.outcome) == [.collected, .collected, .collected], "the built-in indicator beside it: \(beds)")
                let stored = try MeasureStore(path: summary.store).measures(MeasureQuery(site: "execshire", indicator: "beds"))
                #expect(stored.map(\.measure.observation.value) == [20, 21, 22])
                try check(summary, fixture)
            }
        }
    }

    private func reasons(_ summary: CollectionSummary, _ indicator: String) -> [String] {
        summary.results(of: indicator).map { $0.reason ?? "" }
    }

    @Test func aGoodPluginIsCollectedWithAProcessPerCallWhenItTakesOnePeriodAtATime() async throws {
        try await collect([ExecPluginEntry(name: "counts", script: "modes.py", args: ["good"])]) { summary, fixture in
            let results = summary.results(of: "admissions-counts")
            #expect(results.map(\.outcome) == [.collected, .collected, .collected], "\(results)")
            #expect(results.map(\.value) == [120, 121, 122])
            #expect(results.map(\.denominator) == [1000, 1000, 1000])
            let starts = fixture.starts()
            #expect(starts.count == 7, "describe once, then requests and observe per period: \(starts)")
            #expect(starts.filter { $0 == "describe" }.count == 1)
            #expect(starts.filter { $0 == "requests" }.count == 3)
            #expect(starts.filter { $0 == "observe" }.count == 3)
        }
    }

    @Test func aPluginDeclaredWithBodiesInFilesReadsEachFromItsFileWhichIsRemovedAfterTheCall() async throws {
        try await collect([ExecPluginEntry(name: "counts", script: "modes.py", args: ["good"], extra: ["bodies: file"])]) { summary, fixture in
            let results = summary.results(of: "admissions-counts")
            #expect(results.map(\.outcome) == [.collected, .collected, .collected], "\(results)")
            #expect(results.map(\.value) == [120, 121, 122])
            let log = fixture.startLog.path + ".bodies"
            let files = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            #expect(files.count == 3, "one body file per period: \(files)")
            for file in files {
                #expect(file.hasPrefix("/"), "an absolute path: \(file)")
                #expect(!FileManager.default.fileExists(atPath: file), "the small body written for the call is removed: \(file)")
            }
        }
    }

    @Test func aBatchPluginGetsEveryPeriodOfTheRunInOneRequestsAndOneObserveCall() async throws {
        try await collect([ExecPluginEntry(name: "counts", script: "modes.py", args: ["good", "--batch"])]) { summary, fixture in
            let results = summary.results(of: "admissions-counts")
            #expect(results.map(\.outcome) == [.collected, .collected, .collected], "\(results)")
            #expect(results.map(\.value) == [120, 121, 122])
            #expect(fixture.starts() == ["describe", "requests", "observe"])
        }
    }

    @Test func aPluginThatHangsIsStoppedAtItsDeadlineWithItsWholeProcessGroup() async throws {
        // One batch call that never answers, with a child `sleep 300` of its own; the suite's
        // two-minute limit is the bound on waiting for either.
        try await collect([ExecPluginEntry(name: "stuck", script: "hang.sh", deadline: "5")]) { summary, fixture in
            for reason in reasons(summary, "admissions-stuck") {
                // Naming the call that ran out of time.
                #expect(reason.contains("plugin `stuck`: did not answer its `requests` call within its deadline of 5 seconds and was stopped")
                        || reason.contains("plugin `stuck`: did not answer its `observe` call within its deadline of 5 seconds and was stopped"), "\(reason)")
                #expect(reason.contains("its last stderr lines: \"starting the long wait\""), "\(reason)")
            }
            #expect(summary.results(of: "admissions-stuck").map(\.outcome) == [.failed, .failed, .failed])
            let child = try #require(fixture.childPID())
            #expect(!isRunning(child), "the plugin's child `sleep 300` was stopped with it")
        }
    }

    /// Found by a tester: three hung calls held both plugin threads, and the built-in
    /// indicator beside them waited a deadline for a free one.
    @Test func hungPluginProgramsDoNotHoldUpTheBuiltInPluginsThreads() async throws {
        let feed = ExecSiteFixture.feed()
        try await feed.run { _ in
            try await withTemporaryFolder(prefix: "pioneer-exec") { folder in
                // Not taking batches: an `observe` call (and a program) for each of the three months.
                let hung = (1...3).map { ExecPluginEntry(name: "stuck\($0)", script: "modes.py", args: ["observehang"], deadline: "6") }
                let fixture = try ExecSiteFixture(folder: folder, port: feed.port, plugins: hung)
                // Times from the end of planning (which asks each program for its requests, and
                // takes long on a loaded machine), in seconds.
                let clock = ContinuousClock()
                let planned = Mutex<ContinuousClock.Instant?>(nil)
                let finished = Mutex<[String: Duration]>([:])
                // One thread for the built-in plugins: before, the hung calls took it first.
                let summary = try await fixture.collect(pluginWorkers: 1) { event in
                    switch event {
                    case .planned:
                        planned.withLock { $0 = clock.now }
                    case .completed(_, let result):
                        let elapsed = (planned.withLock { $0 } ?? clock.now).duration(to: clock.now)
                        finished.withLock { $0[result.indicator] = max($0[result.indicator] ?? .zero, elapsed) }
                    default:
                        break
                    }
                }
                #expect(summary.results(of: "beds").map(\.outcome) == [.collected, .collected, .collected])
                for plugin in hung {
                    #expect(summary.results(of: "admissions-\(plugin.name)").map(\.outcome) == [.failed, .failed, .failed])
                }
                let times = finished.withLock { $0 }
                let beds = try #require(times["beds"])
                // On a heavily loaded machine a program can miss its deadline already at its
                // `requests` call, during planning: its indicator-periods then fail as planning
                // ends, which says nothing about the threads. Only the `observe` calls that hung count.
                let hungInObserve = (1...3).filter { index in
                    reasons(summary, "admissions-stuck\(index)").allSatisfy { $0.contains("`observe` call") }
                }
                if let firstHung = hungInObserve.compactMap({ times["admissions-stuck\($0)"] }).min() {
                    #expect(beds < firstHung, "the built-in indicator finished at \(beds), after a hung call's deadline (\(firstHung))")
                }
                // Nine calls, eight at once: about two deadlines (12 s), not nine (54 s) one after another.
                #expect(try #require((1...3).compactMap { times["admissions-stuck\($0)"] }.max()) < .seconds(36))
            }
        }
    }

    @Test func anObservationWithAValueAndNotAvailableOrTwoForOnePeriodIsNotAProtocolAnswer() async throws {
        try await collect([ExecPluginEntry(name: "both", script: "modes.py", args: ["both"])]) { summary, _ in
            #expect(summary.results(of: "admissions-both").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-both") {
                #expect(reason.contains("`observations[0]` has both `value` and `not_available`; give a value or say why there is none, never both"), "\(reason)")
            }
        }
        // A key written twice: which value was meant is not defined, so neither is taken (99 was).
        try await collect([ExecPluginEntry(name: "repeatkey", script: "modes.py", args: ["repeatkey"])]) { summary, _ in
            #expect(summary.results(of: "admissions-repeatkey").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-repeatkey") {
                #expect(reason.contains("the member \"value\" appears twice in one object"), "\(reason)")
            }
        }
        try await collect([ExecPluginEntry(name: "twice", script: "modes.py", args: ["twice"])]) { summary, _ in
            #expect(summary.results(of: "admissions-twice").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-twice") {
                #expect(reason.contains("`observations[1]` is a second observation for 2026-0"), "\(reason)")
            }
        }
    }

    /// Found by a tester: a `describe` without `observe` was taken, and `observe` called anyway.
    @Test func aDescribeWithoutObserveFailsTheIndicatorsPeriods() async throws {
        try await collect([ExecPluginEntry(name: "noobserve", script: "modes.py", args: ["noobserve"])]) { summary, _ in
            #expect(summary.results(of: "admissions-noobserve").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-noobserve") {
                #expect(reason.contains("`describe` lists the methods `validate`, `requests` without `observe`, which every plugin answers"), "\(reason)")
            }
        }
    }

    /// Found by a tester: both URLs were fetched and listed in provenance, but the plugin was
    /// given only the first body.
    @Test func twoRequestsWithOneKeyFailThePeriod() async throws {
        try await collect([ExecPluginEntry(name: "dupkey", script: "modes.py", args: ["dupkey"])]) { summary, _ in
            #expect(summary.results(of: "admissions-dupkey").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-dupkey") {
                #expect(reason.contains("asked for two feed requests with the key `admissions` for 2026-0"), "\(reason)")
                #expect(reason.contains("(requests 1 and 2); each request of a period needs a key of its own"), "\(reason)")
            }
        }
    }

    @Test func aPluginThatCrashesFailsItsPeriodsNamingTheSignal() async throws {
        try await collect([ExecPluginEntry(name: "fragile", script: "modes.py", args: ["crash"])]) { summary, _ in
            #expect(summary.results(of: "admissions-fragile").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-fragile") {
                #expect(reason.contains("plugin `fragile`: was ended by signal 11 (SIGSEGV, a crash) before it answered"), "\(reason)")
                #expect(reason.contains("\"about to fall over\""), "\(reason)")
            }
        }
    }

    @Test func aPluginThatExitsNonZeroFailsItsPeriodsWithItsStatusAndStderr() async throws {
        try await collect([ExecPluginEntry(name: "strict", script: "modes.py", args: ["exit3"])]) { summary, _ in
            #expect(summary.results(of: "admissions-strict").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-strict") {
                #expect(reason.contains("plugin `strict`: exited with status 3"), "\(reason)")
                #expect(reason.contains("its last stderr lines: \"observe for 1 period(s)\" | \"the extract has no `month` column\""), "\(reason)")
            }
        }
    }

    @Test func aPluginThatPrintsJunkFailsItsPeriodsQuotingWhatItWrote() async throws {
        try await collect([ExecPluginEntry(name: "chatty", script: "modes.py", args: ["junk"])]) { summary, _ in
            #expect(summary.results(of: "admissions-chatty").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-chatty") {
                #expect(reason.contains("plugin `chatty`: answered something that is not a protocol answer: stdout is not JSON"), "\(reason)")
                #expect(reason.contains("it begins \"Traceback? no: just some words, not JSON"), "\(reason)")
            }
        }
    }

    @Test func aPluginThatPrintsAHundredMegabytesIsStoppedAtTheOutputLimit() async throws {
        // At a limit of 4 MB, not the default 64 MB (ExecConfigTests checks the default): under the
        // whole suite, reading 64 MB a pipe's worth at a time once outlasted the 60 s deadline.
        let flood = ExecPluginEntry(name: "flood", script: "modes.py", args: ["flood", "--batch"], extra: ["max_output: 4MB"])
        try await collect([flood]) { summary, fixture in
            #expect(summary.results(of: "admissions-flood").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-flood") {
                #expect(reason.contains("plugin `flood`: wrote more than 4 MB on stdout and was stopped"), "\(reason)")
            }
            #expect(fixture.starts() == ["describe", "requests", "observe"])
        }
    }

    @Test func aPluginOfAnotherProtocolVersionIsToldBothVersionsAndStartedOnce() async throws {
        try await collect([ExecPluginEntry(name: "future", script: "modes.py", args: ["version2"])]) { summary, fixture in
            #expect(summary.results(of: "admissions-future").map(\.outcome) == [.failed, .failed, .failed])
            for reason in reasons(summary, "admissions-future") {
                #expect(reason.contains("plugin `future`: its `describe` call failed"), "\(reason)")
                #expect(reason.contains("speaks protocol version 2; this pioneer speaks version 1"), "\(reason)")
            }
            #expect(fixture.starts() == ["describe"], "a plugin that cannot describe itself is asked nothing more")
        }
    }

    @Test func aPluginThatAsksForAFeedTheSiteDoesNotDeclareFailsThosePeriods() async throws {
        try await collect([ExecPluginEntry(name: "nosy", script: "modes.py", args: ["badfeed", "--batch"])]) { summary, fixture in
            #expect(summary.results(of: "admissions-nosy").map(\.outcome) == [.failed, .failed, .failed])
            for (month, reason) in zip(ExecSiteFixture.months, reasons(summary, "admissions-nosy")) {
                #expect(reason.contains("plugin `nosy`: asked for feed `warehouse` for \(month), which the site does not declare; the site declares `bi`"), "\(reason)")
                #expect(reason.contains("\"requests for 3 period(s)\""), "\(reason)")
            }
            #expect(fixture.starts() == ["describe", "requests"], "nothing was fetched or observed for it")
        }
    }

    @Test func aChildLeftBehindNeitherDelaysTheAnswerNorOutlivesTheCall() async throws {
        // The child holds stdout open for 300 s and the deadline is 600 s: an answer that waited
        // for either would fail at the deadline, long after the suite's two-minute limit.
        try await collect([ExecPluginEntry(name: "parent", script: "modes.py", args: ["orphan", "--batch"], deadline: "600")]) { summary, fixture in
            let results = summary.results(of: "admissions-parent")
            #expect(results.map(\.outcome) == [.collected, .collected, .collected], "\(results)")
            let child = try #require(fixture.childPID())
            #expect(!isRunning(child), "the `sleep 300` it started holding its stdout was killed with its group")
        }
    }
}
