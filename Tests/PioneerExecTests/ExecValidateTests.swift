// `pioneer validate`'s part for external plugins: the program's own `validate` issues placed
// at the config's line:column, and a program that cannot describe itself reported at its entry.
import Foundation
import PioneerConfig
import PioneerCore
import PioneerExec
import PioneerKit
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct ExecValidateTests {
    private func check(_ plugins: [ExecPluginEntry], config: String) async throws -> (LoadedSite?, [String]) {
        try await withTemporaryFolder(prefix: "pioneer-exec-validate") { folder in
            let fixture = try ExecSiteFixture(folder: folder, port: 9, plugins: plugins, config: config)
            let checked = await ExecPluginCheck.check(try fixture.load())
            let issues = (checked.loaded?.warnings ?? checked.issues)
                .map { "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.path): \($0.message)" }
            return (checked.loaded, issues)
        }
    }

    @Test func thePluginsIssuesArePlacedAtTheKeysTheyName() async throws {
        let (loaded, issues) = try await check([ExecPluginEntry(name: "counts", script: "modes.py", args: ["good"])],
                                               config: "{ feed: bi, path: admissions, scale: 0 }")
        #expect(loaded == nil)
        // The indicator's config is on line 40 of the fixture: `    config: { feed: bi, path: admissions, scale: 0 }`.
        #expect(issues == [
            "40:31: error: indicators[1].config.path: plugin `counts`: the path must start with /",
            "40:50: warning: indicators[1].config.scale: plugin `counts`: a scale of 0 makes every value 0",
        ])
    }

    @Test func anIssueAboutAKeyThatIsNotThereLandsAtTheConfig() async throws {
        let (_, issues) = try await check([ExecPluginEntry(name: "counts", script: "modes.py", args: ["good"])],
                                          config: "{ path: /x }")
        #expect(issues == ["40:13: error: indicators[1].config: plugin `counts`: say which feed to read with `feed:`"])
    }

    @Test func aValidConfigLeavesTheSiteValid() async throws {
        let (loaded, issues) = try await check([ExecPluginEntry(name: "counts", script: "modes.py", args: ["good"])],
                                               config: #"{ feed: bi, path: "/admissions?month={period}" }"#)
        #expect(loaded != nil)
        #expect(issues.isEmpty)
    }

    @Test func aPluginThatCannotDescribeItselfIsAnErrorAtItsEntry() async throws {
        let (loaded, issues) = try await check([ExecPluginEntry(name: "future", script: "modes.py", args: ["version2"])],
                                               config: "{ feed: bi, path: /x }")
        #expect(loaded == nil)
        #expect(issues == ["15:3: error: plugins.future: plugin `future` failed its `describe` call: speaks protocol version 2; this pioneer speaks version 1"])
    }
}
