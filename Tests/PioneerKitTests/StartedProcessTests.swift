// The tests' own way of starting children (posix_spawn, not Foundation's `Process.run()`, which
// now and then crashed the test process): a child gets what its `Process` configures and none
// of the test process's other descriptors, and its end is heard with its status or signal.
import Foundation
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(2)))
struct StartedProcessTests {
    @Test func aChildGetsItsArgumentsFolderEnvironmentAndStatus() async throws {
        try await withTemporaryFolder(prefix: "pioneer-spawn") { folder in
            let run = try await ChildProcess.run("/bin/sh", ["-c", #"pwd; echo "$PIONEER_SPAWN $1"; cat; echo oops >&2; exit 3"#, "sh", "second"],
                                                 in: folder, environment: ["PIONEER_SPAWN": "first"], input: Data("typed\n".utf8))
            #expect(run.stdout == "\(folder.resolvingSymlinksInPath().path)\nfirst second\ntyped\n")
            #expect(run.stderr == "oops\n")
            #expect(run.status == 3)
            #expect(run.terminationReason == .exit)
            #expect(!run.timedOut)
        }
    }

    @Test func aChildHoldsNoneOfTheTestProcesssOtherDescriptors() async throws {
        // Many descriptors open, as in a whole test run: the case in which Foundation's
        // `Process.run()` read past the end of its listing of them. Opened without O_CLOEXEC,
        // so only the spawn's own closing keeps them from the child.
        var held: [Int32] = []
        defer { for descriptor in held { close(descriptor) } }
        for _ in 0..<1_000 {
            let descriptor = open("/dev/null", O_RDONLY)
            try #require(descriptor >= 0)
            held.append(descriptor)
        }
        let highest = try #require(held.max())
        for _ in 0..<20 {
            let run = try await ChildProcess.run("/bin/sh", ["-c", "for fd in 0 1 2 \(highest); do [ -e /proc/$$/fd/$fd ] && echo $fd; done; exit 0"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "0\n1\n2\n")
        }
    }

    @Test func aChildKilledByASignalIsReportedWithThatSignal() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        let child = try StartedProcess.start(process)
        #expect(child.isRunning)
        child.signal(SIGTERM)
        let end = await child.exit(within: 20)
        #expect(end.status == SIGTERM)
        #expect(end.reason == .uncaughtSignal)
        #expect(!end.timedOut)
        #expect(!child.isRunning)
    }

    @Test func aProgramThatCannotBeStartedIsNamed() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/no/such/program")
        #expect {
            _ = try StartedProcess.start(process)
        } throws: { error in
            "\(error)" == "cannot start /no/such/program: No such file or directory"
        }
    }

    @Test func aPipeGivenToAChildReachesItsEndWhenTheChildExits() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/echo")
        process.arguments = ["through the pipe"]
        let output = Pipe()
        process.standardOutput = output
        let child = try StartedProcess.start(process)
        // The parent's copy of the write end is closed, so the read ends with the child.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text == "through the pipe\n")
        #expect(child.exitBlocking(within: 20).status == 0)
    }
}
