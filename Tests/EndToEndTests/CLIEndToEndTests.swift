// Behaviour of the `pioneer` command itself, whatever the subcommand: usage errors
// exit 2 with argument-parser's message, and a closed output pipe ends a run quietly.
import Foundation
import Testing

@Suite("pioneer command line", .timeLimit(.minutes(1)))
struct CLIEndToEndTests {
    @Test func anUnknownOptionIsAUsageErrorWithExitTwo() async throws {
        let run = try await PioneerBinary.run(["collect", "--bogus"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("Unknown option '--bogus'"))
        #expect(run.stderr.contains("Usage: pioneer collect"))
    }

    @Test func anUnknownSubcommandIsAUsageErrorWithExitTwo() async throws {
        let run = try await PioneerBinary.run(["colect"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("colect"))
    }

    @Test func helpExitsZero() async throws {
        let run = try await PioneerBinary.run(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("SUBCOMMANDS"))
    }

    @Test func aClosedOutputPipeEndsTheRunWithoutASignal() async throws {
        let executable = try #require(PioneerBinary.url(), "build the pioneer executable first")
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["validate", "--root", PioneerBinary.packageRoot.appendingPathComponent("sites").path]
        process.environment = ["PATH": "/usr/bin:/bin", "TORBAY_BI_TOKEN": "test"]
        process.standardOutput = pipe.fileHandleForWriting
        process.standardError = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        #expect(process.terminationReason == .exit, "pioneer was killed by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0)
    }
}
