// `pioneer plugin new` for each language, in a scratch copy: the new plugin's own test passes
// straight away; a Swift plugin is registered, follows the plugin conventions and
// type-checks against the built modules (no second build of the package).
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer plugin new", .timeLimit(.minutes(3)))
struct PluginScaffoldEndToEndTests {
    static let root = PioneerBinary.packageRoot
    static let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"

    static let site = """
        site: { id: scratch, name: Scratch, region: Test, wave: Pilot, focus: testing }
        population: { total: 1000 }
        feeds:
          council: { base_url: "http://127.0.0.1:9/council" }
        indicators:
          - id: admissions
            name: Admissions
            kind: outcome
            value_type: count
            unit: admissions
            period: month
            better: lower
            plugin: json
            config: { feed: council, path: /a, select: $.total }

        """

    /// A scratch site folder, `<folder>/scratch`, for `body`.
    static func withSite(_ body: (URL) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-scaffold") { folder in
            let site = folder.appending(path: "scratch")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try Self.site.write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
            try await body(site)
        }
    }

    /// Declares the scaffolded plugin `name` in the scratch site and adds its sample indicator,
    /// as the scaffold's closing message tells the author to; then the site must validate (the
    /// plugin's own `describe` and `validate` answered through the exec host) and `plugin test`
    /// must compute the sample's value from the recorded body.
    static func useInSite(_ site: URL, name: String, command: String, feed: String, period: String = "2026-06") async throws {
        let folder = site.appending(path: "plugins/\(name)")
        let sample = try String(contentsOf: folder.appending(path: "sample.yaml"), encoding: .utf8)
        let entry = sample.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        let declared = """
            plugins:
              \(name):
                kind: exec
                command: \(command)
                deadline: 30

            """
        try (declared + Self.site + entry + "\n").write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
        let validate = try await PioneerBinary.run(["validate", site.path])
        #expect(validate.status == 0, "\(validate.stdout)\n\(validate.stderr)")
        let tried = try await PioneerBinary.run(["plugin", "test", name, "--site", site.path, "--config", folder.appending(path: "sample.yaml").path,
                                                 "--feed", feed, "--period", period, "--format", "json"], in: folder.path)
        #expect(tried.status == 0, "\(tried.stdout)\n\(tried.stderr)")
        #expect(tried.stdout.contains(#""value""#), "\(tried.stdout)")
    }

    @Test func aPythonPluginsOwnTestPassesStraightAway() async throws {
        try await Self.withSite { site in
            let run = try await PioneerBinary.run(["plugin", "new", "bed-days", "--python", "--site", site.path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("command: plugins/bed-days/bed_days.py"), "\(run.stdout)")
            let folder = site.appending(path: "plugins/bed-days")
            #expect(FileManager.default.isExecutableFile(atPath: folder.appending(path: "bed_days.py").path))
            let sample = try String(contentsOf: folder.appending(path: "sample.yaml"), encoding: .utf8)
            #expect(sample.contains("plugin: bed-days") && sample.contains("feed: council"), "the sample names the site's own feed:\n\(sample)")
            let test = try await ChildProcess.run("/usr/bin/env", ["python3", "-m", "unittest", "-q"], in: folder, timeout: 120)
            #expect(test.status == 0, "\(test.stdout)\n\(test.stderr)")
            try await Self.useInSite(site, name: "bed-days", command: "plugins/bed-days/bed_days.py",
                                     feed: "records=testdata/records.json")
        }
    }

    /// Found by a tester: `difflib`, `select` or `token` wrote a plugin whose own test failed
    /// (its module hid Python's), though the scaffold said it passed.
    @Test func aPythonPluginNamedAfterAPythonModuleIsRefused() async throws {
        try await Self.withSite { site in
            let run = try await PioneerBinary.run(["plugin", "new", "difflib", "--python", "--site", site.path])
            #expect(run.status == 1, "\(run.stdout)")
            #expect(run.stderr.contains("`difflib` is the name of a module Python already has, which the plugin's `difflib.py` would hide"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: site.appending(path: "plugins/difflib").path))
        }
    }

    @Test func aShellPluginsOwnTestPassesStraightAway() async throws {
        try await Self.withSite { site in
            let run = try await PioneerBinary.run(["plugin", "new", "home-count", "--shell", "--site", site.path])
            #expect(run.status == 0, "\(run.stderr)")
            // Its JSON reader is awk: the declaration it suggests hands it bodies in files.
            // At the column of `deadline:` (it was four deeper, and pasted as printed did not parse).
            #expect(run.stdout.contains("\n      deadline: 30\n      bodies: file"), "\(run.stdout)")
            let folder = site.appending(path: "plugins/home-count")
            let test = try await ChildProcess.run("/usr/bin/env", ["sh", "test.sh"], in: folder,
                                                  environment: ["PATH": Self.path], timeout: 120)
            #expect(test.status == 0, "\(test.stdout)\n\(test.stderr)")
            #expect(test.stdout.contains("8 passed, 0 failed"), "\(test.stdout)")
            // The shell example started from this scaffold and keeps its JSON reader unchanged.
            let scaffolded = try String(contentsOf: folder.appending(path: "json.awk"), encoding: .utf8)
            let example = try String(contentsOf: Self.root.appending(path: "sites/tower-hamlets/plugins/lowest-network/json.awk"), encoding: .utf8)
            #expect(scaffolded == example, "sites/tower-hamlets/plugins/lowest-network/json.awk differs from the one `plugin new --shell` writes; keep one reader")
            try await Self.useInSite(site, name: "home-count", command: "plugins/home-count/home_count.sh",
                                     feed: "rows=testdata/rows.csv")
        }
    }

    /// The answer of the scaffolded shell plugin in `folder` to observing a body that
    /// counts rows whose `outcome` is `home`: `response` holds the body's members
    /// (`body`, `body_base64` or `body_file`) besides the URL and status.
    static func observe(_ folder: URL, _ response: [String: String]) async throws -> String {
        var members: [String: Any] = ["url": "http://x.test/r.csv", "status": 200]
        for (key, value) in response { members[key] = value }
        let request: [String: Any] = [
            "protocol": 1, "method": "observe",
            "config": ["feed": "council", "path": "/r.csv", "column": "outcome", "equals": "home"],
            "periods": [["id": "2026-06", "type": "month", "start": "2026-06-01", "end": "2026-06-30",
                         "responses": ["rows": members]]],
        ]
        let run = try await ChildProcess.run(folder.appending(path: "home_count.sh").path, in: folder,
                                             environment: ["PATH": Self.path, "PIONEER_PLUGIN_PROTOCOL": "1",
                                                           "PIONEER_PLUGIN_MAGIC_COOKIE": "d2a7c1e0-pioneer-indicator-plugin"],
                                             input: try JSONSerialization.data(withJSONObject: request, options: .withoutEscapingSlashes), timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout
    }

    /// The scaffolded shell plugin's answers to `csv` as a `body` and as a `body_file`: both
    /// must be the same, and are returned once.
    static func observeBothWays(_ folder: URL, _ csv: String) async throws -> String {
        let file = folder.appending(path: "testdata/case.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let inline = try await observe(folder, ["body": csv])
        let filed = try await observe(folder, ["body_file": file.path])
        #expect(inline == filed, "a body in the request and the same body in a file are read alike")
        return inline
    }

    @Test func aShellPluginFailsAPeriodWithARowShorterOrLongerThanItsHeader() async throws {
        try await Self.withSite { site in
            _ = try await PioneerBinary.run(["plugin", "new", "home-count", "--shell", "--site", site.path])
            let folder = site.appending(path: "plugins/home-count")
            // Row 3 used to keep row 2's cells and count `home` a second time.
            #expect(try await Self.observeBothWays(folder, "person,outcome\n1,home\n2\n3,\n")
                == #"{"protocol": 1, "observations": [{"period": "2026-06", "error": "row 3 of http://x.test/r.csv has 1 field but the header has 2 columns"}]}"# + "\n")
            #expect(try await Self.observeBothWays(folder, "person,outcome\n1,home\n2,home,x\n")
                .contains(#""error": "row 3 of http://x.test/r.csv has 3 fields but the header has 2 columns""#))
        }
    }

    @Test func aShellPluginReadsAQuotedLineBreakAsPartOfItsRow() async throws {
        try await Self.withSite { site in
            _ = try await PioneerBinary.run(["plugin", "new", "home-count", "--shell", "--site", site.path])
            let folder = site.appending(path: "plugins/home-count")
            // The note's second line was read as a row of its own, and counted.
            #expect(try await Self.observeBothWays(folder, "person,outcome,note\n1,home,\"line one\nline two\"\n2,home,x\n")
                == #"{"protocol": 1, "observations": [{"period": "2026-06", "value": 2, "n": 2}]}"# + "\n")
            #expect(try await Self.observeBothWays(folder, "person,outcome,note\r\n1,home,\"a \"\"b\"\",\r\n\r\nhome\"\r\n2,away,\"home\nhome,home\"\r\n3,home,\r\n")
                .contains(#""value": 2, "n": 2"#))
            #expect(try await Self.observeBothWays(folder, "person,outcome,note\n1,home,\"never closed\n2,home,x\n")
                .contains(#""error": "row 2 of http://x.test/r.csv has a quoted field that is never closed""#))
        }
    }

    @Test func aShellPluginFailsAPeriodWhoseBodyIsNotUTF8() async throws {
        try await Self.withSite { site in
            _ = try await PioneerBinary.run(["plugin", "new", "home-count", "--shell", "--site", site.path])
            let folder = site.appending(path: "plugins/home-count")
            // pioneer sends a body that is not UTF-8 as `body_base64`; it was read as empty, and 0 came back.
            let latin1 = Data("person,outcome\n1,home\n2,caf".utf8) + [0xE9, 0x0A]
            #expect(try await Self.observe(folder, ["body_base64": latin1.base64EncodedString()])
                == #"{"protocol": 1, "observations": [{"period": "2026-06", "error": "the body of http://x.test/r.csv is not UTF-8 text; ask for a UTF-8 export"}]}"# + "\n")
            // And so through pioneer, which decides how the body goes.
            try latin1.write(to: folder.appending(path: "testdata/latin1.csv"))
            try await Self.useInSite(site, name: "home-count", command: "plugins/home-count/home_count.sh", feed: "rows=testdata/rows.csv")
            let tried = try await PioneerBinary.run(["plugin", "test", "home-count", "--site", site.path, "--config", folder.appending(path: "sample.yaml").path,
                                                     "--feed", "rows=testdata/latin1.csv", "--period", "2026-06"], in: folder.path)
            #expect(tried.status == 3, "\(tried.stdout)\n\(tried.stderr)")
            #expect(tried.stdout.contains("error: reported an error: the body of http://127.0.0.1:9/council/home-count.csv?month=2026-06 is not UTF-8 text; ask for a UTF-8 export"),
                    "\(tried.stdout)")
        }
    }

    @Test func tryingAScaffoldedPluginBeforeDeclaringItSaysToDeclareIt() async throws {
        try await Self.withSite { site in
            _ = try await PioneerBinary.run(["plugin", "new", "bed-days", "--python", "--site", site.path])
            let folder = site.appending(path: "plugins/bed-days")
            let run = try await PioneerBinary.run(["plugin", "test", "bed-days", "--site", site.path, "--config", folder.appending(path: "sample.yaml").path,
                                                   "--feed", "records=testdata/records.json", "--period", "2026-06"], in: folder.path)
            #expect(run.status == 1)
            #expect(run.stderr.contains("the plugin `bed-days` is in \(folder.path) but \(site.path)/site.yaml does not declare it; add it under `plugins:`"), "\(run.stderr)")
        }
    }

    @Test func aSecondPluginOfTheSameNameIsRefused() async throws {
        try await Self.withSite { site in
            _ = try await PioneerBinary.run(["plugin", "new", "bed-days", "--python", "--site", site.path])
            let again = try await PioneerBinary.run(["plugin", "new", "bed-days", "--shell", "--site", site.path])
            #expect(again.status == 1)
            #expect(again.stderr.contains("error: \(site.path)/plugins/bed-days already exists; choose another name, or remove the folder first"), "\(again.stderr)")
        }
    }

    @Test func badNamesAndAMissingLanguageAreUsageErrors() async throws {
        let cases: [([String], String)] = [
            (["plugin", "new", "bed-days"], "choose the plugin's language: --swift"),
            (["plugin", "new", "Bed_Days", "--python"], "`Bed_Days` cannot be a plugin name; use lowercase letters"),
            (["plugin", "new", "json", "--shell"], "`json` is the name of a built-in plugin"),
            (["plugin", "new", "falls-2", "--swift"], "its folder would be `Falls2`, whose name is `falls2`"),
            (["plugin", "new", "falls", "--swift", "--site", "sites/torbay"], "--site is for --python and --shell plugins"),
            (["plugin", "new", String(repeating: "b", count: 250), "--python"], "is 250 characters long; a plugin name has at most 64"),
        ]
        for (arguments, message) in cases {
            let run = try await PioneerBinary.run(arguments, in: Self.root.path)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    @Test func aSiteFolderWithoutASiteFileIsRefused() async throws {
        try await withTemporaryFolder(prefix: "pioneer-scaffold") { folder in
            let run = try await PioneerBinary.run(["plugin", "new", "bed-days", "--python", "--site", folder.path])
            #expect(run.status == 1)
            #expect(run.stderr.contains("holds no readable site.yaml; --site names a site folder"), "\(run.stderr)")
        }
    }

    @Test func aSwiftPluginOutsideThePackageIsRefused() async throws {
        try await withTemporaryFolder(prefix: "pioneer-scaffold") { folder in
            let run = try await PioneerBinary.run(["plugin", "new", "falls", "--swift"], in: folder.path)
            #expect(run.status == 1)
            #expect(run.stderr.contains("run `pioneer plugin new --swift` in the Pioneer package folder"), "\(run.stderr)")
        }
    }

    /// A copy of the files `plugin new --swift` reads and edits, and the Plugins/ folder.
    static func withPackageCopy(_ body: (URL) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-package") { copy in
            let manager = FileManager.default
            for path in ["Package.swift", "Sources/PioneerPlugins/PluginCatalogue+BuiltIn.swift"] {
                try manager.createDirectory(at: copy.appending(path: path).deletingLastPathComponent(), withIntermediateDirectories: true)
                try manager.copyItem(at: root.appending(path: path), to: copy.appending(path: path))
            }
            try manager.createDirectory(at: copy.appending(path: "Plugins"), withIntermediateDirectories: true)
            try manager.createDirectory(at: copy.appending(path: "Tests/PluginTests/Payloads"), withIntermediateDirectories: true)
            try await body(copy)
        }
    }

    @Test func aSwiftPluginIsWrittenAndRegisteredWhereTheConventionsSay() async throws {
        try await Self.withPackageCopy { copy in
            let run = try await PioneerBinary.run(["plugin", "new", "falls", "--swift"], in: copy.path)
            #expect(run.status == 0, "\(run.stderr)")
            let text = { (path: String) in (try? String(contentsOf: copy.appending(path: path), encoding: .utf8)) ?? "" }

            let manifest = text("Package.swift")
            #expect(manifest.contains("let indicatorPluginNames = [\"CareHomeDeaths\", \"CSV\", \"Falls\", \"JSON\", \"Rate\", \"Survey\"]"))
            let catalogue = text("Sources/PioneerPlugins/PluginCatalogue+BuiltIn.swift")
            #expect(catalogue.contains("import CSVPlugin\nimport FallsPlugin\nimport JSONPlugin"), "\(catalogue)")
            #expect(catalogue.contains("PluginFactory(CSVIndicatorPlugin.self),\n        PluginFactory(FallsIndicatorPlugin.self),\n        PluginFactory(JSONIndicatorPlugin.self),"), "\(catalogue)")

            let source = text("Plugins/Falls/FallsIndicatorPlugin.swift")
            #expect(source.contains("public struct FallsIndicatorPlugin: IndicatorPlugin {"))
            #expect(source.contains("static let name = \"falls\""))
            let sample = text("Plugins/Falls/sample.yaml")
            #expect(sample.contains("\n  plugin: falls\n"))
            let readme = text("Plugins/Falls/README.md")
            for section in ["## Configuration", "## Output", "## Errors", "## Example"] {
                #expect(readme.components(separatedBy: "\n").contains(section), "README lacks \(section)")
            }
            #expect(readme.contains("## Configuration\n\n```yaml\n" + sample.trimmingCharacters(in: .newlines) + "\n```"),
                    "the README's Configuration block is the sample")
            let test = text("Tests/PluginTests/FallsPluginTests.swift")
            #expect(test.contains("PluginHarness(FallsIndicatorPlugin.self"))
            #expect(FileManager.default.fileExists(atPath: copy.appending(path: "Tests/PluginTests/Payloads/falls/document.json").path))
        }
    }

    /// The sample's config is the `json` plugin's, which the scaffold reads: run through the
    /// real `json` plugin on the scaffold's recorded body, it gives the value its test expects.
    @Test func theSwiftSampleAndPayloadGiveTheValueTheTestExpects() async throws {
        try await Self.withPackageCopy { copy in
            _ = try await PioneerBinary.run(["plugin", "new", "falls", "--swift"], in: copy.path)
            let sample = try String(contentsOf: copy.appending(path: "Plugins/Falls/sample.yaml"), encoding: .utf8)
            let asJSON = copy.appending(path: "json.yaml")
            try sample.replacingOccurrences(of: "plugin: falls", with: "plugin: json").write(to: asJSON, atomically: true, encoding: .utf8)
            let run = try await PioneerBinary.run(["plugin", "test", "json", "--config", asJSON.path, "--format", "json",
                                                   "--feed", "document=\(copy.path)/Tests/PluginTests/Payloads/falls/document.json",
                                                   "--period", "2026-06"], in: copy.path)
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.first?["value"] as? Double == 12, "\(run.stdout)")
        }
    }

    /// The generated plugin and its test type-check against the modules the package build left
    /// in .build (swiftc -typecheck: seconds, not a second build).
    @Test func theSwiftPluginAndItsTestTypeCheck() async throws {
        let modules = try #require(PioneerBinary.url()?.deletingLastPathComponent().appending(path: "Modules"))
        try #require(FileManager.default.fileExists(atPath: modules.appending(path: "PioneerKit.swiftmodule").path),
                     "no built modules in \(modules.path)")
        try await Self.withPackageCopy { copy in
            _ = try await PioneerBinary.run(["plugin", "new", "falls", "--swift"], in: copy.path)
            let built = copy.appending(path: "built")
            try FileManager.default.createDirectory(at: built, withIntermediateDirectories: true)
            let features = ["-enable-upcoming-feature", "ExistentialAny", "-enable-upcoming-feature", "InternalImportsByDefault",
                            "-enable-upcoming-feature", "MemberImportVisibility", "-swift-version", "6"]
            let plugin = try await ChildProcess.run("/usr/bin/env", ["swiftc", "-emit-module", "-module-name", "FallsPlugin",
                                                                     "-I", modules.path, "-emit-module-path", built.appending(path: "FallsPlugin.swiftmodule").path,
                                                                     copy.appending(path: "Plugins/Falls/FallsIndicatorPlugin.swift").path] + features,
                                                    in: copy, timeout: 120)
            #expect(plugin.status == 0, "the plugin does not compile:\n\(plugin.stderr)")
            let test = try await ChildProcess.run("/usr/bin/env", ["swiftc", "-typecheck", "-module-name", "FallsPluginTests",
                                                                   "-I", built.path, "-I", modules.path] + Self.moduleMaps(build: modules.deletingLastPathComponent()) + [
                                                                   copy.appending(path: "Tests/PluginTests/FallsPluginTests.swift").path] + features,
                                                  in: copy, timeout: 120)
            #expect(test.status == 0, "the plugin's test does not type-check:\n\(test.stderr)")
        }
    }

    /// `-Xcc -fmodule-map-file=` for every C module the test's imports reach (NIO's shims,
    /// libcurl, libyaml): the build's own maps, the dependencies' and the package's.
    static func moduleMaps(build: URL) -> [String] {
        let manager = FileManager.default
        var maps: [String] = []
        for name in (try? manager.contentsOfDirectory(atPath: build.path)) ?? [] where name.hasSuffix(".build") {
            let map = build.appending(path: "\(name)/module.modulemap")
            if manager.fileExists(atPath: map.path) { maps.append(map.path) }
        }
        let checkouts = root.appending(path: ".build/checkouts")
        for package in (try? manager.contentsOfDirectory(atPath: checkouts.path)) ?? [] {
            let sources = checkouts.appending(path: "\(package)/Sources")
            for target in (try? manager.contentsOfDirectory(atPath: sources.path)) ?? [] {
                let map = sources.appending(path: "\(target)/include/module.modulemap")
                if manager.fileExists(atPath: map.path) { maps.append(map.path) }
            }
        }
        for target in (try? manager.contentsOfDirectory(atPath: root.appending(path: "Sources").path)) ?? [] {
            let map = root.appending(path: "Sources/\(target)/module.modulemap")
            if manager.fileExists(atPath: map.path) { maps.append(map.path) }
        }
        return maps.flatMap { ["-Xcc", "-fmodule-map-file=\($0)"] }
    }
}
