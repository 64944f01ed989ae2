// `pioneer` under a limit on processes and threads too low for it: an error naming the limit at
// once, never a process that waits for ever for a thread the system will not start (Swift's
// async entry point runs on a thread of its own, so without the check nothing of pioneer's ran).
import Foundation
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(2)), .ownThread)
struct ThreadLimitEndToEndTests {
    @Test func aThreadLimitTooLowIsAnErrorNamingItNotAHang() async throws {
        let built = try #require(PioneerBinary.url(), "build the pioneer executable first")
        try await withTemporaryFolder(prefix: "pioneer-threads") { folder in
            // Root is exempt from `ulimit -u`: run as nobody, from a copy any user may run.
            let pioneer = folder.appending(path: "pioneer")
            try FileManager.default.copyItem(at: built, to: pioneer)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: pioneer.path)
            let limited = ["/usr/bin/prlimit", "--nproc=4"]
            let (program, arguments): (String, [String]) = getuid() == 0
                ? ("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups"] + limited)
                : (limited[0], Array(limited.dropFirst()))
            let clock = ContinuousClock()
            let started = clock.now
            let run = try await PioneerBinary.run(process: URL(fileURLWithPath: program),
                                                  arguments + [pioneer.path, "validate", folder.path])
            #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
            #expect(run.stderr.hasPrefix("error: the system let pioneer start only "), "\(run.stderr)")
            #expect(run.stderr.contains(" threads it needs: the limit on processes and threads for this user (4, `ulimit -u`) is reached; raise it"),
                    "\(run.stderr)")
            #expect(run.stdout.isEmpty)
            #expect(started.duration(to: clock.now) < .seconds(30))
        }
    }
}
