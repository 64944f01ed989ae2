// Where large bodies wait while they are read: $TMPDIR when set, else /tmp, unless /tmp is a
// tmpfs (Debian 13, Fedora), whose files take the machine's memory: then /var/tmp on the disk.
import Foundation
@testable import PioneerFeeds
import PioneerTesting
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

/// A folder or lease left by a killed process whose id a later process was given (process 1 in
/// a container) is a leftover: its name holds the start of the process that made it.
@Suite struct LeftoverTests {
    @Test func anItemOfAnotherProcessWithTheSameIdIsALeftover() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["10"]
        let child = try StartedProcess.start(process)
        let ticks = try #require(processStartTicks(child.pid))
        #expect(!leftByAProcessGone(pid: child.pid, ticks: ticks))
        #expect(leftByAProcessGone(pid: child.pid, ticks: ticks - 1), "the id given again to a later process")
        #expect(!leftByAProcessGone(pid: child.pid, ticks: nil), "an older name, without the start: judged by the id")
        _ = await child.exit(within: 0)
        #expect(leftByAProcessGone(pid: child.pid, ticks: ticks), "no process has the id any more")
        #expect(processOfName("4127-99881-1f0c9a2e4b7d")! == (4127, 99881))
        #expect(processOfName("4127")!.ticks == nil)
        #expect(TemporaryBodies.folder.lastPathComponent.hasPrefix("pioneer-bodies-\(getpid())-\(processStartTicks(getpid())!)-"))
    }
}
