// `pioneer bench-intake`: the intake service's load test client, for scripts/bench-intake.sh
// and the kill test: distinct signed returns sent by many concurrent clients, then the database checked.
import ArgumentParser
import Foundation

struct BenchIntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-intake",
        abstract: "Submit many distinct returns at once to a running `pioneer serve`, then check its database.",
        discussion: """
        Makes --count distinct signed returns of --indicators values each, for the sites in \
        --tokens (one `SITE TOKEN` pair a line) over --months months from --first-month, and posts \
        them to URL/v1/returns with --concurrency in flight, each with its site's token. \
        Given --to more than once, submission i goes to server i modulo their number (several \
        servers on one database); --save also writes each return sent to DIR/SITE/PERIOD.json \
        (the first version of each), for `pioneer aggregate` over the same returns as files. \
        Prints submissions per second, p50 and p99 latency, and, with --db, what the database \
        holds against what was answered 2xx (the count lost). scripts/bench-intake.sh \
        (`make bench-intake`) runs it against a fresh server; see docs/intake.md.

        Exit status: 0 every submission answered 2xx and (with --db) the database holds \
        exactly those, 1 otherwise or when the test could not run, 2 usage error.
        """,
        shouldDisplay: false
    )

    @Option(help: ArgumentHelp("The service's base URL (loopback); repeat it for several servers, used in turn.", valueName: "url"))
    var to: [String]

    @Option(help: ArgumentHelp("File of `SITE TOKEN` lines: the sites to submit for and their tokens.", valueName: "file"))
    var tokens: String

    @Option(help: ArgumentHelp("Submissions to send.", valueName: "count"))
    var count: Int = 3000

    @Option(name: .customLong("warm-up"), help: ArgumentHelp(
        "Submissions sent before the measured ones, in the same stream, and left out of the rate and latency (a server that has just started answers its first requests slowly); the database check covers them.",
        valueName: "count"))
    var warmUp: Int = 0

    @Option(help: ArgumentHelp("Submissions in flight at once.", valueName: "count"))
    var concurrency: Int = 32

    @Option(help: ArgumentHelp("Months the returns are spread over, from --first-month.", valueName: "count"))
    var months: Int = 24

    @Option(name: .customLong("first-month"), help: ArgumentHelp("The first month of the returns, YYYY-MM.", valueName: "month"))
    var firstMonth: String = "2024-01"

    @Option(help: ArgumentHelp("Indicators (values) in each return.", valueName: "count"))
    var indicators: Int = 150

    @Option(name: .customLong("max-seconds"), help: ArgumentHelp("Stop starting submissions after this many seconds.", valueName: "seconds"))
    var maxSeconds: Double = 60

    @Option(help: ArgumentHelp("Seconds allowed for one submission.", valueName: "seconds"))
    var timeout: Double = 10

    @Option(help: ArgumentHelp("The service's database: checked, once every answer is in, to hold exactly the submissions answered 2xx.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Also write each return to this folder as SITE/PERIOD.json (its first version).", valueName: "folder"))
    var save: String?

    @Option(help: ArgumentHelp("Append `DIGEST STATUS` for each 2xx answer to this file as it comes (for the kill test).", valueName: "file"))
    var record: String?

    @Option(help: ArgumentHelp("Write `SENT_SECONDS LATENCY_MS STATUS` for every measured submission to this file, in the order sent (seconds from the start of the run), to find when slow answers came.", valueName: "file"))
    var timeline: String?

    func validate() throws {
        guard !to.isEmpty else { throw ValidationError("give the service's base URL with --to") }
        guard Self.month(firstMonth) != nil else {
            throw ValidationError("--first-month `\(firstMonth)` is not a month; write YYYY-MM, e.g. 2023-11")
        }
        for (name, value, limit) in [("--count", count, 1_000_000), ("--concurrency", concurrency, 1024),
                                     ("--months", months, 600), ("--indicators", indicators, 10_000)]
            where !(1...limit).contains(value) {
            throw ValidationError("\(name) must be between 1 and \(limit), got \(value)")
        }
        guard (0...100_000).contains(warmUp) else { throw ValidationError("--warm-up must be between 0 and 100000, got \(warmUp)") }
        for (name, value) in [("--max-seconds", maxSeconds), ("--timeout", timeout)] where !(value.isFinite && value > 0) {
            throw ValidationError("\(name) must be a number of seconds above 0, got \(value)")
        }
    }

    func run() async throws {
        do {
            try await measure()
        } catch let error as BenchIntakeError {
            StandardError.write("error: \(error)\n")
            throw ExitCode(1)
        }
    }

    private func measure() async throws {
        var endpoints: [String] = []
        for url in to {
            do {
                endpoints.append(try SubmitTarget(url).endpoint)
            } catch {
                throw BenchIntakeError(error.message)
            }
        }
        let siteTokens = try readTokens()
        let clock = ContinuousClock()
        let made = clock.now
        let first = Self.month(firstMonth) ?? BenchIntakeReturns.defaultFirstMonth
        let returns = try BenchIntakeReturns(sites: siteTokens.map(\.site), months: months, indicators: indicators, firstMonth: first)
        let size = try returns.submission(0).body.count
        StandardError.write("bench-intake: \(siteTokens.count * months) returns of \(indicators) values "
                            + "(\(size / 1024) KB each) made in "
                            + "\(Self.fixed(IntakeLoad.seconds(made.duration(to: clock.now)), 2)) s; sending \(count), "
                            + "\(concurrency) in flight\n")

        if let save {
            try returns.save(count: count, to: save)
        }
        let recorder = try record.map { try Recorder(path: $0) }
        let load = IntakeLoad(endpoints: endpoints, tokens: Dictionary(siteTokens.map { ($0.site, $0.token) }) { first, _ in first },
                              concurrency: concurrency, timeout: timeout)
        let record: @Sendable (IntakeLoad.Answer) -> Void = { answer in
            if let status = answer.status, (200...299).contains(status) {
                recorder?.write("\(answer.digest) \(status)\n")
            }
        }
        // One run: the warm-up's submissions first, then the measured ones, with no pause between,
        // so the measured part starts with the server busy rather than with a burst of them all at once.
        let (all, wholeSeconds) = try await load.run(count: warmUp + count, returns: returns, maxSeconds: maxSeconds, onAnswer: record)
        let warmUpAnswers = all.filter { $0.index < warmUp }
        let answers = all.filter { $0.index >= warmUp }
        // The measured part lasts from its first submission sent to its last answer.
        var seconds = wholeSeconds
        if warmUp > 0 {
            let begin = answers.map(\.sentAt).min() ?? 0, end = answers.map { $0.sentAt + $0.latency }.max() ?? 0
            seconds = max(end - begin, 0)
            let answered = warmUpAnswers.filter { ($0.status.map { (200...299).contains($0) }) ?? false }
            let latencies = answered.map(\.latency)
            StandardOutput.write("warm-up (left out of the figures below): \(warmUpAnswers.count) sent, \(answered.count) answered 2xx; "
                                 + "latency p50 \(Self.fixed(IntakeLoad.quantile(latencies, 0.5) * 1000, 1)) ms, "
                                 + "max \(Self.fixed((latencies.max() ?? 0) * 1000, 1)) ms\n")
        }

        if let timeline {
            let lines = answers.sorted { $0.sentAt < $1.sentAt }.map { answer in
                // Measured submissions only; times from the start of the run.
                "\(Self.fixed(answer.sentAt, 4)) \(Self.fixed(answer.latency * 1000, 2)) \(answer.status.map(String.init) ?? "none")\n"
            }
            do {
                try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: timeline))
            } catch {
                throw BenchIntakeError("could not write the timeline to \(timeline): \(error.localizedDescription)")
            }
        }
        var byStatus: [Int: Int] = [:]
        var failures: [String: Int] = [:]
        for answer in answers {
            if let status = answer.status {
                byStatus[status, default: 0] += 1
            } else {
                failures[answer.failure ?? "no answer", default: 0] += 1
            }
        }
        let succeeded = answers.filter { ($0.status.map { (200...299).contains($0) }) ?? false }
        let latencies = succeeded.map(\.latency)
        let rate = seconds > 0 ? Double(succeeded.count) / seconds : 0
        let p50 = IntakeLoad.quantile(latencies, 0.5) * 1000, p99 = IntakeLoad.quantile(latencies, 0.99) * 1000
        let statuses = byStatus.keys.sorted().map { "\($0): \(byStatus[$0] ?? 0)" }.joined(separator: ", ")
        var lines = [
            "submissions: \(answers.count) sent of \(count), \(succeeded.count) answered 2xx"
                + (statuses.isEmpty ? "" : " (\(statuses))") + ", \(failures.values.reduce(0, +)) without an answer",
            "time: \(Self.fixed(seconds, 2)) s, \(Self.fixed(rate, 1)) submissions/s",
            "latency of the 2xx answers: p50 \(Self.fixed(p50, 1)) ms, p99 \(Self.fixed(p99, 1)) ms, "
                + "max \(Self.fixed((latencies.max() ?? 0) * 1000, 1)) ms",
        ]
        for (reason, times) in failures.sorted(by: { $0.value > $1.value }).prefix(3) {
            lines.append("no answer \(times)x: \(reason)")
        }
        let warmUpSucceeded = warmUpAnswers.filter { ($0.status.map { (200...299).contains($0) }) ?? false }
        var exact = succeeded.count == count && warmUpSucceeded.count == warmUp
        var lost = "unchecked"
        if let db {
            let digests = Set((warmUpSucceeded + succeeded).map(\.digest))
            let check = try await IntakeLoadCheck.check(database: db, acceptedDigests: digests)
            lines.append("database: \(check.stored) accepted submissions stored (\(check.storedDigests) distinct digests) "
                         + "against \(check.answered) answered 2xx; lost \(check.lost.count); "
                         + "stored without a 2xx answer \(check.unanswered)")
            for digest in check.lost.prefix(5) { lines.append("lost: \(digest)") }
            exact = exact && check.exact
            lost = "\(check.lost.count)"
        }
        // One line for scripts to read.
        lines.append("result: rate=\(Self.fixed(rate, 1)) p50_ms=\(Self.fixed(p50, 1)) p99_ms=\(Self.fixed(p99, 1)) "
                     + "answered=\(succeeded.count) sent=\(answers.count) lost=\(lost)")
        StandardOutput.write(lines.joined(separator: "\n") + "\n")
        if !exact { throw ExitCode(1) }
    }

    /// The `SITE TOKEN` pairs of --tokens, in file order.
    private func readTokens() throws -> [(site: String, token: String)] {
        let text: String
        do {
            text = try String(contentsOfFile: tokens, encoding: .utf8)
        } catch {
            throw BenchIntakeError("cannot read the tokens file \(tokens)")
        }
        var pairs: [(site: String, token: String)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw BenchIntakeError("\(tokens):\(number + 1): expected `SITE TOKEN`, found \(fields.count) fields")
            }
            pairs.append((String(fields[0]), String(fields[1])))
        }
        guard !pairs.isEmpty else { throw BenchIntakeError("\(tokens) names no sites") }
        return pairs
    }

    /// The year and month of `YYYY-MM`, nil when it is not one.
    static func month(_ text: String) -> (year: Int, month: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), year >= 1900 else { return nil }
        return (year, month)
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// Appends lines to a file at once, from any thread: what was answered survives the client being stopped.
    private final class Recorder: Sendable {
        private let handle: FileHandle
        private let lock = NSLock()

        init(path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw BenchIntakeError("cannot write the record file \(path)")
            }
            self.handle = handle
        }

        func write(_ line: String) {
            lock.lock()
            defer { lock.unlock() }
            try? handle.write(contentsOf: Data(line.utf8))
        }
    }
}
