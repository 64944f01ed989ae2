// The `plugins:` section as a site writes it: each mistake reported at its line and column
// in plain words, and a good entry becoming a plugin that indicators name.
import Foundation
import PioneerConfig
import PioneerCore
import PioneerExec
import PioneerKit
import PioneerPlugins
import PioneerTesting
import Testing

@Suite struct ExecConfigTests {
    /// A site whose `plugins:` section is `section` (lines indented under `plugins:`) and whose
    /// one indicator names `plugin`, in a folder holding plugins/ok.py (executable) and
    /// plugins/plain.py (not).
    private func load(_ section: [String], plugin: String = "waiting-list",
                      environment: [String: String] = [:]) throws -> Result<LoadedSite, ConfigError> {
        try withTemporaryFolder(prefix: "pioneer-exec-config") { folder in
            let site = folder.appendingPathComponent("execshire")
            let plugins = site.appendingPathComponent("plugins")
            try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: ExecSiteFixture.fixtures.appendingPathComponent("modes.py"),
                                             to: plugins.appendingPathComponent("ok.py"))
            try "print('hi')\n".write(to: plugins.appendingPathComponent("plain.py"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: plugins.appendingPathComponent("loop1").path, withDestinationPath: "loop2")
            try FileManager.default.createSymbolicLink(atPath: plugins.appendingPathComponent("loop2").path, withDestinationPath: "loop1")
            try FileManager.default.createSymbolicLink(atPath: plugins.appendingPathComponent("gone.py").path, withDestinationPath: "moved.py")
            let lines = [
                "site: { id: execshire, name: Execshire, region: Test, wave: Test wave, focus: [tests] }",  // 1
                "feeds:",                                                                                      // 2
                "  bi: { base_url: http://127.0.0.1:9/api }",                                                  // 3
                "plugins:",                                                                                    // 4
            ] + section.map { "  " + $0 } + [
                "indicators:",
                "  - { id: waits, name: Waits, kind: process, value_type: count, unit: people, period: month, better: lower, plugin: \(plugin), config: { feed: bi, path: /w } }",
            ]
            try (lines.joined(separator: "\n") + "\n").write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            let loader = SiteLoader(plugins: try PluginCatalogue.builtIn(), environment: environment)
            do throws(ConfigError) {
                return .success(try loader.load(directory: site.path))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The one error of a site that fails to load, as `line:column: message`.
    private func error(_ section: [String], plugin: String = "waiting-list") throws -> String {
        guard case .failure(let error) = try load(section, plugin: plugin) else { return "(the site loaded)" }
        return error.errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }.joined(separator: "\n")
    }

    @Test func aGoodEntryBecomesAPluginTheIndicatorNames() throws {
        let result = try load(["waiting-list:", "  kind: exec", "  command: plugins/ok.py", "  args: [good, --batch]",
                               "  env: { LOOKUP: \"${WAITS_LOOKUP}/table\" }", "  deadline: 2.5", "  max_output: 1MB"],
                              environment: ["WAITS_LOOKUP": "/srv/lookup"])
        let loaded = try result.get()
        let plugin = try #require(loaded.plugins["waits"] as? ExecIndicatorPlugin)
        let spec = plugin.session.spec
        #expect(spec.name == "waiting-list")
        #expect(spec.command.path.hasSuffix("/execshire/plugins/ok.py"))
        #expect(spec.arguments == ["good", "--batch"])
        #expect(spec.environment == ["LOOKUP": "/srv/lookup/table"])
        #expect(spec.deadline == .milliseconds(2500))
        #expect(spec.outputLimit == 1024 * 1024)
        #expect(spec.workingDirectory.path.hasSuffix("/execshire"))
        #expect(spec.location.line == 5 && spec.location.column == 3)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
    }

    @Test func anEntryWithoutMaxOutputMayWriteSixtyFourMegabytes() throws {
        let loaded = try load(["waiting-list: { kind: exec, command: plugins/ok.py }"]).get()
        let plugin = try #require(loaded.plugins["waits"] as? ExecIndicatorPlugin)
        #expect(plugin.session.spec.outputLimit == 64 * 1024 * 1024)
    }

    @Test func anUnsetVariableInTheEnvironmentIsAWarningThatNeverShowsAValue() throws {
        let loaded = try load(["waiting-list: { kind: exec, command: plugins/ok.py, env: { TOKEN: \"${WAITS_TOKEN}\" } }"]).get()
        #expect(loaded.warnings.map(\.description).contains { $0.contains(":5:") && $0.contains("environment variable `WAITS_TOKEN` is not set") })
    }

    @Test func anUnknownKindIsNamedWithTheOnlyKindThereIs() throws {
        #expect(try error(["waiting-list: { kind: python, command: plugins/ok.py }"])
                == "5:25: unknown plugin kind `python`; the only kind is `exec`, a program in the site folder that speaks docs/plugin-protocol.md")
    }

    @Test func aMissingCommandOrKindIsRequired() throws {
        #expect(try error(["waiting-list: { kind: exec }"]) == "5:17: missing required key `command`")
        #expect(try error(["waiting-list: { command: plugins/ok.py }"]) == "5:17: missing required key `kind`")
    }

    @Test func aCommandThatIsNotThereIsNamedWithItsPath() throws {
        let message = try error(["waiting-list:", "  kind: exec", "  command: plugins/waiting.py"])
        #expect(message.hasPrefix("7:14: command not found: "), "\(message)")
        #expect(message.hasSuffix("/execshire/plugins/waiting.py does not exist"), "\(message)")
    }

    /// Found by a tester: a link loop "does not exist", and `command: ""` was "found a string".
    @Test func aLinkThatLeadsNowhereAndAnEmptyCommandAreNamedAsSuch() throws {
        let loop = try error(["waiting-list:", "  kind: exec", "  command: plugins/loop1"])
        #expect(loop.hasPrefix("7:14: command ") && loop.hasSuffix("/plugins/loop1 is a loop of symbolic links; point it at the plugin's program"), "\(loop)")
        let gone = try error(["waiting-list:", "  kind: exec", "  command: plugins/gone.py"])
        #expect(gone.hasSuffix("/plugins/gone.py is a symbolic link to moved.py, which does not exist; point it at the plugin's program"), "\(gone)")
        let empty = try error(["waiting-list:", "  kind: exec", "  command: \"\""])
        #expect(empty.hasSuffix("e.g. `plugins/waiting_list.py`, found an empty string"), "\(empty)")
    }

    @Test func aBareCommandNameIsExplainedAsAPathNotALookup() throws {
        let message = try error(["waiting-list: { kind: exec, command: python3 }"])
        #expect(message.contains("a command is a path relative to the site folder, not a name looked up on PATH"), "\(message)")
    }

    @Test func aCommandThatIsNotExecutableSaysHowToMakeItSo() throws {
        let message = try error(["waiting-list:", "  kind: exec", "  command: plugins/plain.py"])
        #expect(message.hasPrefix("7:14: command "), "\(message)")
        #expect(message.contains("/execshire/plugins/plain.py is not executable; make it so with `chmod +x "), "\(message)")
    }

    @Test func aPluginMayNotShadowABuiltInOne() throws {
        // The indicator goes on naming the built-in `json`, whose own checks follow.
        #expect(try error(["json: { kind: exec, command: plugins/ok.py }"], plugin: "json").hasPrefix(
            "5:3: `json` is the name of a built-in plugin; give the site's plugin a name of its own, e.g. `site-json`\n"))
    }

    @Test func aNameThatIsNotAPluginNameIsRefused() throws {
        #expect(try error(["Waiting_List: { kind: exec, command: plugins/ok.py }"], plugin: "waiting-list").hasPrefix(
            "5:3: `Waiting_List` cannot be a plugin name; use lowercase letters, digits and single hyphens"))
    }

    @Test(arguments: ["0", "-5", "soon", "7200"])
    func aDeadlineOutsideOneHourIsRefused(deadline: String) throws {
        #expect(try error(["waiting-list:", "  kind: exec", "  command: plugins/ok.py", "  deadline: \(deadline)"])
                == "8:15: the deadline is the seconds one call may take, more than 0 and at most 3600, e.g. `30`; found `\(deadline)`")
    }

    @Test func bodiesAreInlineUnlessTheEntryAsksForFiles() throws {
        let inline = try load(["waiting-list: { kind: exec, command: plugins/ok.py }"]).get()
        #expect((inline.plugins["waits"] as? ExecIndicatorPlugin)?.session.spec.bodies == .inline)
        let files = try load(["waiting-list: { kind: exec, command: plugins/ok.py, bodies: file }"]).get()
        #expect((files.plugins["waits"] as? ExecIndicatorPlugin)?.session.spec.bodies == .file)
    }

    @Test func anUnknownWayOfPassingBodiesIsNamedWithTheTwoThereAre() throws {
        let message = try error(["waiting-list:", "  kind: exec", "  command: plugins/ok.py", "  bodies: files"])
        #expect(message
                == "8:13: `files` is not one of `inline`, `file` (did you mean `file`?)", "\(message)")
    }

    @Test func anUnknownKeyInAnEntryIsNamedWithASuggestion() throws {
        #expect(try error(["waiting-list:", "  kind: exec", "  command: plugins/ok.py", "  arguments: [x]"])
                .hasPrefix("8:5: unknown key `arguments`"))
    }

    @Test func aDeclaredPluginNoIndicatorNamesIsAWarning() throws {
        let loaded = try load(["waiting-list: { kind: exec, command: plugins/ok.py }",
                               "spare: { kind: exec, command: plugins/ok.py }"]).get()
        #expect(loaded.warnings.map { "\($0.location.line):\($0.location.column): \($0.message)" }
                == ["6:3: plugin `spare` is declared but no indicator names it in `plugin:`"])
    }

    @Test func loadingASiteStartsNoPluginProcess() throws {
        // modes.py appends to START_LOG on every start; loading must leave it untouched.
        try withTemporaryFolder(prefix: "pioneer-exec-starts") { folder in
            let log = folder.appendingPathComponent("starts.log")
            _ = try load(["waiting-list: { kind: exec, command: plugins/ok.py, env: { START_LOG: \(log.path) } }"]).get()
            #expect(!FileManager.default.fileExists(atPath: log.path))
        }
    }
}
