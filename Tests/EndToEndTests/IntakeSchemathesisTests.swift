// A property-based test of the intake API from its OpenAPI document: schemathesis (PyPI,
// scripts/install-python-packages.sh) generates requests from openapi/intake.yaml and sends
// them to the real `pioneer serve` with an office token; no answer may be a 5xx or break the document.
import Foundation
import PioneerTesting
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(5)))
struct IntakeSchemathesisTests {
    /// What the document promises, checked on every answer.
    static let checks = [
        "not_a_server_error", "status_code_conformance", "content_type_conformance",
        "response_headers_conformance", "response_schema_conformance",
    ]

    @Test func generatedRequestsGetNoServerErrorAndNoAnswerThatBreaksTheDocument() async throws {
        try await withTemporaryFolder(prefix: "pioneer-schemathesis") { folder in
            let programme = folder.appendingPathComponent("programme.yaml")
            try IntakeServeProcess.programme(sites: ["torbay", "cambridge"]).write(to: programme, atomically: true, encoding: .utf8)
            let database = folder.appendingPathComponent("intake.sqlite").path
            let office = try await IntakeServeProcess.token(site: nil, database: database)
            let server = try await IntakeServeProcess.start(database: database, programme: programme.path, in: folder)
            let run: (status: Int32, output: String, timedOut: Bool)
            do {
                run = try await Self.schemathesis(url: server.baseURL, token: office, in: folder)
                await server.stop()
            } catch {
                await server.stop()
                throw error
            }
            #expect(!run.timedOut, "schemathesis ran past its time limit:\n\(run.output.suffix(4000))")
            #expect(run.status == 0, "schemathesis found problems:\n\(run.output.suffix(8000))\nserver log:\n\(server.output.suffix(2000))")
            // It really tested something: every operation of the document, and a few hundred cases.
            let generated = run.output.firstMatch(of: /(\d+) generated, (\d+) passed/)
            #expect(run.output.contains("Tested: ") && !run.output.contains("Tested: 0"), "\(run.output.suffix(2000))")
            #expect((generated.flatMap { Int($0.1) } ?? 0) >= 100, "\(run.output.suffix(2000))")
            #expect(generated.map { $0.1 == $0.2 } ?? false, "\(run.output.suffix(2000))")
            #expect(!run.output.contains(office), "the token appears in schemathesis's output")
        }
    }

    /// Runs `schemathesis run openapi/intake.yaml` against `url`, bounded in examples and time.
    static func schemathesis(url: String, token: String, in folder: URL) async throws -> (status: Int32, output: String, timedOut: Bool) {
        let log = folder.appendingPathComponent("schemathesis.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Through python3, so a --user install whose scripts folder is not on PATH still runs.
        process.arguments = [
            "python3", "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; sys.exit(schemathesis())",
            "run", PioneerBinary.packageRoot.appendingPathComponent("openapi/intake.yaml").path,
            "--url", url,
            "--header", "Authorization: Bearer \(token)",
            "--checks", checks.joined(separator: ","),
            "--phases", "examples,coverage,fuzzing",
            "--max-examples", "30",
            "--seed", "20261129",
            "--workers", "1",
            "--request-timeout", "10",
            "--no-shrink",
            "--output-sanitize", "true",
        ]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.removeValue(forKey: "http_proxy")
        environment.removeValue(forKey: "HTTP_PROXY")
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        let end = try await StartedProcess.start(process).exit(within: 180)
        return (end.status, (try? String(contentsOf: log, encoding: .utf8)) ?? "", end.timedOut)
    }
}
