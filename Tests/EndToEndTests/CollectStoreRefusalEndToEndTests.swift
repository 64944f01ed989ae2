// `pioneer collect` into a store that stops taking writes part-way (the disk fills up, or the
// file reaches the size the process may write): the run stops at the first refusal, says so once
// with the reason and what was kept, and does not try, and report, every indicator-period left.
import Foundation
import Hummingbird
import PioneerStore
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct CollectStoreRefusalEndToEndTests {
    private static let indicators = 400

    /// Runs pioneer with `arguments` under a limit on the size of a file it may write, in KB.
    private static func runWithFileSizeLimit(_ kilobytes: Int, _ arguments: [String]) async throws -> PioneerBinary.Run {
        let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
        // POSIX sh counts the limit in blocks of 512 bytes.
        return try await PioneerBinary.run(
            process: URL(fileURLWithPath: "/bin/sh"),
            ["-c", "ulimit -f \(kilobytes * 2) && exec \"$0\" \"$@\"", pioneer.path] + arguments)
    }

    @Test func aStoreThatStopsTakingWritesStopsTheRunOnceKeepingWhatWasWritten() async throws {
        let router = Router()
        router.get("**") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"value": 7}"#)))
        }
        try await withLoopbackServer(router, label: "pioneer.store-refusal.feed") { port in
            try await withTemporaryFolder(prefix: "pioneer-store-refusal") { root in
                let site = root.appending(path: "full")
                try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
                try ManyIndicatorsSite.yaml("full", baseURL: "http://127.0.0.1:\(port)", count: Self.indicators)
                    .write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
                let store = root.appending(path: "store.sqlite").path
                let arguments = ["collect", site.path, "--period", "2026-05", "--store", store, "--max-parallel", "8"]

                // 300 KB holds some of the 400 measures and their provenance, never all of them.
                let run = try await Self.runWithFileSizeLimit(300, arguments)
                #expect(run.status == 3, "\(run.stdout) \(run.stderr)")
                let reason = "measure store \(store): the file has reached the largest size this process may write "
                    + "(300 KB, `ulimit -f`); raise the limit"
                // Said once as it happens, and once in the report, with what was kept.
                #expect(run.stderr.contains("full: stopped: \(reason); the indicator-periods left are not collected\n"),
                        "\(run.stderr)")
                let stopped = try #require(run.stdout.range(of: "Stopped: \(reason). "), "\(run.stdout)")
                let counts = run.stdout[stopped.upperBound...].prefix { $0 != "\n" }
                let numbers = counts.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                #expect(counts.hasSuffix("not collected. Once the store can be written again, run the same command to finish."),
                        "\(counts)")
                let kept = try #require(numbers.first)
                #expect(numbers.count == 2 && kept > 0 && numbers[1] > 0 && kept + numbers[1] == Self.indicators, "\(counts)")
                // No line per indicator-period left, neither as progress nor in the report.
                #expect(!run.stdout.contains("Failed:"), "\(run.stdout)")
                #expect(!run.stderr.contains("not collected: the run stopped"), "\(run.stderr)")
                #expect(!run.stderr.contains("cannot record"), "\(run.stderr)")
                #expect(run.stderr.split(separator: "\n").count <= kept + 2, "\(run.stderr)")

                // What the report says was kept is in the store, and the run is on record as cut short.
                let reader = try MeasureStore(readingAt: store)
                #expect(try reader.measureCount() == kept)
                let runs = try reader.runs()
                #expect(runs.count == 1)
                // Closed as interrupted when the store still took that small write; left open
                // otherwise, for the next collect to mark.
                let first = try #require(runs.first)
                #expect(first.status == .interrupted || first.status == .running)
                if first.status == .interrupted { #expect(first.counts.collected == kept) }

                // --quiet, into a new store: the stop alone, on one line.
                let other = root.appending(path: "other.sqlite").path
                let quiet = try await Self.runWithFileSizeLimit(
                    300, ["collect", site.path, "--period", "2026-05", "--store", other, "--max-parallel", "8", "--quiet"])
                #expect(quiet.status == 3, "\(quiet.stderr)")
                #expect(quiet.stdout.isEmpty)
                #expect(quiet.stderr.hasPrefix("full: stopped: measure store \(other): the file has reached the largest size "),
                        "\(quiet.stderr)")
                #expect(quiet.stderr.contains(" indicator-periods done and kept, "), "\(quiet.stderr)")
                #expect(quiet.stderr.split(separator: "\n").count == 1, "\(quiet.stderr)")

                // With room again, the same command finishes the work.
                let again = try await PioneerBinary.run(arguments + ["--quiet"])
                #expect(again.status == 0, "\(again.stderr)")
                let finished = try MeasureStore(readingAt: store)
                #expect(try finished.measureCount() == Self.indicators)
                #expect(try finished.runs().map(\.status).sorted { $0.rawValue < $1.rawValue } == [.finished, .interrupted])
            }
        }
    }
}
