// External process plugins through the real `pioneer` binary: `collect` runs a site's own
// programs against a loopback feed, storing what the good one computes beside a built-in
// indicator while a crashing one fails only its own periods; `validate` places the program's
// config issues at their line:column.
import Foundation
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct ExecPluginEndToEndTests {
    static let script = PioneerBinary.packageRoot.appendingPathComponent("Tests/PioneerExecTests/Fixtures/modes.py")

    /// The `execshire` site in `root` with two programs (`counts`, batch, and `fragile`,
    /// which crashes on `observe`) and a built-in `json` indicator.
    private func site(in root: URL, port: Int, countsConfig: String = #"{ feed: bi, path: "/admissions?month={period}" }"#) throws -> URL {
        let site = root.appendingPathComponent("execshire")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.script, to: site.appendingPathComponent("plugins/modes.py"))
        let yaml = """
        site: { id: execshire, name: Execshire, region: Test, wave: Test wave, focus: [tests] }
        feeds:
          bi: { base_url: "http://127.0.0.1:\(port)/api", retries: 0, timeout: 120 }
        plugins:
          counts: { kind: exec, command: plugins/modes.py, args: [good, --batch], deadline: 20 }
          fragile: { kind: exec, command: plugins/modes.py, args: [crash], deadline: 20 }
        indicators:
          - { id: beds, name: Beds, kind: process, value_type: count, unit: beds, period: month, better: neutral, plugin: json, config: { feed: bi, path: "/beds?month={period}", select: "$.value" } }
          - { id: admissions, name: Admissions, kind: process, value_type: count, unit: people, period: month, better: neutral, plugin: counts, config: \(countsConfig) }
          - { id: falls, name: Falls, kind: process, value_type: count, unit: people, period: month, better: lower, plugin: fragile, config: { feed: bi, path: "/admissions?month={period}" } }
        """
        try yaml.write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        return site
    }

    @Test func collectStoresWhatTheSitesProgramComputesAndFailsOnlyTheCrashingOnesPeriods() async throws {
        let feed = LocalFeedServer()
        for (index, month) in ["2026-01", "2026-02", "2026-03"].enumerated() {
            feed.serve("/api/beds?month=\(month)", .json(#"{"value": \#(20 + index)}"#))
            feed.serve("/api/admissions?month=\(month)", .json(#"{"value": \#(120 + index)}"#))
        }
        try await feed.run { _ in
            try await withTemporaryFolder(prefix: "pioneer-exec-e2e") { root in
                let site = try site(in: root, port: feed.port)
                let store = root.appendingPathComponent("store.sqlite").path
                let run = try await PioneerBinary.run(["collect", site.path, "--from", "2026-01", "--to", "2026-03",
                                                       "--store", store, "--json"])
                #expect(run.status == 3, "some indicator-periods failed: \(run.stderr)")
                let measures = try MeasureStore(path: store).measures(MeasureQuery(site: "execshire"))
                let values = Dictionary(grouping: measures, by: \.measure.indicatorID).mapValues { $0.map(\.measure.observation.value) }
                #expect(values["beds"] == [20, 21, 22])
                #expect(values["admissions"] == [120, 121, 122])
                #expect(values["falls"] == nil)
                #expect(measures.first { $0.measure.indicatorID == "admissions" }?.measure.provenance.plugin == "counts")
                #expect(run.stdout.contains("plugin `fragile`: was ended by signal 11 (SIGSEGV, a crash) before it answered; its last stderr lines:"),
                        "\(run.stdout)")
                #expect(run.stdout.contains("about to fall over"), "\(run.stdout)")
            }
        }
    }

    /// Found by a tester: a plugin runs in a process group of its own, which the terminal's
    /// Ctrl-C does not reach. A first Ctrl-C waited out the plugin's whole deadline, and a
    /// second ended pioneer leaving the plugin running, with its body folder, for ever.
    @Test(arguments: ["waitpid", "stubborn"])
    func ctrlCStopsTheRunningPluginsAndASecondKillsOnesThatIgnoreIt(mode: String) async throws {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first")
        let feed = LocalFeedServer()
        feed.serve("/api/admissions?month=2026-01", .json(#"{"value": 120}"#))
        try await feed.run { _ in
            try await withTemporaryFolder(prefix: "pioneer-exec-interrupt") { root in
                let site = root.appendingPathComponent("execshire")
                try FileManager.default.createDirectory(at: site.appendingPathComponent("plugins"), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: Self.script, to: site.appendingPathComponent("plugins/modes.py"))
                let pidFile = root.appendingPathComponent("plugin.pid")
                let temporary = root.appendingPathComponent("tmp")
                try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
                try """
                site: { id: execshire, name: Execshire, region: Test, wave: Test wave, focus: [tests] }
                feeds:
                  bi: { base_url: "http://127.0.0.1:\(feed.port)/api", retries: 0 }
                plugins:
                  slow: { kind: exec, command: plugins/modes.py, args: [\(mode)], deadline: 600, bodies: file, env: { PLUGIN_PID: "\(pidFile.path)" } }
                indicators:
                  - { id: admissions, name: Admissions, kind: process, value_type: count, unit: people, period: month, better: neutral, plugin: slow, config: { feed: bi, path: "/admissions?month={period}" } }
                """.write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let process = Process()
                process.executableURL = binary
                process.arguments = ["collect", site.path, "--period", "2026-01", "--store", root.appendingPathComponent("store.sqlite").path]
                process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TMPDIR": temporary.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                let child = try StartedProcess.start(process)
                var pluginPID: pid_t?
                let deadline = Date().addingTimeInterval(30)
                while pluginPID == nil, Date() < deadline, child.isRunning {
                    try await Task.sleep(for: .milliseconds(50))
                    pluginPID = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { pid_t($0) }
                }
                let plugin = try #require(pluginPID, "the plugin never started")
                let signalled = Date()
                child.signal(SIGINT)
                if mode == "stubborn" {
                    // It ignores the SIGTERM the first Ctrl-C sends: the second one ends it all.
                    try await Task.sleep(for: .seconds(1))
                    #expect(child.isRunning, "pioneer waits for a plugin that ignores SIGTERM, until a second Ctrl-C")
                    child.signal(SIGINT)
                }
                let end = await child.exit(within: 60)
                #expect(end.status == 130)
                #expect(Date().timeIntervalSince(signalled) < 20, "it waited for the plugin's 600 s deadline")
                // The plugin and its group are gone (a zombie has no group left to signal).
                var gone = false
                for _ in 0..<100 where !gone {
                    gone = kill(plugin, 0) != 0 || getpgid(plugin) != plugin
                    if !gone { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(gone, "the plugin \(plugin) is still running")
                let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("pioneer-plugin-bodies-") }
                #expect(left.isEmpty, "body folders left behind: \(left)")
            }
        }
    }

    /// Found by a tester: `plugin test` called a batch plugin once per period, so a plugin that
    /// answered only its first period passed it and failed collect.
    @Test func pluginTestCallsABatchPluginAsCollectDoesOnceForEveryPeriod() async throws {
        try await withTemporaryFolder(prefix: "pioneer-exec-e2e") { root in
            let site = try site(in: root, port: 9)
            // The program counts its starts in START_LOG, which reaches it only through `env:`.
            let siteFile = site.appendingPathComponent("site.yaml")
            try (try String(contentsOf: siteFile, encoding: .utf8))
                .replacingOccurrences(of: "args: [good, --batch], deadline: 20 }", with: #"args: [good, --batch], deadline: 20, env: { START_LOG: "${START_LOG}" } }"#)
                .write(to: siteFile, atomically: true, encoding: .utf8)
            let indicator = root.appendingPathComponent("admissions.yaml")
            try """
            - { id: admissions, name: Admissions, kind: process, value_type: count, unit: people, period: month, better: neutral, plugin: counts, config: { feed: bi, path: "/admissions?month={period}" } }
            """.write(to: indicator, atomically: true, encoding: .utf8)
            for (index, month) in ["2026-01", "2026-02", "2026-03"].enumerated() {
                try #"{"value": \#(120 + index)}"#.write(to: root.appendingPathComponent("adm-\(month).json"), atomically: true, encoding: .utf8)
            }
            let starts = root.appendingPathComponent("starts.log")
            var environment = ProcessInfo.processInfo.environment
            environment["START_LOG"] = starts.path
            environment["COLUMNS"] = nil
            let run = try await PioneerBinary.run(["plugin", "test", "counts", "--site", site.path, "--config", indicator.path,
                                                   "--feed", "admissions=\(root.path)/adm-{period}.json",
                                                   "--period", "2026-01", "--period", "2026-02", "--period", "2026-03"],
                                                  environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            for (index, month) in ["2026-01", "2026-02", "2026-03"].enumerated() {
                #expect(run.stdout.split(separator: "\n").contains { $0.hasPrefix(month) && $0.contains(" \(120 + index) ") }, "\(run.stdout)")
            }
            let methods = (try String(contentsOf: starts, encoding: .utf8)).split(separator: "\n")
            #expect(methods.filter { $0 == "requests" }.count == 1 && methods.filter { $0 == "observe" }.count == 1, "\(methods)")
        }
    }

    /// Found by a tester: validate warned "collect will fail for this plugin until it is set",
    /// but collect ran the plugin with the variable empty and stored what it answered.
    @Test func aPluginWhoseEnvNeedsAnUnsetVariableIsNotRunAndFailsOnlyItsPeriods() async throws {
        let feed = LocalFeedServer()
        feed.serve("/api/beds?month=2026-01", .json(#"{"value": 20}"#))
        feed.serve("/api/admissions?month=2026-01", .json(#"{"value": 120}"#))
        try await feed.run { _ in
            try await withTemporaryFolder(prefix: "pioneer-exec-e2e") { root in
                let site = try site(in: root, port: feed.port)
                let siteFile = site.appendingPathComponent("site.yaml")
                let starts = root.appendingPathComponent("starts.log")
                try (try String(contentsOf: siteFile, encoding: .utf8))
                    .replacingOccurrences(of: "args: [good, --batch], deadline: 20 }",
                                          with: #"args: [good, --batch], deadline: 20, env: { START_LOG: "\#(starts.path)", LOOKUP: "${PIONEER_TEST_NEVER_SET}" } }"#)
                    .write(to: siteFile, atomically: true, encoding: .utf8)
                let store = root.appendingPathComponent("store.sqlite").path
                var environment = ProcessInfo.processInfo.environment
                environment["PIONEER_TEST_NEVER_SET"] = nil
                let run = try await PioneerBinary.run(["collect", site.path, "--period", "2026-01", "--store", store,
                                                       "--indicator", "beds", "--indicator", "admissions"], environment: environment)
                #expect(run.status == 3, "\(run.stdout) \(run.stderr)")
                #expect((run.stdout + run.stderr).contains("plugin `counts`: is not run: its `env:` needs the environment variable `PIONEER_TEST_NEVER_SET`, which is not set (or empty); set it before collecting"),
                        "\(run.stdout) \(run.stderr)")
                let measures = try MeasureStore(path: store).measures(MeasureQuery(site: "execshire"))
                #expect(measures.map(\.measure.indicatorID) == ["beds"], "the built-in indicator is still collected")
                #expect(!FileManager.default.fileExists(atPath: starts.path), "the plugin was started")
            }
        }
    }

    @Test func validatePlacesTheProgramsConfigIssuesAtTheirLineAndColumn() async throws {
        try await withTemporaryFolder(prefix: "pioneer-exec-e2e") { root in
            let site = try site(in: root, port: 9, countsConfig: "{ feed: bi, path: admissions }")
            let run = try await PioneerBinary.run(["validate", site.path])
            #expect(run.status == 1, "\(run.stderr)")
            let file = site.appendingPathComponent("site.yaml").path
            // Line 9 is the `admissions` indicator, whose `config:` holds the `path` the program refuses.
            let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("the path must start with /") })
            #expect(line.hasPrefix("\(file):9:"), "\(line)")
            #expect(line.hasSuffix(": error: indicators[1].config.path: plugin `counts`: the path must start with /"), "\(line)")
            #expect(run.stderr.contains("\(file): invalid (1 error)"), "\(run.stderr)")
        }
    }

    @Test func validateAcceptsASiteWhoseProgramsAcceptTheirConfigs() async throws {
        try await withTemporaryFolder(prefix: "pioneer-exec-e2e") { root in
            let site = try site(in: root, port: 9)
            let run = try await PioneerBinary.run(["validate", site.path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("site.yaml: OK (3 indicators, 0 goals)"), "\(run.stderr)")
            #expect(run.stdout.contains("fragile"), "the table names the site's plugin: \(run.stdout)")
        }
    }
}
