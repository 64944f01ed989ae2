// Runs a program as a test would by hand, with input on stdin, a bounded time and its output
// captured: an external plugin fed a protocol request, a plugin's own test script, a compiler.
// The wait is asynchronous, so a test waiting on a slow child does not hold a cooperative thread.
public import Foundation

/// One run of a child process: its status and what it wrote.
public struct ChildProcess: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Whether the run was stopped because it passed its time limit.
    public var timedOut: Bool
    /// Whether it exited or was killed by a signal (`status` is then the signal).
    public var terminationReason: Process.TerminationReason

    /// Runs `executable` with `arguments` in `directory`, writes `input` to its stdin and closes
    /// it, and waits at most `timeout` seconds (then kills it and says so in `timedOut`).
    ///
    /// - Parameter environment: The child's whole environment; nil inherits this process's.
    /// - Throws: ``HarnessError`` when the program cannot be started.
    ///
    /// ```swift
    /// let run = try await ChildProcess.run("/usr/bin/env", ["python3", "-m", "unittest"], in: folder)
    /// #expect(run.status == 0, "\(run.stderr)")
    /// ```
    public static func run(_ executable: String, _ arguments: [String] = [], in directory: URL? = nil,
                           environment: [String: String]? = nil, input: Data = Data(),
                           timeout: Double = 60) async throws -> ChildProcess {
        try await withTemporaryFolder(prefix: "pioneer-child") { folder in
            // Files, not pipes, for the output: a full pipe would block the child while nobody reads it.
            let outURL = folder.appending(path: "stdout"), errURL = folder.appending(path: "stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            // The input is a file too: a child that exits without reading it cannot make a
            // write fail (or raise SIGPIPE in the test) or block.
            let inURL = folder.appending(path: "stdin")
            try input.write(to: inURL)
            let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
            let stdin = try FileHandle(forReadingFrom: inURL)
            defer {
                try? out.close()
                try? err.close()
                try? stdin.close()
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = directory }
            if let environment { process.environment = environment }
            process.standardInput = stdin
            process.standardOutput = out
            process.standardError = err
            let started = try StartedProcess.start(process)
            let ended = await started.exit(within: timeout)
            return ChildProcess(status: ended.status,
                                stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                                stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                                timedOut: ended.timedOut, terminationReason: ended.reason)
        }
    }
}

/// How a started child ended.
public struct ProcessEnd: Sendable, Equatable {
    /// The exit status, or the signal when `reason` is `.uncaughtSignal`.
    public var status: Int32
    public var reason: Process.TerminationReason
    /// Whether the wait ran out of time and the child was killed with SIGKILL.
    public var timedOut: Bool
}

/// A child process a test started and will wait for: a server, a load generator, a
/// process the test kills.
///
/// Use this, not `Process.run()`, in tests: started here by posix_spawn (see ``Spawn``), since
/// Foundation's `run()` now and then crashes a process holding as many descriptors as a test
/// run does. The child is reaped by a thread of its own, so its end and status are known as
/// soon as it ends.
///
/// ```swift
/// let server = try StartedProcess.start(process)
/// kill(server.pid, SIGTERM)
/// let end = await server.exit(within: 30)
/// ```
public final class StartedProcess: Sendable {
    public let pid: Int32
    private let watch: ExitWatch

    private init(pid: Int32, watch: ExitWatch) {
        self.pid = pid
        self.watch = watch
    }

    /// Starts `process` (configured, not yet running: its executable, arguments, environment,
    /// folder and standard streams are used; `Process.run()` is not called, so the `Process`
    /// itself never runs and its `processIdentifier` stays 0) and starts waiting for its end.
    /// - Throws: ``HarnessError`` naming the executable when it cannot start.
    public static func start(_ process: Process) throws -> StartedProcess {
        let pid = try Spawn.start(process)
        let watch = ExitWatch()
        Thread.detachNewThread {
            let (status, reason) = Spawn.wait(for: pid)
            watch.end(ExitWatch.Ended(status: status, reason: reason))
        }
        return StartedProcess(pid: pid, watch: watch)
    }

    /// Whether the child is still running (it has not been seen to end).
    public var isRunning: Bool { watch.ended == nil }

    /// Sends `signal` unless the child has already ended.
    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the end; after `seconds`, kills the child with SIGKILL (a child inherits the
    /// signals its parent ignores, and a test runner may ignore SIGTERM) and waits for that.
    public func exit(within seconds: Double) async -> ProcessEnd {
        let timer = killAfter(seconds)
        let ended = await watch.wait()
        return ProcessEnd(status: ended.status, reason: ended.reason, timedOut: timer.cancel())
    }

    /// Waits up to `seconds` for the child to end by itself, without killing it: how it
    /// ended, or nil when it is still running.
    public func ended(within seconds: Double) async -> ProcessEnd? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return watch.ended.map { ProcessEnd(status: $0.status, reason: $0.reason, timedOut: false) }
    }

    /// ``exit(within:)`` for synchronous code: blocks the calling thread.
    public func exitBlocking(within seconds: Double) -> ProcessEnd {
        let timer = killAfter(seconds)
        let ended = watch.waitBlocking()
        return ProcessEnd(status: ended.status, reason: ended.reason, timedOut: timer.cancel())
    }

    /// A timer that kills the child with SIGKILL after `seconds` if it is still running then.
    /// Only a kill counts as timing out: a child that ended in time but whose waiter resumed
    /// late (the suite's threads all busy) did not.
    private func killAfter(_ seconds: Double) -> TimeLimit {
        let timer = TimeLimit()
        let (pid, watch) = (pid, watch)
        timer.start(after: seconds) {
            guard watch.ended == nil else { return false }
            kill(pid, SIGKILL)
            return true
        }
        return timer
    }
}

/// The end of one child, recorded once by the thread that reaps it.
private final class ExitWatch: @unchecked Sendable {
    struct Ended: Sendable {
        var status: Int32
        var reason: Process.TerminationReason
    }

    // @unchecked: `result` and `waiters` are read and written only under `condition`.
    private let condition = NSCondition()
    private var result: Ended?
    private var waiters: [CheckedContinuation<Ended, Never>] = []

    var ended: Ended? {
        condition.lock()
        defer { condition.unlock() }
        return result
    }

    /// Records the end once, and wakes every waiter; later calls do nothing.
    func end(_ ended: Ended) {
        condition.lock()
        guard result == nil else { return condition.unlock() }
        result = ended
        let woken = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for waiter in woken { waiter.resume(returning: ended) }
    }

    func wait() async -> Ended {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let result {
                condition.unlock()
                continuation.resume(returning: result)
            } else {
                waiters.append(continuation)
                condition.unlock()
            }
        }
    }

    func waitBlocking() -> Ended {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }
}

/// A one-shot timer that reports whether its action acted.
private final class TimeLimit: @unchecked Sendable {
    // @unchecked: `fired` and `item` are read and written only under `lock`.
    private let lock = NSLock()
    private var fired = false
    private var item: DispatchWorkItem?

    /// Runs `action` after `seconds` unless cancelled first; it says whether it acted.
    func start(after seconds: Double, _ action: @escaping @Sendable () -> Bool) {
        let work = DispatchWorkItem { [self] in
            lock.withLock { fired = action() }
        }
        lock.withLock { item = work }
        TestQueues.timers.asyncAfter(deadline: .now() + seconds, execute: work)
    }

    /// Stops the timer; whether its action had acted.
    func cancel() -> Bool {
        lock.withLock {
            item?.cancel()
            return fired
        }
    }
}

/// The queue the harness's own timers run on.
///
/// Not a global queue: on Linux the global queues and Swift's tasks share one pool of threads,
/// as many as there are cores, and a thread is added only about once a second while they are
/// all blocked. Under the whole suite, tests waiting in blocking calls held them for tens of
/// seconds, and a time limit was heard that much late. A serial queue of its
/// own gets a thread of its own.
enum TestQueues {
    static let timers = DispatchQueue(label: "pioneer.testing.timers")
}
