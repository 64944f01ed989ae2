// Finding and reading site files on disk: missing folders and files, encodings,
// sizes, and discovery of the sites folder.
import Foundation
import PioneerKit
import PioneerTesting
import Testing
@testable import PioneerConfig
import PioneerCore

@Suite("Site loader")
struct SiteLoaderTests {
    /// The issues loading `directory` throws.
    func issues(loading directory: String) -> [ConfigIssue] {
        do {
            _ = try SiteFixture.loader().load(directory: directory)
            return []
        } catch {
            return error.issues
        }
    }

    @Test("a valid site loads from its directory, with or without a trailing slash")
    func loadsFromDisk() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torbay/site.yaml", SiteFixture.valid)
            let loaded = try SiteFixture.loader().load(directory: temporary.path + "/torbay/")
            #expect(loaded.site.id == "torbay")
            #expect(loaded.site.file == temporary.path + "/torbay/site.yaml")
            #expect(loaded.site.directory == temporary.path + "/torbay")
        }
    }

    @Test("a missing directory is named")
    func missingDirectory() {
        let found = issues(loading: "/nonexistent/pioneer/sites/nowhere")
        #expect(found.map(\.description) == ["/nonexistent/pioneer/sites/nowhere: error: the site directory does not exist"])
    }

    @Test("a directory without site.yaml names the file expected")
    func missingSiteFile() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torbay/notes.txt", "")
            let found = issues(loading: temporary.path + "/torbay")
            #expect(found.map(\.description) == ["\(temporary.path)/torbay/site.yaml: error: the site directory has no site.yaml; every site directory needs one"])
        }
    }

    @Test("a site.yml is pointed out")
    func ymlSpelling() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torbay/site.yml", SiteFixture.valid)
            #expect(issues(loading: temporary.path + "/torbay").first?.message == "no site.yaml here, but there is a site.yml; rename it to site.yaml")
        }
    }

    @Test("a site file over the size limit is refused before reading")
    func oversizedFile() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torbay/site.yaml", Data(count: 3 * 1024 * 1024))
            #expect(issues(loading: temporary.path + "/torbay").first?.message == "the file is 3 MB; configuration files are limited to 2 MB")
        }
    }

    @Test("a UTF-16 file is told to be saved as UTF-8")
    func utf16File() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torbay/site.yaml", try #require(SiteFixture.valid.data(using: .utf16)))
            #expect(issues(loading: temporary.path + "/torbay").first?.message == "the file is saved as UTF-16; save it as UTF-8")
        }
    }

    @Test("a binary file is refused with its location")
    func binaryFile() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torbay/site.yaml", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            let issue = try #require(issues(loading: temporary.path + "/torbay").first)
            #expect(issue.message.hasPrefix("the file is not UTF-8 text (byte 0x89)"))
            #expect(issue.location.line == 1 && issue.location.column == 1)
        }
    }

    @Test("the site id must match the folder the file is in")
    func folderNameComesFromDisk() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torquay/site.yaml", SiteFixture.valid)
            let issue = try #require(issues(loading: temporary.path + "/torquay").first)
            #expect(issue.message == "site id `torbay` must equal the name of its folder, `torquay`; rename one of them")
            #expect(issue.location.file == temporary.path + "/torquay/site.yaml")
        }
    }

    @Test("discovery lists site folders sorted, skipping folders without a site file")
    func discoverSites() throws {
        try withTemporaryFolder(prefix: "pioneer-config-tests") { temporary in
            try temporary.write("torbay/site.yaml", "")
            try temporary.write("cambridge/site.yaml", "")
            try temporary.write("drafts/notes.md", "")
            try temporary.write(".hidden/site.yaml", "")
            #expect(try SiteLoader.discover(root: temporary.path) == [temporary.path + "/cambridge", temporary.path + "/torbay"])
        }
    }

    @Test("discovery in a missing sites folder says what to do")
    func discoverMissingRoot() {
        #expect(throws: ConfigError.self) { try SiteLoader.discover(root: "/nonexistent/pioneer-sites") }
        do {
            _ = try SiteLoader.discover(root: "/nonexistent/pioneer-sites")
        } catch {
            #expect(error.description == "/nonexistent/pioneer-sites: error: the sites folder does not exist; run pioneer where `/nonexistent/pioneer-sites` is, or choose the folder with --root")
        }
    }

    @Test("sizes are read in the documented forms")
    func byteCounts() throws {
        #expect(try ByteCount.parse("20MB") == 20 * 1024 * 1024)
        #expect(try ByteCount.parse("512 kb") == 512 * 1024)
        #expect(try ByteCount.parse("1GB") == 1024 * 1024 * 1024)
        #expect(try ByteCount.parse("1048576") == 1_048_576)
        #expect(throws: ByteCount.ParseError.notPositive) { try ByteCount.parse("0MB") }
        #expect(throws: ByteCount.ParseError.notASize) { try ByteCount.parse("20 furlongs") }
        #expect(throws: ByteCount.ParseError.notASize) { try ByteCount.parse("99999999999999999999GB") }
    }
}
