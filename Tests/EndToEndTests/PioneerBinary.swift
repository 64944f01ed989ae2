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

    /// Runs `pioneer arguments` in `directory`.
    ///
    /// - Parameter environment: the child's whole environment; nil inherits this process's.
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil) async throws -> Run {
        let executable = try #require(url(), "build the pioneer executable first: swift build --product pioneer")
        return try await run(process: executable, arguments, in: directory, environment: environment)
    }

    /// Runs `executable arguments` in `directory` (a wrapper such as GNU time around `pioneer`).
    static func run(process executable: URL, _ arguments: [String], in directory: String? = nil,
                    environment: [String: String]? = nil) async throws -> Run {
        try await withTemporaryFolder(prefix: "pioneer-run") { folder in
            // Files, not pipes: a full pipe would block the child while nobody reads it.
            let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
            defer {
                try? out.close()
                try? err.close()
            }

            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            if let environment { process.environment = environment }
            process.standardOutput = out
            process.standardError = err
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                process.terminationHandler = { _ in continuation.resume() }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
            return Run(status: process.terminationStatus,
                       stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                       terminationReason: process.terminationReason)
        }
    }
}
