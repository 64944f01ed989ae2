// A real `pioneer serve` for the end-to-end tests of `pioneer submit`, the load client and the
// kill test: started on 127.0.0.1 at a free port, its tokens made with `pioneer serve token create`.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PioneerTesting
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running `pioneer serve` child process.
final class IntakeServeProcess: @unchecked Sendable {
    // @unchecked: the log handle is used by the test that owns this object only.

    let process: StartedProcess
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    let log: URL
    private let logHandle: FileHandle

    private init(process: StartedProcess, baseURL: String, log: URL, logHandle: FileHandle) {
        self.process = process
        self.baseURL = baseURL
        self.log = log
        self.logHandle = logHandle
    }

    /// The line `pioneer serve` writes on stderr once it accepts connections.
    static let readyPrefix = "pioneer serve listening on "

    /// Starts `pioneer serve --db database --programme programme --port port` and waits until it listens.
    ///
    /// - Parameter launcher: a program and its arguments that run the pioneer command given
    ///   after them (`unshare … sh -c …`); the command is run directly when empty.
    static func start(database: String, programme: String, port: Int = 0, in folder: URL,
                      extra: [String] = [], launcher: [String] = []) async throws -> IntakeServeProcess {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        let log = folder.appendingPathComponent("serve-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        let command = [binary.path, "serve", "--db", database, "--programme", programme, "--host", "127.0.0.1", "--port", "\(port)"] + extra
        let whole = launcher + command
        process.executableURL = URL(fileURLWithPath: whole[0])
        process.arguments = Array(whole.dropFirst())
        process.currentDirectoryURL = folder
        process.standardOutput = handle
        process.standardError = handle
        let child = try StartedProcess.start(process)

        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, child.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains(readyPrefix) }),
               let range = line.range(of: readyPrefix) {
                let url = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
                return IntakeServeProcess(process: child, baseURL: url, log: log, logHandle: handle)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        _ = await child.exit(within: 0)
        try? handle.close()
        throw HarnessError("pioneer serve did not start listening within 30 s:\n\(text)")
    }

    /// What the server has logged so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Stops the server with SIGTERM (a graceful shutdown) and waits for it.
    func stop() async {
        process.signal(SIGTERM)
        await waitForExit()
        try? logHandle.close()
    }

    /// Stops the server with SIGKILL: no shutdown, no chance to finish anything.
    @discardableResult
    func killNow() async -> ProcessEnd {
        process.signal(SIGKILL)
        let end = await waitForExit()
        try? logHandle.close()
        return end
    }

    /// How it ended, once it has (SIGKILLed after 20 s).
    @discardableResult
    func waitForExit() async -> ProcessEnd {
        await process.exit(within: 20)
    }

    /// POST /v1/returns with `body` as the site holding `token`: the status, the Retry-After
    /// header and the body.
    func post(token: String, body: Data) async throws -> (status: Int, retryAfter: String?, body: String) {
        var request = URLRequest(url: try #require(URL(string: baseURL + "/v1/returns")), timeoutInterval: 30)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, response) = try await ServeProcess.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Retry-After"), String(decoding: data, as: UTF8.self))
    }

    /// A new token from `pioneer serve token create` (a site's, or the office's when `site` is nil):
    /// the last line of its output.
    static func token(site: String?, database: String) async throws -> String {
        let who = site.map { ["--site", $0] } ?? ["--office"]
        let run = try await PioneerBinary.run(["serve", "token", "create"] + who + ["--db", database, "--db-timeout", "120"])
        try #require(run.status == 0, "token create failed: \(run.stderr)")
        let token = try #require(run.stdout.split(separator: "\n").last.map(String.init), "no token printed")
        try #require(token.hasPrefix("pio_"), "the last line is not a token: \(token)")
        return token
    }

    /// The files a load-client test needs in `folder`: a programme expecting `sites`, a database
    /// holding a token for each, and the `SITE TOKEN` file `pioneer bench-intake --tokens` reads.
    static func loadClientFiles(sites: [String], in folder: URL) async throws -> (programme: URL, database: String, tokens: URL) {
        let programme = folder.appendingPathComponent("programme.yaml")
        try Self.programme(sites: sites).write(to: programme, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("intake.sqlite").path
        var lines: [String] = []
        for site in sites {
            lines.append("\(site) \(try await token(site: site, database: database))")
        }
        let tokens = folder.appendingPathComponent("tokens.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: tokens, atomically: true, encoding: .utf8)
        return (programme, database, tokens)
    }

    /// A programme file expecting `sites`, monthly returns, with deadlines far enough off that
    /// no test's submission is late by today's clock.
    static func programme(sites: [String]) -> String {
        """
        programme:
          id: intake-test
          name: Intake test programme
        sites: [\(sites.joined(separator: ", "))]
        reporting:
          periods: [month]
          due: { soft: 35 months, hard: 36 months }
        """
    }
}
