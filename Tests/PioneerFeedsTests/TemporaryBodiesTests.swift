// Where large bodies wait while they are read: $TMPDIR when set, else /tmp, unless /tmp is a
// tmpfs (Debian 13, Fedora), whose files take the machine's memory: then /var/tmp on the disk.
import Foundation
@testable import PioneerFeeds
import Testing

@Suite struct TemporaryBodiesTests {
    @Test func tmpdirWhenSetWhateverHoldsIt() {
        let chosen = TemporaryBodies.chooseParent(environment: ["TMPDIR": "/scratch/big"], inMemory: { _ in true })
        #expect(chosen.path == "/scratch/big")
    }

    @Test func varTmpWhenTmpIsHeldInMemory() {
        let memory: (String) -> Bool = { $0 == "/tmp" }
        #expect(TemporaryBodies.chooseParent(environment: [:], inMemory: memory, writable: { _ in true }).path == "/var/tmp")
        // Not when /var/tmp cannot be written, nor when it is in memory too.
        #expect(TemporaryBodies.chooseParent(environment: [:], inMemory: memory, writable: { _ in false }).path == "/tmp")
        #expect(TemporaryBodies.chooseParent(environment: [:], inMemory: { _ in true }, writable: { _ in true }).path == "/tmp")
        #expect(TemporaryBodies.chooseParent(environment: ["TMPDIR": ""], inMemory: { _ in false }).path == "/tmp")
    }

    @Test func theMountHoldingAPathIsTheLongestThatHoldsIt() {
        let table = """
        /dev/sda1 / ext4 rw,relatime 0 0
        tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
        /dev/sdb1 /var/tmp xfs rw 0 0
        tmpfs /run/user\\0401000 tmpfs rw 0 0
        """
        #expect(TemporaryBodies.fileSystemType(of: "/tmp", mounts: table) == "tmpfs")
        #expect(TemporaryBodies.fileSystemType(of: "/tmp/pioneer-bodies-1", mounts: table) == "tmpfs")
        #expect(TemporaryBodies.fileSystemType(of: "/tmpfiles", mounts: table) == "ext4")
        #expect(TemporaryBodies.fileSystemType(of: "/var/tmp", mounts: table) == "xfs")
        #expect(TemporaryBodies.fileSystemType(of: "/run/user 1000/x", mounts: table) == "tmpfs")
        #expect(TemporaryBodies.fileSystemType(of: "/home/site", mounts: table) == "ext4")
    }

    @Test func thisMachinesTemporaryFolderIsOnItsDiskOrSet() {
        // Whatever this machine mounts, the folder chosen is not held in memory unless TMPDIR says so.
        let environment = ProcessInfo.processInfo.environment
        if environment["TMPDIR"]?.isEmpty ?? true, !TemporaryBodies.isInMemory("/var/tmp") {
            #expect(!TemporaryBodies.isInMemory(TemporaryBodies.parent.path) || !FileManager.default.isWritableFile(atPath: "/var/tmp"))
        }
        #expect(TemporaryBodies.folder.lastPathComponent.hasPrefix("pioneer-bodies-\(getpid())-"))
    }
}
