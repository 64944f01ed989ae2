// Safety checks at load time: a feed path that climbs out of base_url, and a site.yaml
// that is not an ordinary file (a FIFO, a device, a symlink loop, a broken link).
import Foundation
import PioneerKit
import PioneerTesting
import PioneerPlugins
import PioneerCore
import Testing
@testable import PioneerConfig

@Suite("Site safety")
struct SiteSafetyTests {
    /// The fixture site with its first indicator read by the real json plugin at `path`.
    private func site(path: String) -> String {
        SiteFixture.replacing("""
                plugin: feed-count
                config:
                  feed: bi
                  path: /admissions?month={period}
            """, with: """
                plugin: json
                config:
                  feed: bi
                  path: \(path)
                  select: "$.value"
            """)
    }

    private func issues(path: String) -> [ConfigIssue] {
        SiteFixture.issues(site(path: path), loader: SiteLoader(plugins: .builtIn(adding: [PluginFactory(FeedCountPlugin.self)]),
                                                                environment: SiteFixture.environment))
    }

    @Test("a path whose .. climbs out of base_url is an error at the path's line and column")
    func climbingPath() throws {
        let found = issues(path: #""/../../../../etc/passwd""#)
        let issue = try #require(found.first { $0.message.contains("climbs out") })
        #expect(issue.severity == .error)
        #expect(issue.description == """
            sites/torbay/site.yaml:35:13: error: indicators[0].config.path: path `/../../../../etc/passwd` climbs out of the feed's base_url with `..` (or an encoded `%2e%2e`); a path must stay under base_url
            """)
    }

    @Test("percent-encoded dots, encoded slashes and backslashes climb too")
    func encodedClimbs() {
        for path in ["/%2e%2e/secret", "/.%2E/x", "/reports/..%2f..%2fsecret", #"/a\..\..\b"#, "/a//../../b"] {
            #expect(FeedPathTemplate.climbsOutOfBase(path), "\(path)")
        }
    }

    @Test("a .. that stays under base_url, dots in names, and .. in the query are allowed")
    func allowedDots() {
        for path in ["/reports/../admissions", "/v1.2/x", "/.well-known/data", "/a/./b",
                     "/admissions?from=../../x", "/x#../..", "/{period}/..", "..."] {
            #expect(!FeedPathTemplate.climbsOutOfBase(path), "\(path)")
        }
        #expect(!issues(path: "/reports/../admissions?month={period}").contains { $0.message.contains("climbs out") })
    }

    // MARK: What site.yaml is on disk

    /// A temporary site directory named `torbay` (as the fixture's id), removed after `body`.
    private func withSiteDirectory(_ body: (String) throws -> Void) throws {
        try withTemporaryFolder(prefix: "pioneer-safety") { root in
            let directory = root.appendingPathComponent("torbay")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try body(directory.path)
        }
    }

    private func loadError(_ directory: String) -> String? {
        do {
            _ = try SiteFixture.loader().load(directory: directory)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a FIFO as site.yaml is refused at once as not a regular file")
    func fifo() throws {
        try withSiteDirectory { directory in
            #expect(mkfifo("\(directory)/site.yaml", 0o644) == 0)
            let started = ContinuousClock.now
            let message = loadError(directory)
            #expect(ContinuousClock.now - started < .seconds(10), "a FIFO with no writer would block for ever; this must not wait")
            #expect(message == "\(directory)/site.yaml: error: is not a regular file (it is a named pipe (FIFO)); give an ordinary text file")
        }
    }

    @Test("a link to /dev/zero as site.yaml is refused as a character device")
    func device() throws {
        try withSiteDirectory { directory in
            try FileManager.default.createSymbolicLink(atPath: "\(directory)/site.yaml", withDestinationPath: "/dev/zero")
            #expect(loadError(directory)
                == "\(directory)/site.yaml: error: is not a regular file (it is a character device); give an ordinary text file")
        }
    }

    @Test("a symlink loop as site.yaml says it is a loop")
    func linkLoop() throws {
        try withSiteDirectory { directory in
            try FileManager.default.createSymbolicLink(atPath: "\(directory)/site.yaml", withDestinationPath: "loop.yaml")
            try FileManager.default.createSymbolicLink(atPath: "\(directory)/loop.yaml", withDestinationPath: "site.yaml")
            #expect(loadError(directory)
                == "\(directory)/site.yaml: error: is a symbolic link loop (following the links leads back round); point the link at the real file")
        }
    }

    @Test("a site.yaml linking to a missing file names the target")
    func danglingLink() throws {
        try withSiteDirectory { directory in
            try FileManager.default.createSymbolicLink(atPath: "\(directory)/site.yaml", withDestinationPath: "gone.yaml")
            #expect(loadError(directory) == "\(directory)/site.yaml: error: is a symbolic link to `gone.yaml`, which does not exist")
        }
    }

    @Test("a site directory that is a symlink loop says so")
    func directoryLoop() throws {
        try withSiteDirectory { directory in
            let site = "\(directory)/loopy"
            try FileManager.default.createSymbolicLink(atPath: site, withDestinationPath: "loopy")
            #expect(loadError(site)
                == "\(site): error: is a symbolic link loop (following the links leads back round); point the link at the real file")
        }
    }

    @Test("discovery lists a site whose site.yaml is broken, so loading can say why")
    func discoveryKeepsBrokenSites() throws {
        try withSiteDirectory { root in
            try FileManager.default.createDirectory(atPath: "\(root)/loopy", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: "\(root)/loopy/site.yaml", withDestinationPath: "site.yaml")
            try FileManager.default.createDirectory(atPath: "\(root)/empty", withIntermediateDirectories: true)
            #expect(try SiteLoader.discover(root: root) == ["\(root)/loopy"])
        }
    }

    @Test("an ordinary site.yaml still loads")
    func regularFile() throws {
        try withSiteDirectory { directory in
            try SiteFixture.valid.write(toFile: "\(directory)/site.yaml", atomically: true, encoding: .utf8)
            #expect(loadError(directory) == nil)
        }
    }
}
