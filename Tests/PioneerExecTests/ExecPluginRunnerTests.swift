// One call of the protocol, below the collection engine: what the process is given, how its
// stderr is logged, and how a plugin that ignores SIGTERM or cannot start is dealt with.
import Foundation
import Logging
@testable import PioneerExec
import PioneerExtraction
import PioneerKit
import PioneerTesting
import Testing

/// Keeps what a logger was given, for checking.
final class LogRecorder: LogHandler, @unchecked Sendable {
    // @unchecked: `records` is only touched with `lock` held.
    private let lock = NSLock()
    private var records: [(Logger.Level, String, Logger.Metadata)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        all.merge(event.metadata ?? [:]) { _, new in new }
        lock.withLock { records.append((event.level, "\(event.message)", all)) }
    }

    var lines: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] {
        lock.withLock { records.map { (level: $0.0, message: $0.1, metadata: $0.2) } }
    }

    var logger: Logger { Logger(label: "test") { _ in self } }
}

@Suite(.timeLimit(.minutes(5)))
struct ExecPluginRunnerTests {
    private func spec(_ script: String, args: [String] = [], environment: [String: String] = [:],
                      deadline: Duration = .seconds(20), grace: Duration = .seconds(2)) -> ExecPluginSpec {
        ExecPluginSpec(name: "probe", command: ExecSiteFixture.fixtures.appendingPathComponent(script), arguments: args,
                       environment: environment, deadline: deadline, workingDirectory: ExecSiteFixture.fixtures,
                       gracePeriod: grace)
    }

    private func requestsRequest() -> Data {
        Data(#"""
        {"protocol": 1, "method": "requests", "config": {"feed": "bi", "path": "/a?m={period}"},
         "indicator": {"id": "a"}, "site": {"id": "s", "name": "S", "population": {}},
         "periods": [{"id": "2026-04", "type": "month", "start": "2026-04-01", "end": "2026-04-30"}]}
        """#.utf8)
    }

    @Test func stderrLinesAreLoggedAtTheLevelTheirPrefixGivesUnderThePluginsName() async throws {
        let recorder = LogRecorder()
        let answer = try await ExecPluginRunner.call(spec("modes.py", args: ["good"]), request: requestsRequest(),
                                                     logger: recorder.logger)
        #expect(String(decoding: answer, as: UTF8.self).contains(#""path": "/a?m=2026-04""#))
        let lines = recorder.lines
        #expect(lines.map(\.message) == ["requests for 1 period(s)"])
        #expect(lines.map(\.level) == [.info])
        #expect(lines.allSatisfy { $0.metadata["plugin"] == "probe" })
    }

    @Test func theLevelPrefixesAreReadAndTakenOff() {
        #expect(StderrLog.level(of: "warning: late extract") == (.warning, "late extract"))
        #expect(StderrLog.level(of: "ERROR: no rows") == (.error, "no rows"))
        #expect(StderrLog.level(of: "debug:x") == (.debug, "x"))
        #expect(StderrLog.level(of: "plain words") == (.info, "plain words"))
    }

    @Test func theProcessGetsOnlyItsOwnEnvironmentWithTheProtocolsVariables() async throws {
        let env = ExecPluginSpec(name: "env", command: URL(fileURLWithPath: "/usr/bin/env"), environment: ["LOOKUP": "secret-value"],
                                 workingDirectory: ExecSiteFixture.fixtures)
        let outcome = try await ExecPluginRunner.run(env, request: Data("{}".utf8), logger: LogRecorder().logger)
        let names = Set(String(decoding: outcome.output, as: UTF8.self).split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
        #expect(names.isSubset(of: ["LOOKUP", "PATH", "HOME", "LANG", "PIONEER_PLUGIN_PROTOCOL", "PIONEER_PLUGIN_MAGIC_COOKIE"]), "\(names)")
        #expect(names.isSuperset(of: ["LOOKUP", "PATH", "PIONEER_PLUGIN_PROTOCOL", "PIONEER_PLUGIN_MAGIC_COOKIE"]), "\(names)")
        #expect(String(decoding: outcome.output, as: UTF8.self).contains("PIONEER_PLUGIN_MAGIC_COOKIE=d2a7c1e0-pioneer-indicator-plugin"))
        // The spec never shows a value, so a log line or message naming it cannot leak one.
        #expect(env.description == "env (/usr/bin/env; env LOOKUP)")
    }

    @Test func aSiteCannotSetTheProtocolsOwnVariables() {
        var spoofed = spec("modes.py")
        spoofed.environment = ["PIONEER_PLUGIN_MAGIC_COOKIE": "wrong", "PIONEER_PLUGIN_PROTOCOL": "7", "PATH": "/opt/site/bin"]
        let environment = ExecPluginRunner.environment(for: spoofed, host: ["PATH": "/usr/bin", "HOME": "/root", "SECRET": "x"])
        #expect(environment == ["PIONEER_PLUGIN_MAGIC_COOKIE": "d2a7c1e0-pioneer-indicator-plugin", "PIONEER_PLUGIN_PROTOCOL": "1",
                                "PATH": "/opt/site/bin", "HOME": "/root"])
    }

    @Test func aLongErrorMessageIsCutToItsFirstThousandCharactersSayingHowMuchWasLeftOut() {
        let long = String(repeating: "x", count: 200_000)
        let error = ExecPluginError(plugin: "probe", kind: .pluginError(long))
        #expect(error.reason == "reported an error: " + String(repeating: "x", count: 1_000) + "… (199000 more characters)")
        #expect(ExecPluginError(plugin: "probe", kind: .pluginError("short")).reason == "reported an error: short")
    }

    /// Found by a tester: it was told it "did not answer", though its answer was there.
    @Test func aPluginThatAnswersButDoesNotExitIsToldSo() async {
        let error = await #expect(throws: ExecPluginError.self) {
            _ = try await ExecPluginRunner.call(spec("answer-then-wait.sh", deadline: .seconds(1), grace: .milliseconds(200)),
                                                request: Data("{}".utf8), logger: LogRecorder().logger)
        }
        #expect(error?.description == "plugin `probe` wrote its answer to the call but did not exit within its deadline of 1 second, and was stopped; a plugin exits once it has answered")
    }

    @Test func aPluginThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: ExecPluginError.self) {
            _ = try await ExecPluginRunner.call(spec("stubborn.sh", deadline: .seconds(1), grace: .milliseconds(500)),
                                                request: Data("{}".utf8), logger: LogRecorder().logger)
        }
        let elapsed = start.duration(to: clock.now)
        #expect(error?.description == "plugin `probe` did not answer within its deadline of 1 second and was stopped; its last stderr lines: \"ignoring SIGTERM\"")
        #expect(elapsed >= .milliseconds(1400), "deadline, then grace, then SIGKILL (the suite's limit bounds it above): \(elapsed)")
    }

    @Test func aProgramThatCannotBeStartedSaysWhy() async throws {
        let missing = ExecPluginSpec(name: "ghost", command: URL(fileURLWithPath: "/nonexistent/plugin.py"),
                                     workingDirectory: ExecSiteFixture.fixtures)
        let error = await #expect(throws: ExecPluginError.self) {
            _ = try await ExecPluginRunner.call(missing, request: Data("{}".utf8), logger: LogRecorder().logger)
        }
        #expect(error?.description.hasPrefix("plugin `ghost` could not be started: /nonexistent/plugin.py") == true, "\(String(describing: error))")
    }

    @Test func aScriptWhoseInterpreterIsMissingNamesTheInterpreter() async throws {
        try await withTemporaryFolder(prefix: "pioneer-interpreter") { folder in
            let script = folder.appendingPathComponent("plugin.py")
            try "#!/nonexistent/python3 -u\nprint('hi')\n".write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            let spec = ExecPluginSpec(name: "interp", command: script, workingDirectory: folder)
            let error = await #expect(throws: ExecPluginError.self) {
                _ = try await ExecPluginRunner.call(spec, request: Data("{}".utf8), logger: LogRecorder().logger)
            }
            #expect(error?.description == "plugin `interp` could not be started: \(script.path) names the interpreter `/nonexistent/python3` in its first line, and that was not found; install it or correct the `#!` line",
                    "\(String(describing: error))")
        }
        #expect(ExecPluginRunner.interpreter(of: URL(fileURLWithPath: "/nonexistent")) == nil)
    }

    @Test func anAnswerWithoutProtocolOrWithAWrongFieldIsNamed() throws {
        #expect(throws: ExecPluginError.Kind.malformedAnswer("the answer has no `protocol` field; every answer starts `{\"protocol\": 1, …`")) {
            _ = try PluginProtocol.answerFields(Data(#"{"requests": []}"#.utf8))
        }
        let fields = try PluginProtocol.answerFields(Data(#"{"protocol": 1, "requests": [{"period": 3}]}"#.utf8))
        #expect(throws: ExecPluginError.Kind.malformedAnswer("`requests[0].period` should be a string, found a number")) {
            _ = try fields.objects("requests").first?.string("period")
        }
        #expect(throws: ExecPluginError.Kind.pluginError("no extract this month")) {
            _ = try PluginProtocol.answerFields(Data(#"{"protocol": 1, "error": "no extract this month"}"#.utf8))
        }
    }

    // MARK: Bodies

    private static func response(_ body: FeedResponse.Body) -> FeedResponse {
        FeedResponse(key: "admissions", feed: "bi", url: "http://127.0.0.1/api/admissions", status: 200,
                     headers: ["content-type": "application/json"], body: body)
    }

    @Test func aBodyLargerThanARequestMayHoldIsRefusedSayingHowToTakeItAsAFile() throws {
        let body = Data(count: ExecPluginSpec.maximumInlineBody + (1 << 20))
        do {
            _ = try PluginProtocol.responseJSON(Self.response(.memory(body)), bodies: .inline, files: BodyFiles())
            Issue.record("a 65 MB body was passed inline")
        } catch {
            #expect(error.message == "it is 65 MB, more than the 64 MB a plugin is given in its request; declare `bodies: file` in the plugin's `plugins:` entry and read the file named by `body_file` (docs/plugin-protocol.md)")
        }
    }

    @Test func aBodyInMemoryIsWrittenToAFileOfTheCallsOwnAndRemovedWithIt() throws {
        let body = Data(#"{"value": 7}"#.utf8)
        let files = BodyFiles()
        let passed = try PluginProtocol.responseJSON(Self.response(.memory(body)), bodies: .file, files: files)
        guard case .object(let fields) = passed, case .string(let path)? = fields["body_file"],
              case .number(let size)? = fields["body_size"] else {
            Issue.record("expected body_file and body_size: \(passed)")
            return
        }
        #expect(fields["body"] == nil && fields["body_base64"] == nil)
        #expect(fields["url"] == .string("http://127.0.0.1/api/admissions"))
        #expect(Int(size) == body.count)
        #expect(FileManager.default.contents(atPath: path) == body)
        files.remove()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aBodyAlreadyInAFileIsNamedWhereItLiesAndLeftThere() throws {
        try withTemporaryFolder(prefix: "pioneer-body-file") { folder in
            let file = folder.appending(path: "extract.csv")
            let body = Data(count: ExecPluginSpec.maximumInlineBody + 1)
            try body.write(to: file)
            let files = BodyFiles()
            let passed = try PluginProtocol.responseJSON(Self.response(.file(file)), bodies: .file, files: files)
            #expect(passed.objectValue?["body_file"] == .string(file.path))
            #expect(passed.objectValue?["body_size"] == .number(Double(body.count)))
            files.remove()
            #expect(FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test func aBatchPluginGivenItsBodiesInlineGetsThemInCallsOfAtMost64MB() throws {
        try withTemporaryFolder(prefix: "pioneer-body-chunks") { folder in
            // Sparse files: sizes without the bytes.
            func period(_ month: Int, megabytes: Int) throws -> PeriodResponses {
                let file = folder.appending(path: "body-\(month)")
                FileManager.default.createFile(atPath: file.path, contents: nil)
                let handle = try FileHandle(forWritingTo: file)
                try handle.truncate(atOffset: UInt64(megabytes << 20))
                try handle.close()
                return PeriodResponses(period: .month(2026, month), responses: FeedResponses([Self.response(.file(file))]))
            }
            let year = try (1...6).map { try period($0, megabytes: [30, 30, 10, 70, 5, 5][$0 - 1]) }
            let limit = ExecPluginSpec.maximumInlineBody
            func months(_ calls: [[PeriodResponses]]) -> [[Int]] { calls.map { $0.map(\.period.start.month) } }
            #expect(months(ExecIndicatorPlugin.chunks(year, batch: true, inlineLimit: limit)) == [[1, 2], [3], [4], [5, 6]])
            #expect(months(ExecIndicatorPlugin.chunks(year, batch: true, inlineLimit: nil)) == [[1, 2, 3, 4, 5, 6]])
            #expect(months(ExecIndicatorPlugin.chunks(year, batch: false, inlineLimit: limit)) == [[1], [2], [3], [4], [5], [6]])
        }
    }
}
