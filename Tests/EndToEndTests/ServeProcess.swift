// `pioneer serve` run as an office runs it, for the end-to-end tests: the real binary on a
// free port of 127.0.0.1 (`--port 0`), its address read from the line it prints once
// listening, its stderr kept in a file, and tokens made with `pioneer serve token create`.
import Foundation
import PioneerTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
#if canImport(Glibc)
import Glibc
#endif

// @unchecked: every stored property is a constant; the log handle is closed once, by `stop`.
final class ServeProcess: @unchecked Sendable {
    let process: StartedProcess
    let baseURL: String
    let port: Int
    let log: URL
    private let logHandle: FileHandle

    /// Starts `pioneer serve --db DB --port 0 …` in `folder` and waits (up to 60 s) for its listening line.
    /// With `openFileLimit`, the server runs under that hard limit on open files (`ulimit -n`).
    /// With `fileSizeLimitKB`, under that limit on the size of a file it may write (`ulimit -f`).
    init(database: String, in folder: URL, arguments: [String] = [], openFileLimit: Int? = nil,
         fileSizeLimitKB: Int? = nil) async throws {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        log = folder.appendingPathComponent("serve-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        logHandle = try FileHandle(forWritingTo: log)
        let serve = Process()
        let serveArguments = ["serve", "--db", database, "--port", "0", "--programme", "programme.yaml"] + arguments
        var limits: [String] = []
        if let openFileLimit { limits += ["ulimit -Sn 40", "ulimit -Hn \(openFileLimit)"] }
        // POSIX sh counts the file size limit in blocks of 512 bytes.
        if let fileSizeLimitKB { limits.append("ulimit -f \(fileSizeLimitKB * 2)") }
        if !limits.isEmpty {
            serve.executableURL = URL(fileURLWithPath: "/bin/sh")
            serve.arguments = ["-c", (limits + ["exec \"$0\" \"$@\""]).joined(separator: " && "), binary.path] + serveArguments
        } else {
            serve.executableURL = binary
            serve.arguments = serveArguments
        }
        serve.currentDirectoryURL = folder
        serve.standardOutput = logHandle
        serve.standardError = logHandle
        let child = try StartedProcess.start(serve)
        process = child

        let deadline = ContinuousClock.now + .seconds(60)
        var found: String?
        while ContinuousClock.now < deadline, child.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("pioneer serve listening on ") }) {
                found = String(line.dropFirst("pioneer serve listening on ".count))
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let found, let port = Int(found.split(separator: ":").last ?? "") else {
            _ = await child.exit(within: 0)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            try? logHandle.close()
            Issue.record("pioneer serve printed no listening line:\n\(text)")
            throw CancellationError()
        }
        baseURL = found
        self.port = port
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits (up to `timeout`) for the process to end; its exit status, nil when it did not end.
    func stop(signal: Int32 = SIGTERM, timeout: Double = 30) async -> Int32? {
        process.signal(signal)
        let end = await process.exit(within: timeout)
        try? logHandle.close()
        return end.timedOut ? nil : end.status
    }

    /// `pioneer serve token create ARGS --db DB`: the token, alone on the last line of its output.
    static func createToken(_ arguments: [String], database: String) async throws -> String {
        let run = try await PioneerBinary.run(["serve", "token", "create"] + arguments + ["--db", database, "--db-timeout", "120"])
        #expect(run.status == 0, "token create failed: \(run.stderr)")
        return try #require(run.stdout.split(separator: "\n").last.map(String.init), "token create printed nothing")
    }

    struct Answer {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One session for every request: a session each would hold descriptors the other suites need.
    static let session = URLSession(configuration: .ephemeral)

    /// One HTTP request to the server.
    func send(_ method: String, _ path: String, authorization: String?, contentType: String? = nil, body: Data? = nil) async throws -> Answer {
        let url = try #require(URL(string: baseURL + path))
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        let (data, response) = try await Self.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return Answer(status: http.statusCode, body: data)
    }
}
