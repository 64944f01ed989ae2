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
            let timer = TimeLimit()
            let exit = ExitWatch()
            let ended = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ExitWatch.Ended, any Error>) in
                exit.waiting(continuation)
                process.terminationHandler = { process in
                    exit.end(ExitWatch.Ended(status: process.terminationStatus, reason: process.terminationReason))
                }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    exit.fail(HarnessError("cannot start \(executable): \(error.localizedDescription)"))
                    return
                }
                let pid = process.processIdentifier
                // SIGKILL: a child inherits the signals its parent ignores, and a test
                // runner may ignore SIGTERM.
                timer.start(after: timeout) { kill(pid, SIGKILL) }
                exit.watch(pid: pid)
            }
            return ChildProcess(status: ended.status,
                                stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                                stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                                timedOut: timer.cancel(), terminationReason: ended.reason)
        }
    }
}

/// The end of one child, heard from Foundation's termination handler or, when Foundation
/// misses it, seen by polling.
///
/// Under the whole suite, Foundation's `Process` has been seen to miss a child's exit now
/// and then: the child stays a zombie, the termination handler never runs and the test
/// waits forever (a time limit cannot end a continuation nobody resumes). So the child is
/// also watched through /proc: a zombie Foundation has not reaped within a second is reaped
/// here, with its own status.
private final class ExitWatch: @unchecked Sendable {
    struct Ended: Sendable {
        var status: Int32
        var reason: Process.TerminationReason
    }

    // @unchecked: `continuation` is read and written only under `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Ended, any Error>?
    private var done = false

    func waiting(_ continuation: CheckedContinuation<Ended, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Resumes the waiting test once; later calls do nothing.
    func end(_ ended: Ended) {
        take()?.resume(returning: ended)
    }

    func fail(_ error: any Error) {
        take()?.resume(throwing: error)
    }

    private func take() -> CheckedContinuation<Ended, any Error>? {
        lock.withLock {
            guard !done else { return nil }
            done = true
            defer { continuation = nil }
            return continuation
        }
    }

    private var isDone: Bool { lock.withLock { done } }

    /// Polls `pid` every 100 ms until it has ended one way or the other.
    func watch(pid: Int32, zombieSince: Date? = nil) {
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { [self] in
            guard !isDone else { return }
            guard Self.isZombie(pid) else { return watch(pid: pid) }
            let since = zombieSince ?? Date()
            guard Date().timeIntervalSince(since) >= 1 else { return watch(pid: pid, zombieSince: since) }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
                let signal = status & 0x7F
                end(signal == 0 ? Ended(status: (status >> 8) & 0xFF, reason: .exit) : Ended(status: signal, reason: .uncaughtSignal))
            } else {
                // Foundation reaped it meanwhile: its handler is on the way.
                watch(pid: pid, zombieSince: since)
            }
        }
    }

    /// Whether `pid` has exited and not been reaped: state `Z` in /proc/PID/stat.
    private static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[close...].dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

/// A one-shot timer that reports whether it fired.
private final class TimeLimit: @unchecked Sendable {
    // @unchecked: `fired` and `item` are read and written only under `lock`.
    private let lock = NSLock()
    private var fired = false
    private var item: DispatchWorkItem?

    func start(after seconds: Double, _ action: @escaping @Sendable () -> Void) {
        let work = DispatchWorkItem { [self] in
            lock.withLock { fired = true }
            action()
        }
        lock.withLock { item = work }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: work)
    }

    /// Stops the timer; whether it had fired.
    func cancel() -> Bool {
        lock.withLock {
            item?.cancel()
            return fired
        }
    }
}
