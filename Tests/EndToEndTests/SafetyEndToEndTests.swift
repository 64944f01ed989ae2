// The real `pioneer` binary against hostile or broken input: an unset token on one feed,
// a path that climbs out of base_url, a site.yaml that is a FIFO, a device or a link
// loop, and an empty --store.
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer safety end to end", .timeLimit(.minutes(5)))
struct SafetyEndToEndTests {
    /// A site `safeshire` with two feeds on `baseURL`: `open` needs nothing, `locked` a
    /// bearer token from `SAFESHIRE_TOKEN`; one monthly count indicator on each.
    private func siteYAML(baseURL: String, lockedPath: String = "/locked") -> String {
        """
        site:
          id: safeshire
          name: Safeshire
          region: North
          wave: Test wave
          focus: [older people]

        feeds:
          open:
            base_url: \(baseURL)
            retries: 0
          locked:
            base_url: \(baseURL)
            retries: 0
            auth: { type: bearer, token: "${SAFESHIRE_TOKEN}" }

        indicators:
          - id: open-count
            name: Count from the open feed
            kind: process
            value_type: count
            unit: people
            period: month
            better: higher
            plugin: json
            config:
              feed: open
              path: /open
              select: $.value
          - id: locked-count
            name: Count from the locked feed
            kind: process
            value_type: count
            unit: people
            period: month
            better: higher
            plugin: json
            config:
              feed: locked
              path: \(lockedPath)
              select: $.value

        """
    }

    /// Calls `body` with the site directory `safeshire` holding `site.yaml` with `text`, in a
    /// temporary root removed afterwards.
    private func withSite<T>(_ text: String, _ body: (_ site: URL) async throws -> T) async throws -> T {
        try await withTemporaryFolder(prefix: "pioneer-safety-e2e") { root in
            let site = root.appendingPathComponent("safeshire")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try text.write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            return try await body(site)
        }
    }

    private let environment = ["PATH": "/usr/bin:/bin"]

    @Test func anUnsetTokenFailsOnlyTheIndicatorsOnItsFeedAndExitsThree() async throws {
        let server = LocalFeedServer(routes: ["/open": .json(#"{"value": 7}"#), "/locked": .json(#"{"value": 9}"#)])
        try await server.run { baseURL in
            try await withSite(siteYAML(baseURL: baseURL)) { site in
                let run = try await PioneerBinary.run(["collect", site.path, "--period", "2026-01"], environment: environment)
                #expect(run.status == 3, "stderr: \(run.stderr)")
                #expect(run.stderr.contains("site.yaml:15:34: warning"))
                #expect(run.stderr.contains("warning: feeds.locked.auth.token: environment variable `SAFESHIRE_TOKEN` is not set; collect will fail for this feed until it is set"))
                let output = run.stdout + run.stderr
                #expect(output.contains("credential ${SAFESHIRE_TOKEN} is not set (bearer token); nothing was sent"))
                #expect(await server.requests == ["/open"])

                let measures = try await PioneerBinary.run(["measures", site.path, "--format", "csv"], environment: environment)
                #expect(measures.status == 0, "stderr: \(measures.stderr)")
                #expect(measures.stdout.contains("open-count"))
                #expect(!measures.stdout.contains("locked-count"))
            }
        }
    }

    @Test func validateRefusesAPathThatClimbsOutOfBaseURLAtItsLineAndColumn() async throws {
        let text = siteYAML(baseURL: "http://127.0.0.1:9", lockedPath: #""/../../../../etc/passwd""#)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("/etc/passwd") }) + 1
        try await withSite(text) { site in
            let run = try await PioneerBinary.run(["validate", site.path], environment: environment.merging(["SAFESHIRE_TOKEN": "t"]) { $1 })
            #expect(run.status == 1)
            #expect((run.stdout + run.stderr).contains(
                "site.yaml:\(line):13: error: indicators[1].config.path: path `/../../../../etc/passwd` climbs out of the feed's base_url"),
                    "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        }
    }

    @Test func aFIFOAsSiteYAMLIsRefusedWithoutWaiting() async throws {
        try await withSite("") { site in
            let file = site.appendingPathComponent("site.yaml").path
            try FileManager.default.removeItem(atPath: file)
            #expect(mkfifo(file, 0o644) == 0)
            let run = try await PioneerBinary.run(["validate", site.path], environment: environment)
            #expect(run.status == 1)
            #expect((run.stdout + run.stderr).contains("site.yaml: error: is not a regular file (it is a named pipe (FIFO))"))
        }
    }

    @Test func devZeroAndALinkLoopAsSiteYAMLSayWhatTheyAre() async throws {
        try await withSite("") { site in
            let file = site.appendingPathComponent("site.yaml").path
            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "/dev/zero")
            let zero = try await PioneerBinary.run(["validate", site.path], environment: environment)
            #expect(zero.status == 1)
            #expect((zero.stdout + zero.stderr).contains("is not a regular file (it is a character device)"))

            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "site.yaml")
            let loop = try await PioneerBinary.run(["validate", site.path], environment: environment)
            #expect(loop.status == 1)
            #expect((loop.stdout + loop.stderr).contains("site.yaml: error: is a symbolic link loop"))
        }
    }

    @Test func anEmptyStorePathIsAUsageError() async throws {
        try await withSite(siteYAML(baseURL: "http://127.0.0.1:9")) { site in
            for arguments in [["collect", site.path, "--period", "2026-01", "--store", ""], ["measures", site.path, "--store", ""]] {
                let run = try await PioneerBinary.run(arguments, environment: environment)
                #expect(run.status == 2, "\(arguments[0]): \(run.stderr)")
                #expect(run.stderr.contains("error: --store needs a path"), "\(arguments[0]): \(run.stderr)")
            }
        }
    }
}
