// A site with external plugins in a temporary folder: the fixture scripts copied into its
// plugins/ folder, a built-in `json` indicator beside them, and a loopback feed for both.
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerPlugins
import PioneerStore
import PioneerTesting
import Testing

/// One `plugins:` entry of the fixture site.
struct ExecPluginEntry {
    var name: String
    /// A file in Fixtures/.
    var script: String
    var args: [String] = []
    var deadline: String? = nil
    /// Further lines of the entry, indented as its keys are.
    var extra: [String] = []
}

/// A fixture site, loaded and ready to collect.
struct ExecSiteFixture {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let months = ["2026-01", "2026-02", "2026-03"]
    static let today = CalendarDate(year: 2026, month: 7, day: 1) ?? CalendarDate(dayNumber: 0)

    let folder: URL
    let site: URL
    /// Each process start appends its method here.
    var startLog: URL { folder.appendingPathComponent("starts.log") }
    /// A plugin that starts a child writes its pid here.
    var childFile: URL { folder.appendingPathComponent("child.pid") }

    /// The feed routes both kinds of indicator read: beds (built-in) and admissions (external).
    static func feed() -> LocalFeedServer {
        let server = LocalFeedServer()
        for (index, month) in months.enumerated() {
            server.serve("/api/beds?month=\(month)", .json(#"{"value": \#(20 + index)}"#))
            server.serve("/api/admissions?month=\(month)", .json(#"{"value": \#(120 + index)}"#))
        }
        return server
    }

    /// Writes the site into `folder` with `plugins` and one external indicator per plugin,
    /// `admissions-NAME`, each with `config`.
    init(folder: URL, port: Int, plugins: [ExecPluginEntry],
         config: String = #"{ feed: bi, path: "/admissions?month={period}" }"#) throws {
        self.folder = folder
        site = folder.appendingPathComponent("execshire")
        let pluginFolder = site.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: pluginFolder, withIntermediateDirectories: true)
        for script in Set(plugins.map(\.script)) {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(script),
                                             to: pluginFolder.appendingPathComponent(script))
        }
        var lines = [
            "site:", "  id: execshire", "  name: Execshire", "  region: Test", "  wave: Test wave", "  focus: [tests]",
            "population:", "  total: 100000",
            "feeds:", "  bi:", "    base_url: http://127.0.0.1:\(port)/api", "    retries: 0", "    timeout: 120",
            "plugins:",
        ]
        for plugin in plugins {
            lines += ["  \(plugin.name):", "    kind: exec", "    command: plugins/\(plugin.script)"]
            if !plugin.args.isEmpty { lines.append("    args: [\(plugin.args.joined(separator: ", "))]") }
            if let deadline = plugin.deadline { lines.append("    deadline: \(deadline)") }
            lines += ["    env:", "      START_LOG: \(startLog.path)", "      CHILD_PID: \(childFile.path)"]
            lines += plugin.extra.map { "    \($0)" }
        }
        lines += ["indicators:"]
        lines += Self.indicator(id: "beds", plugin: "json", config: #"{ feed: bi, path: "/beds?month={period}", select: "$.value" }"#)
        for plugin in plugins {
            lines += Self.indicator(id: "admissions-\(plugin.name)", plugin: plugin.name, config: config)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
    }

    static func indicator(id: String, plugin: String, config: String) -> [String] {
        ["  - id: \(id)", "    name: \(id)", "    kind: process", "    value_type: count", "    unit: people",
         "    period: month", "    better: neutral", "    plugin: \(plugin)", "    config: \(config)"]
    }

    func load() throws -> LoadedSite {
        try SiteLoader(plugins: try PluginCatalogue.builtIn(), environment: [:]).load(directory: site.path)
    }

    /// Collects January to March 2026 into a store in the folder.
    func collect(pluginWorkers: Int? = nil, onEvent: (@Sendable (CollectionEvent) -> Void)? = nil) async throws -> CollectionSummary {
        let store = try MeasureStore(path: folder.appendingPathComponent("measures.sqlite").path)
        let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                                      options: .init(pluginWorkers: pluginWorkers, today: Self.today))
        return try await engine.collect(try load(), periods: try PeriodSelection(from: .month(2026, 1), to: .month(2026, 3)),
                                        onEvent: onEvent)
    }

    /// The methods of each process start, in order.
    func starts() -> [String] {
        ((try? String(contentsOf: startLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// The pid a plugin wrote for the child it started.
    func childPID() -> pid_t? {
        (try? String(contentsOf: childFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// Whether a process is still running (a zombie counts as gone).
func isRunning(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    // The state follows the command in parentheses: `1234 (sleep) Z ...`.
    guard let close = status.lastIndex(of: ")") else { return false }
    return !status[status.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}

extension CollectionSummary {
    func results(of indicator: String) -> [PeriodResult] {
        indicators.first { $0.id == indicator }?.results ?? []
    }
}
