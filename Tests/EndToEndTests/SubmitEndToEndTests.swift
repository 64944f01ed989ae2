// `pioneer submit` as a site runs it: the real binary posting real return files to the real
// `pioneer serve` on 127.0.0.1 (accepted, repeated, rejected, refused, server down, no token),
// and to a loopback server that fails on purpose (a 503 or a 429 before it answers).
import Crypto
import Foundation
import Hummingbird
import PioneerIntake
import PioneerReturns
import PioneerTesting
import Testing

@Suite("pioneer submit", .serialized, .timeLimit(.minutes(3)))
struct SubmitEndToEndTests {
    /// The sites the test programme expects.
    static let sites = ["torbay", "cambridge"]

    /// A folder with the programme file, a fresh database, a torbay token and a running server.
    struct Office {
        var folder: URL
        var database: String
        var token: String
        var server: IntakeServeProcess

        /// A return file in the folder: `name`, holding the pretty JSON of `siteReturn`.
        func write(_ siteReturn: SiteReturn, as name: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try ReturnCoding.pretty(siteReturn).write(to: url)
            return url.path
        }

        /// Runs `pioneer submit arguments… --to <server>` with `token` in PIONEER_TOKEN (none when nil).
        func submit(_ arguments: [String], token: String?, to url: String? = nil) async throws -> PioneerBinary.Run {
            try await SubmitEndToEndTests.submit(arguments + ["--to", url ?? server.baseURL], token: token, in: folder)
        }
    }

    static func submit(_ arguments: [String], token: String?, in folder: URL) async throws -> PioneerBinary.Run {
        var environment = ["PATH": "/usr/bin:/bin"]
        environment["PIONEER_TOKEN"] = token
        return try await PioneerBinary.run(["submit"] + arguments, in: folder.path, environment: environment)
    }

    func withOffice(_ kind: IntakeStore.Kind = .sqlite, _ body: (Office) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-submit") { folder in
            let programme = folder.appendingPathComponent("programme.yaml")
            try IntakeServeProcess.programme(sites: Self.sites).write(to: programme, atomically: true, encoding: .utf8)
            let database = try await intakeDatabase(kind, in: folder)
            let token = try await IntakeServeProcess.token(site: "torbay", database: database)
            let server = try await IntakeServeProcess.start(database: database, programme: programme.path, in: folder)
            do {
                try await body(Office(folder: folder, database: database, token: token, server: server))
                await server.stop()
            } catch {
                await server.stop()
                throw error
            }
        }
    }

    /// Torbay's March return: one proportion (care plans) and one rate (admissions).
    static func torbay(plans: (Double, Double) = (30, 100)) throws -> SiteReturn {
        try AggregateEndToEndTests.siteReturn("torbay", plans: plans, admissions: (50, 20000))
    }

    @Test("an accepted return prints its summary and exits 0; sending it again is a duplicate of the same version", arguments: IntakeStore.Kind.allCases)
    func acceptedThenDuplicate(kind: IntakeStore.Kind) async throws {
        try await withOffice(kind) { office in
            let file = try office.write(try Self.torbay(), as: "torbay-2026-03.json")
            let first = try await office.submit([file], token: office.token)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.hasPrefix("\(file): accepted\n"), "\(first.stdout)")
            #expect(first.stdout.contains("  site torbay, period 2026-03, version 1, received "))
            #expect(first.stdout.contains("  values: 2 accepted, 0 with warnings, 0 rejected"))
            #expect(!first.stdout.contains("duplicate"))

            let again = try await office.submit([file], token: office.token)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("version 1,"))
            #expect(again.stdout.contains("  duplicate: the same bytes as version 1, already received; nothing new was stored"))
            for run in [first, again] {
                #expect(!run.stdout.contains(office.token) && !run.stderr.contains(office.token))
            }

            // A changed return is a new version.
            let changed = try office.write(try Self.torbay(plans: (31, 100)), as: "torbay-2026-03-v2.json")
            let second = try await office.submit([changed, "--format", "json"], token: office.token)
            #expect(second.status == 0, "\(second.stderr)")
            let summary = try JSONDecoder().decode(ImportSummary.self, from: Data(second.stdout.utf8))
            #expect(summary.status == .accepted)
            #expect(summary.version == 2)
            #expect(summary.duplicate == false)
            #expect(summary.site == "torbay")
            #expect(summary.period == "2026-03")
            #expect(!again.stdout.contains("does not count"), "version 1 counted when it was sent again")

            // Version 1 again, now that version 2 has replaced it: still "accepted" as the first
            // time, and it says it does not count.
            let stale = try await office.submit([file], token: office.token)
            #expect(stale.status == 0, "\(stale.stderr)")
            #expect(stale.stdout.contains("  problem: version 1 does not count: version 2, received "), "\(stale.stdout)")
            #expect(stale.stdout.contains("is the one that counts; to make this return count, make it again (`pioneer return`) and send that"), "\(stale.stdout)")
        }
    }

    @Test("a rejected return exits 6 and names every rejected value with its reason", arguments: IntakeStore.Kind.allCases)
    func rejected(kind: IntakeStore.Kind) async throws {
        try await withOffice(kind) { office in
            // 130 care plans among 100 people: a proportion above 1, a numerator above its denominator.
            let file = try office.write(try Self.torbay(plans: (130, 100)), as: "torbay-bad.json")
            let run = try await office.submit([file], token: office.token)
            #expect(run.status == 6, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.hasPrefix("\(file): rejected (HTTP 422 Unprocessable"), "\(run.stdout)")
            #expect(run.stdout.contains("  rejected: care-plans (2026-03): `care-plans` for 2026-03 is a proportion of 1.3, outside 0 to 1"),
                    "\(run.stdout)")
            // The whole return is rejected, never a partial success: the valid value is not taken either.
            #expect(run.stdout.contains("  values: 0 accepted, 0 with warnings, 2 rejected"))
            #expect(run.stdout.contains("  rejected: admissions (2026-03): not taken: the return was rejected"))
        }
    }

    @Test("another site's return sent with torbay's token is refused with exit 6", arguments: IntakeStore.Kind.allCases)
    func anotherSitesReturn(kind: IntakeStore.Kind) async throws {
        try await withOffice(kind) { office in
            let cambridge = try AggregateEndToEndTests.siteReturn("cambridge", plans: (200, 1000), admissions: (90, 45000))
            let file = try office.write(cambridge, as: "cambridge.json")
            let run = try await office.submit([file], token: office.token)
            #expect(run.status == 6, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.hasPrefix("\(file): rejected (HTTP 403 Forbidden)"), "\(run.stdout)\n\(run.stderr)")
        }
    }

    @Test("an unknown token is refused with exit 6 and a message that does not show it", arguments: IntakeStore.Kind.allCases)
    func unknownToken(kind: IntakeStore.Kind) async throws {
        try await withOffice(kind) { office in
            let file = try office.write(try Self.torbay(), as: "torbay.json")
            let wrong = "pio_" + String(repeating: "A", count: 43)
            let run = try await office.submit([file], token: wrong)
            #expect(run.status == 6)
            #expect(run.stderr.contains("error: \(file): POST \(office.server.baseURL)/v1/returns refused the token in PIONEER_TOKEN (HTTP 401 Unauthorized)"),
                    "\(run.stderr)")
            #expect(!run.stderr.contains(wrong) && !run.stdout.contains(wrong))
        }
    }

    @Test("without PIONEER_TOKEN nothing is sent and the exit status is 1")
    func noToken() async throws {
        try await withOffice { office in
            let file = try office.write(try Self.torbay(), as: "torbay.json")
            let run = try await office.submit([file], token: nil)
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error: PIONEER_TOKEN is not set"), "\(run.stderr)")
            #expect(run.stderr.contains("nothing was sent to \(office.server.baseURL)/v1/returns"))
            // The service received nothing: the next submission is version 1.
            let sent = try await office.submit([file], token: office.token)
            #expect(sent.stdout.contains("version 1,"), "\(sent.stdout)")
        }
    }

    @Test("a server that is down is retried a bounded number of times, then named with exit 7")
    func serverDown() async throws {
        try await withTemporaryFolder(prefix: "pioneer-submit-down") { folder in
            let file = folder.appendingPathComponent("torbay.json")
            try ReturnCoding.pretty(try Self.torbay()).write(to: file)
            let port = try await LoopbackServer.closedPort()
            let url = "http://127.0.0.1:\(port)"
            let started = Date()
            let run = try await Self.submit([file.path, "--to", url, "--retries", "2", "--backoff", "0.05"],
                                            token: "pio_x", in: folder)
            #expect(Date().timeIntervalSince(started) < 20)
            #expect(run.status == 7)
            #expect(run.stderr.contains("error: \(file.path): POST \(url)/v1/returns failed: connection refused after 3 attempts over "),
                    "\(run.stderr)")
            #expect(run.stderr.hasSuffix(" s; not delivered, and safe to send again\n"), "\(run.stderr)")
            #expect(run.stderr.components(separatedBy: "retrying in").count - 1 == 2)
        }
    }

    @Test("the service coming up while submit retries: the return is delivered")
    func serverComesUp() async throws {
        try await withTemporaryFolder(prefix: "pioneer-submit-late-start") { folder in
            let programme = folder.appendingPathComponent("programme.yaml")
            try IntakeServeProcess.programme(sites: Self.sites).write(to: programme, atomically: true, encoding: .utf8)
            let database = folder.appendingPathComponent("intake.sqlite").path
            let token = try await IntakeServeProcess.token(site: "torbay", database: database)
            let file = folder.appendingPathComponent("torbay.json")
            try ReturnCoding.pretty(try Self.torbay()).write(to: file)
            let port = try await LoopbackServer.freePort()

            async let submitted = Self.submit([file.path, "--to", "http://127.0.0.1:\(port)", "--retries", "40",
                                               "--backoff", "0.25", "--max-backoff", "0.25"], token: token, in: folder)
            try await Task.sleep(for: .milliseconds(600))
            let server = try await IntakeServeProcess.start(database: database, programme: programme.path, port: port, in: folder)
            let run = try await submitted
            await server.stop()
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stderr.contains("connection refused from http://127.0.0.1:\(port)/v1/returns; retrying in"))
            #expect(run.stdout.contains(": accepted\n"))
        }
    }

    /// The import summary a service gives for `digest`'s bytes.
    static func summary(digest: String) -> ImportSummary {
        ImportSummary(status: .accepted, submission: "sub-1", site: "torbay", period: "2026-03", version: 4,
                      duplicate: false, late: true, receivedAt: "2026-04-20T10:00:00Z", digest: digest, problems: [],
                      values: [ValueOutcome(indicator: "care-plans", period: "2026-03", status: "accepted")],
                      accepted: 1, rejected: 0, warnings: 0)
    }

    @Test("a 503 is retried and the answer after it is printed; a 429's Retry-After is honoured")
    func serverErrorsThenAccepted() async throws {
        let calls = SubmitCallCounter()
        try await LoopbackServer.run(routes: { router in
            router.post("/v1/returns") { request, _ in
                let received = try await request.body.collect(upTo: 1 << 20)
                switch calls.next() {
                case 1: return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"the database is busy","requestId":"r1"}"#)))
                case 2: return Response(status: .tooManyRequests, headers: [.retryAfter: "1"])
                default:
                    let digest = "sha256:" + SHA256.hash(data: Data(received.readableBytesView)).map { String(format: "%02x", $0) }.joined()
                    let body = try JSONEncoder().encode(Self.summary(digest: digest))
                    return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
                }
            }
        }) { server in
            try await withTemporaryFolder(prefix: "pioneer-submit-503") { folder in
                let file = folder.appendingPathComponent("torbay.json")
                try ReturnCoding.pretty(try Self.torbay()).write(to: file)
                let started = Date()
                let run = try await Self.submit([file.path, "--to", server.baseURL, "--backoff", "0.05"], token: "pio_x", in: folder)
                #expect(Date().timeIntervalSince(started) >= 1)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stderr.contains("\(file.path): HTTP 503 Service Unavailable from \(server.baseURL)/v1/returns; retrying in"))
                #expect(run.stderr.contains("\(file.path): HTTP 429 Too Many Requests from \(server.baseURL)/v1/returns; retrying in 1 s (attempt 3 of 5)"),
                        "\(run.stderr)")
                #expect(run.stdout == """
                    \(file.path): accepted
                      site torbay, period 2026-03, version 4, received 2026-04-20T10:00:00Z
                      submission sub-1, digest sha256:\(SHA256.hash(data: try Data(contentsOf: file)).map { String(format: "%02x", $0) }.joined())
                      late: received after the period's deadline, by the service's clock
                      values: 1 accepted, 0 with warnings, 0 rejected

                    """)
                #expect(calls.count == 3)
            }
        }
    }

    /// A summary is a receipt only for the bytes it names: one for other bytes (a proxy's cached
    /// answer, a wrong URL) leaves the return not delivered.
    @Test("an import summary for other bytes is no receipt: exit 7, naming both digests")
    func aSummaryForOtherBytesIsNotAReceipt() async throws {
        let body = try JSONEncoder().encode(Self.summary(digest: "sha256:" + String(repeating: "0", count: 64)))
        try await LoopbackServer.run(routes: { router in
            router.post("/v1/returns") { request, _ in
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
        }) { server in
            try await withTemporaryFolder(prefix: "pioneer-submit-other") { folder in
                let file = folder.appendingPathComponent("torbay.json")
                try ReturnCoding.pretty(try Self.torbay()).write(to: file)
                let run = try await Self.submit([file.path, "--to", server.baseURL], token: "pio_x", in: folder)
                #expect(run.status == 7, "\(run.stdout) \(run.stderr)")
                #expect(run.stdout.isEmpty)
                #expect(run.stderr.hasPrefix("error: \(file.path): POST \(server.baseURL)/v1/returns answered HTTP 201 Created "
                                             + "with an import summary for other bytes (digest sha256:000000000000…, not this file's sha256:"),
                        "\(run.stderr)")
                #expect(run.stderr.hasSuffix("…): it is no receipt for this return; check the URL, and send it again\n"), "\(run.stderr)")
            }
        }
    }

    /// A 5xx, or a 429 (the service asking for time, not refusing the return), still answered
    /// when the retries end leaves the return not delivered, and safe to send again: exit 7, not 6.
    @Test("a 5xx or a 429 that persists exits 7 with the service's message and the attempts",
          arguments: [(500, "HTTP 500 Internal Server Error"), (429, "HTTP 429 Too Many Requests")])
    func persistentServerError(status: Int, shown: String) async throws {
        try await LoopbackServer.run(routes: { router in
            router.post("/v1/returns") { _, _ in
                Response(status: HTTPResponse.Status(code: status),
                         body: .init(byteBuffer: ByteBuffer(string: #"{"error":"the store \u001b[31mfailed","requestId":"abc"}"#)))
            }
        }) { server in
            try await withTemporaryFolder(prefix: "pioneer-submit-\(status)") { folder in
                let file = folder.appendingPathComponent("torbay.json")
                try ReturnCoding.pretty(try Self.torbay()).write(to: file)
                let run = try await Self.submit([file.path, "--to", server.baseURL, "--retries", "1", "--backoff", "0.05"],
                                                token: "pio_x", in: folder)
                #expect(run.status == 7, "\(run.stderr)")
                #expect(run.stderr.contains("error: \(file.path): POST \(server.baseURL)/v1/returns answered \(shown) "
                                            + "after 2 attempts over "), "\(run.stderr)")
                // The service's text is shown, never obeyed by the terminal.
                #expect(run.stderr.hasSuffix(" s: the store \\u001b[31mfailed (request abc); not delivered, and safe to send again\n"),
                        "\(run.stderr)")
            }
        }
    }

    /// A server whose database is down answers 503 with Retry-After, then takes longer than
    /// the time left: the cause shown is its 503 and its message, with every attempt and the
    /// time they took, not the timeout of the attempt --max-time cut short.
    @Test("a 503 that persists until --max-time runs out names the 503, the attempts, the time and --max-time")
    func serverErrorUntilMaxTime() async throws {
        let calls = SubmitCallCounter()
        try await LoopbackServer.run(routes: { router in
            router.post("/v1/returns") { request, _ in
                _ = try await request.body.collect(upTo: 1 << 20)
                if calls.next() > 2 { try? await Task.sleep(for: .seconds(8)) }
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "1"],
                                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"the server cannot use its database just now","requestId":"r7"}"#)))
            }
        }) { server in
            try await withTemporaryFolder(prefix: "pioneer-submit-503-max-time") { folder in
                let file = folder.appendingPathComponent("torbay.json")
                try ReturnCoding.pretty(try Self.torbay()).write(to: file)
                let run = try await Self.submit([file.path, "--to", server.baseURL, "--retries", "2", "--max-time", "6"],
                                                token: "pio_x", in: folder)
                #expect(run.status == 7)
                // The time is 6 s, or a tenth more on a loaded machine.
                #expect(run.stderr.contains("error: \(file.path): POST \(server.baseURL)/v1/returns answered HTTP 503 Service Unavailable "
                                            + "after 3 attempts over 6"), "\(run.stderr)")
                #expect(run.stderr.hasSuffix(" s: the server cannot use its database just now (request r7); "
                                             + "--max-time 6 ended the retries, cutting the last attempt short before it was answered; "
                                             + "not delivered, and safe to send again\n"), "\(run.stderr)")
                #expect(!run.stderr.contains("timed out"), "\(run.stderr)")
            }
        }
    }

    @Test("files and options that cannot be used are refused before anything is sent")
    func badInput() async throws {
        try await withTemporaryFolder(prefix: "pioneer-submit-input") { folder in
            let text = folder.appendingPathComponent("return.txt")
            try Data("{}".utf8).write(to: text)
            let port = try await LoopbackServer.closedPort()
            let url = "http://127.0.0.1:\(port)"

            let missing = try await Self.submit(["nowhere.json", "--to", url], token: "pio_x", in: folder)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("error: nowhere.json: cannot read the file ("), "\(missing.stderr)")
            #expect(missing.stderr.contains("nothing was sent"))

            // Another form `pioneer return` writes is named here, not sent to be stored as rejected.
            let fhir = folder.appendingPathComponent("torbay-fhir.json")
            try Data(#"{"resourceType": "Bundle", "type": "collection", "entry": []}"#.utf8).write(to: fhir)
            let other = try await Self.submit(["torbay-fhir.json", "--to", url], token: "pio_x", in: folder)
            #expect(other.status == 1)
            #expect(other.stderr == "error: return torbay-fhir.json: is a FHIR Bundle (`pioneer return --format fhir`), not a form the "
                    + "programme office reads: give the site's return in Pioneer JSON or ADX; nothing was sent\n", "\(other.stderr)")

            // A loop of symbolic links is named as one, not as "NSCocoaErrorDomain error 256".
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop-a.json").path, withDestinationPath: "loop-b.json")
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop-b.json").path, withDestinationPath: "loop-a.json")
            let loop = try await Self.submit(["loop-a.json", "--to", url], token: "pio_x", in: folder)
            #expect(loop.status == 1)
            #expect(loop.stderr == "error: loop-a.json: cannot read the file (too many levels of symbolic links); nothing was sent\n",
                    "\(loop.stderr)")

            let unknownKind = try await Self.submit([text.path, "--to", url], token: "pio_x", in: folder)
            #expect(unknownKind.status == 1)
            #expect(unknownKind.stderr.contains("error: \(text.path): cannot tell the format of the return from its name"))

            let badURL = try await Self.submit([text.path, "--to", "ftp://example.org"], token: "pio_x", in: folder)
            #expect(badURL.status == 2)
            #expect(badURL.stderr.contains("--to must be an http or https URL"), "\(badURL.stderr)")

            let withPassword = try await Self.submit([text.path, "--to", "http://user:secret@127.0.0.1:\(port)"], token: "pio_x", in: folder)
            #expect(withPassword.status == 2)
            #expect(withPassword.stderr.contains("--to must not carry a user or password"))
            #expect(!withPassword.stderr.contains("secret"))

            let badRetries = try await Self.submit([text.path, "--to", url, "--retries", "101"], token: "pio_x", in: folder)
            #expect(badRetries.status == 2)
            #expect(badRetries.stderr.contains("--retries must be between 0 and 100, got 101"))

            let badPort = try await Self.submit([text.path, "--to", "http://127.0.0.1:99999"], token: "pio_x", in: folder)
            #expect(badPort.status == 2)
            #expect(badPort.stderr.contains("--to `http://127.0.0.1:99999`: port 99999 is not a port; ports run from 1 to 65535"), "\(badPort.stderr)")

            let returns = folder.appendingPathComponent("returns.json")
            try FileManager.default.createDirectory(at: returns, withIntermediateDirectories: false)
            let folderGiven = try await Self.submit([returns.path, "--to", url], token: "pio_x", in: folder)
            #expect(folderGiven.status == 1)
            #expect(folderGiven.stderr.contains("error: \(returns.path): is a folder, not a return file"), "\(folderGiven.stderr)")

            let lineBreak = try await Self.submit([text.path.replacingOccurrences(of: ".txt", with: ".json"), "--to", url],
                                                  token: "pio_a\nInjected: yes", in: folder)
            #expect(lineBreak.status == 1)
            #expect(lineBreak.stderr.contains("PIONEER_TOKEN holds a line break or another control character"))

            // Found by a tester: an unreadable --ca-bundle was a failed delivery (exit 7, "safe to
            // send again"), though sending again could never help.
            for (bundle, reason) in [("no-such.pem", "the file cannot be read"), (text.path, "the file holds no PEM block")] {
                let badBundle = try await Self.submit([fhir.path, "--to", url, "--ca-bundle", bundle], token: "pio_x", in: folder)
                #expect(badBundle.status == 1, "\(badBundle.stderr)")
                #expect(badBundle.stderr.contains("error: --ca-bundle \(bundle): \(reason)"), "\(badBundle.stderr)")
                #expect(badBundle.stderr.contains("nothing was sent"))
            }

            // Found by a tester: with --format json the files refused before sending had no entry
            // in the array, which was to be "in file order".
            let both = try await Self.submit([fhir.path, "nowhere.json", "--to", url, "--retries", "0", "--format", "json"], token: "pio_x", in: folder)
            #expect(both.status == 1)
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(both.stdout.utf8)) as? [[String: Any]], "\(both.stdout)")
            #expect(entries.count == 2)
            #expect(entries.map { $0["file"] as? String } == [fhir.path, "nowhere.json"])
            #expect(entries.allSatisfy { $0["sent"] as? Bool == false && ($0["error"] as? String)?.contains("nothing was sent") == true })
        }
    }
}

/// Counts calls from the loopback server's handlers.
final class SubmitCallCounter: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = 0

    /// Records a call; returns how many there have been, this one included.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
