// Runs the built `pioneer` executable as a user would, for the end-to-end tests.
// The wait is asynchronous: a blocking wait would hold one of the few cooperative
// threads and starve the other tests' loopback servers and clients.
import Foundation
import PioneerTesting
import Testing

enum PioneerBinary {
    /// The output of one run.
    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var terminationReason: Process.TerminationReason
    }

    /// The package's root folder.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `pioneer` executable: beside the test bundle (the products directory), else in `.build/debug`.
    static func url() -> URL? {
        var folders: [URL] = []
        if let runner = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: runner).deletingLastPathComponent())
        }
        if let executable = Bundle.main.executableURL {
            folders.append(executable.deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        folders.append(packageRoot.appendingPathComponent(".build/debug"))
        return folders.map { $0.appendingPathComponent("pioneer") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `pioneer arguments` in `directory`, with `input` on its standard input.
    ///
    /// - Parameter environment: the child's whole environment; nil inherits this process's,
    ///   less `COLUMNS` (tables fit it, and a shell or CI that exports it must not change them).
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil,
                    input: Data = Data()) async throws -> Run {
        let executable = try #require(url(), "build the pioneer executable first: swift build --product pioneer")
        var inherited = ProcessInfo.processInfo.environment
        inherited["COLUMNS"] = nil
        return try await run(process: executable, arguments, in: directory, environment: environment ?? inherited, input: input)
    }

    /// Runs `executable arguments` in `directory` (a wrapper such as GNU time around `pioneer`).
    static func run(process executable: URL, _ arguments: [String], in directory: String? = nil,
                    environment: [String: String]? = nil, input: Data = Data()) async throws -> Run {
        // No time limit of its own worth the name: each suite sets one.
        let run = try await ChildProcess.run(executable.path, arguments, in: directory.map { URL(fileURLWithPath: $0) },
                                             environment: environment, input: input, timeout: 1800)
        return Run(status: run.status, stdout: run.stdout, stderr: run.stderr, terminationReason: run.terminationReason)
    }
}
