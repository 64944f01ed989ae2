// The example external plugins under sites/: each one's own test passes, and each answers real
// protocol requests (describe, validate, requests, observe; another version) as the pinned
// protocol says, run the way the host runs it: the site folder as working directory, only the
// protocol's variables in the environment.
import Foundation
import PioneerConfig
import PioneerKit
import PioneerTesting
import Testing

@Suite("External plugin examples")
struct ExternalPluginExampleTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let site = root.appending(path: "sites/tower-hamlets")
    static let environment = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "PIONEER_PLUGIN_PROTOCOL": "1",
        "PIONEER_PLUGIN_MAGIC_COOKIE": "d2a7c1e0-pioneer-indicator-plugin",
    ]

    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var command: String
        var test: [String]
        var batch: Bool
        var testDescription: String { name }
    }

    static let examples = [
        Example(name: "care-process-target", command: "plugins/care-process-target/care_process_target.py",
                test: ["python3", "-m", "unittest", "-q"], batch: true),
        Example(name: "lowest-network", command: "plugins/lowest-network/lowest_network.sh",
                test: ["sh", "test.sh"], batch: false),
    ]

    static let june = ["id": "2025-06", "type": "month", "start": "2025-06-01", "end": "2025-06-30"]

    /// The plugin's answer to `request`, run as the host runs it.
    static func call(_ example: Example, _ request: [String: Any]) async throws -> [String: Any] {
        let input = try JSONSerialization.data(withJSONObject: request)
        let run = try await ChildProcess.run(site.appending(path: example.command).path, in: site,
                                             environment: environment, input: input, timeout: 30)
        #expect(run.status == 0, "\(example.name) exited \(run.status): \(run.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return try #require(answer, "\(example.name) answered \(run.stdout)")
    }

    static func request(_ method: String, _ example: Example, _ extra: [String: Any] = [:]) -> [String: Any] {
        var request: [String: Any] = [
            "protocol": 1, "method": method,
            "indicator": ["id": example.name, "value_type": "proportion", "period": "month", "better": "higher"],
            "config": ["feed": "gp", "path": "/extracts/ltc-registers.csv?month={period}"],
            "site": ["id": "tower-hamlets", "name": "Tower Hamlets", "population": ["total": 310300, "aged_65_plus": 19600]],
        ]
        request.merge(extra) { _, new in new }
        return request
    }

    @Test("each example's own test passes", arguments: examples)
    func ownTestPasses(_ example: Example) async throws {
        let folder = Self.site.appending(path: "plugins/\(example.name)")
        let run = try await ChildProcess.run("/usr/bin/env", example.test, in: folder, timeout: 120)
        #expect(!run.timedOut)
        #expect(run.status == 0, "\(example.test.joined(separator: " ")) in \(folder.path):\n\(run.stdout)\n\(run.stderr)")
    }

    @Test("describe says the protocol, the batch mode and the methods", arguments: examples)
    func describes(_ example: Example) async throws {
        let answer = try await Self.call(example, ["protocol": 1, "method": "describe"])
        #expect(answer["protocol"] as? Int == 1)
        #expect(answer["batch"] as? Bool == example.batch)
        #expect(answer["methods"] as? [String] == ["validate", "requests", "observe"])
        #expect((answer["summary"] as? String)?.isEmpty == false)
    }

    @Test("validate places a misspelt key's error at that key", arguments: examples)
    func validates(_ example: Example) async throws {
        let good = try await Self.call(example, Self.request("validate", example))
        #expect((good["issues"] as? [Any])?.isEmpty == true, "\(good)")
        let bad = try await Self.call(example, Self.request("validate", example, ["config": ["feed": "gp", "path": "/x", "minimum_registr": 5]]))
        let issues = try #require(bad["issues"] as? [[String: String]])
        #expect(issues.contains { $0["key"] == "minimum_registr" && $0["severity"] == "error" && $0["message"]?.contains("unknown key") == true }, "\(issues)")
    }

    @Test("requests name the site's feed and fill in the period", arguments: examples)
    func requests(_ example: Example) async throws {
        let answer = try await Self.call(example, Self.request("requests", example, ["periods": [Self.june]]))
        let requests = try #require(answer["requests"] as? [[String: String]])
        #expect(requests == [["period": "2025-06", "key": "registers", "feed": "gp", "path": "/extracts/ltc-registers.csv?month=2025-06"]])
    }

    @Test("observe computes the recorded extract", arguments: examples)
    func observes(_ example: Example) async throws {
        let body = try String(contentsOf: Self.site.appending(path: "plugins/\(example.name)/testdata/ltc-registers-2025-06.csv"), encoding: .utf8)
        var period: [String: Any] = Self.june
        period["responses"] = ["registers": ["url": "http://127.0.0.1:8470/tower-hamlets/gp/extracts/ltc-registers.csv?month=2025-06",
                                             "status": 200, "content_type": "text/csv", "body": body]]
        let answer = try await Self.call(example, Self.request("observe", example, ["periods": [period]]))
        let observations = try #require(answer["observations"] as? [[String: Any]])
        let observation = try #require(observations.first)
        #expect(observations.count == 1)
        #expect(observation["period"] as? String == "2025-06")
        switch example.name {
        case "care-process-target":
            // 4 of the 8 practices give at least 75% of their register all eight care processes.
            #expect(observation["value"] as? Double == 0.5)
            #expect(observation["numerator"] as? Int == 4)
            #expect(observation["denominator"] as? Int == 8)
        default:
            // Network 1: 1,925 of 2,537, below Network 2's 1,815 of 2,359.
            #expect(observation["numerator"] as? Int == 1925)
            #expect(observation["denominator"] as? Int == 2537)
            #expect(abs((observation["value"] as? Double ?? 0) - 1925.0 / 2537.0) < 1e-9)
        }
    }

    @Test("a request of another protocol version is answered with the plugin's version and why", arguments: examples)
    func answersAnotherVersion(_ example: Example) async throws {
        let answer = try await Self.call(example, ["protocol": 2, "method": "describe"])
        #expect(answer["protocol"] as? Int == 1)
        #expect((answer["error"] as? String)?.contains("speaks protocol version 1; the request is version 2") == true, "\(answer)")
    }

    @Test("run by hand, without the host's cookie, a plugin says to run it from pioneer", arguments: examples)
    func refusesToRunByHand(_ example: Example) async throws {
        let run = try await ChildProcess.run(Self.site.appending(path: example.command).path, in: Self.site,
                                             environment: ["PATH": Self.environment["PATH"] ?? ""],
                                             input: Data(#"{"protocol": 1, "method": "describe"}"#.utf8), timeout: 30)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("run it from pioneer"), "\(run.stderr)")
    }

    @Test("each README's site YAML parses, and its indicator entry is the folder's sample", arguments: examples)
    func readmeYAMLParses(_ example: Example) throws {
        let folder = Self.site.appending(path: "plugins/\(example.name)")
        let readme = try String(contentsOf: folder.appending(path: "README.md"), encoding: .utf8)
        let block = try #require(readme.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let tree = try ConfigDocument.parse(block, file: "\(example.name)/README.md")
        #expect(tree["plugins"]?[example.name]?["command"]?.scalar == example.command)
        #expect(tree["indicators"]?.items?.first?["plugin"]?.scalar == example.name)
        let sample = try String(contentsOf: folder.appending(path: "sample.yaml"), encoding: .utf8)
        let indented = sample.trimmingCharacters(in: .newlines).components(separatedBy: "\n").map { "  " + $0 }.joined(separator: "\n")
        #expect(block.contains(indented), "\(example.name)/README.md's indicator entry should be sample.yaml, indented under `indicators:`")
    }
}
