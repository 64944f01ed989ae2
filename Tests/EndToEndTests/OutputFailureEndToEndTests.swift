// Output that cannot be written is a failure, said and signalled: a CSV or report that never
// reached its file must not read as made (found by a tester: `> /dev/full` exited 0).
import Foundation
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct OutputFailureEndToEndTests {
    static let sites = PioneerBinary.packageRoot.appendingPathComponent("sites").path

    /// Runs `pioneer arguments` with its standard output sent to `target` by the shell.
    private func run(_ arguments: [String], stdoutTo target: String) async throws -> PioneerBinary.Run {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        let words = ([binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try await PioneerBinary.run(process: URL(fileURLWithPath: "/bin/sh"), ["-c", "\(words) > \(target)"])
    }

    @Test func aFullDiskOnStandardOutputFailsTheCommandNamingTheCause() async throws {
        let validate = try await run(["validate", Self.sites + "/torbay"], stdoutTo: "/dev/full")
        #expect(validate.status == 1, "\(validate.stderr)")
        #expect(validate.stderr.contains("error: cannot write to standard output: No space left on device"), "\(validate.stderr)")
    }

    @Test func aClosedPipeEndsTheOutputQuietly() async throws {
        // `| head -c 1`: the reader goes away early; that is the reader's choice, not a failure.
        let binary = try #require(PioneerBinary.url()).path
        let piped = try await PioneerBinary.run(process: URL(fileURLWithPath: "/bin/sh"),
                                                ["-c", "'\(binary)' validate '\(Self.sites)/torbay' | head -c 1 >/dev/null; echo ${PIPESTATUS:-0}"])
        #expect(!piped.stderr.contains("cannot write"), "\(piped.stderr)")
    }
}
