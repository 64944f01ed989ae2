// Whether two paths name one store or one site folder is decided on the paths the system opens:
// a link followed, and `..` after a link taken from the link's target, as open(2) takes it.
import Foundation
import PioneerTesting
import Testing
@testable import PioneerStore

@Suite struct RealPathTests {
    /// `root/real/w/sub` reached as `root/deep/down/link`.
    private func linkedTree(in root: URL) throws -> URL {
        let root = root.resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: root.appending(path: "real/w/sub"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appending(path: "deep/down"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appending(path: "deep/down/link"),
                                                   withDestinationURL: root.appending(path: "real/w/sub"))
        return root
    }

    @Test func dotDotAfterALinkIsTheParentOfTheLinksTarget() throws {
        try withTemporaryFolder { folder in
            let root = try linkedTree(in: folder)
            #expect(RealPath.of(root.path + "/deep/down/link/..") == root.path + "/real/w")
            #expect(RealPath.of(root.path + "/deep/down/link/../") == root.path + "/real/w")
            #expect(RealPath.of(root.path + "/deep/down/link") == root.path + "/real/w/sub")
        }
    }

    @Test func aFileNotYetMadeIsPlacedWhereTheExistingPartLeads() throws {
        try withTemporaryFolder { folder in
            let root = try linkedTree(in: folder)
            #expect(RealPath.of(root.path + "/deep/down/link/../.pioneer/store.sqlite") == root.path + "/real/w/.pioneer/store.sqlite")
            // In the missing part, `.` and `..` are read as written: a missing folder holds no link.
            #expect(RealPath.of(root.path + "/deep/down/link/../new/./a/../b.sqlite") == root.path + "/real/w/new/b.sqlite")
        }
    }

    @Test func aRelativePathIsReadFromTheCurrentFolder() {
        let here = RealPath.of(FileManager.default.currentDirectoryPath)
        #expect(RealPath.of("no-such-file-here.sqlite") == here + "/no-such-file-here.sqlite")
        #expect(RealPath.of(".") == here)
        #expect(RealPath.of("/") == "/")
    }
}
