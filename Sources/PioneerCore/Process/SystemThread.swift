// Threads started so that a refusal is seen. Foundation's `Thread.start()` says nothing when the
// system will not start a thread (the limit on processes and threads, `ulimit -u`, or a
// container's pids limit), and work queued for that thread then waits for ever. These report it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// The system would not start a thread.
public struct ThreadStartError: Error, Sendable, CustomStringConvertible {
    /// What the thread was for: `pioneer.curl`.
    public var name: String
    /// `pthread_create`'s error number.
    public var code: Int32

    public var description: String {
        "the system would not start a thread (\(name)): \(ThreadLimits.refusal(code))"
    }
}

public enum SystemThread {
    /// Starts `body` on a new thread named `name` (the system keeps the first 15 bytes), which
    /// ends when `body` returns.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) throws(ThreadStartError) {
        let code = create(Unmanaged.passRetained(Start(name: name, body: body)).toOpaque())
        if code != 0 { throw ThreadStartError(name: name, code: code) }
    }

    /// Starts a detached thread running the ``Start`` at `context` (which it releases), or
    /// releases it and returns `pthread_create`'s error.
    private static func create(_ context: UnsafeMutableRawPointer) -> Int32 {
        var thread: pthread_t = 0
        let code = pthread_create(&thread, nil, runStart, context)
        if code == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Start>.fromOpaque(context).release()
        }
        return code
    }

    /// Names the calling thread, as `ps -L` and debuggers show it (`pthread_setname_np` is not
    /// visible to Swift here).
    fileprivate static func nameThisThread(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    fileprivate final class Start: Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}

/// A ``SystemThread``'s entry: runs the ``SystemThread/Start`` at `context`, and releases it.
private func runStart(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let start = Unmanaged<SystemThread.Start>.fromOpaque(context).takeRetainedValue()
    SystemThread.nameThisThread(start.name)
    start.body()
    return nil
}

/// The limits that decide how many threads this process may start.
public enum ThreadLimits {
    /// Threads pioneer starts in a usual run, besides those the system may add: the main one,
    /// libdispatch's manager, the concurrency pool's (one per processor), libcurl's, the plugin
    /// workers (one per processor, at least two) and a timer or two.
    public static var needed: Int {
        let processors = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return min(64, 2 * processors + 6)
    }

    /// Starts up to `count` threads that wait, and ends them: nil when all started, else a
    /// message saying how many did and which limit stopped the rest.
    public static func probe(count: Int = needed) -> String? {
        let gate = Gate()
        var threads: [pthread_t] = []
        var refusal: Int32 = 0
        for _ in 0..<count {
            var thread: pthread_t = 0
            let context = Unmanaged.passRetained(gate).toOpaque()
            let code = pthread_create(&thread, nil, { context in
                guard let context else { return nil }
                Unmanaged<Gate>.fromOpaque(context).takeRetainedValue().waitUntilOpen()
                return nil
            }, context)
            if code != 0 {
                Unmanaged<Gate>.fromOpaque(context).release()
                refusal = code
                break
            }
            threads.append(thread)
        }
        gate.open()
        for thread in threads { pthread_join(thread, nil) }
        guard refusal != 0 else { return nil }
        // The main thread is running too.
        return "the system let pioneer start only \(threads.count + 1) of the \(count + 1) threads it needs: \(Self.refusal(refusal))"
    }

    /// Holds the probe's threads until it opens.
    private final class Gate: @unchecked Sendable {
        // @unchecked: `isOpen` is only touched with `condition` locked.
        private let condition = NSCondition()
        private var isOpen = false

        func waitUntilOpen() {
            condition.lock()
            while !isOpen { condition.wait() }
            condition.unlock()
        }

        func open() {
            condition.lock()
            isOpen = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Why `pthread_create` failed with `code`, naming the limit to raise.
    static func refusal(_ code: Int32) -> String {
        guard code == EAGAIN else { return String(cString: strerror(code)) }
        var limit = rlimit()
        // A thread's stack is address space: under `ulimit -v` that runs out before threads do.
        if let memory = VirtualMemoryLimit.bytes, memory < 4 << 30 {
            return "the limit on virtual memory (\(memory >> 20) MB, `ulimit -v`) leaves no room for another thread's stack; "
                + "raise it (2 GB is ample), or limit resident memory instead"
        }
        if getuid() != 0, getrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            return "the limit on processes and threads for this user (\(limit.rlim_cur), `ulimit -u`) is reached; "
                + "raise it, or end some of the user's other processes"
        }
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/pids.max", encoding: .utf8),
           let pids = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return "the container's limit on processes and threads (\(pids), pids.max) is reached; raise it"
        }
        return "the system's limit on threads is reached (`ulimit -u`, a container's pids limit, or kernel.threads-max)"
    }
}

/// The limit on this process's address space (`ulimit -v`), and the one setting that keeps
/// pioneer within a low one.
public enum VirtualMemoryLimit {
    /// The limit in bytes; nil when there is none.
    public static var bytes: Int? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// Under a limit, holds glibc's malloc to two arenas. Each thread that allocates would
    /// otherwise get an arena of its own, up to eight a processor, and each reserves 64 MB of
    /// address space: a collect of 40 sites reserved 1.7 GB and failed to allocate under a limit
    /// of 1 GB (with two it runs under 600 MB). Without a limit nothing changes.
    public static func fitAllocatorToLimit() {
        guard bytes != nil else { return }
        // `mallopt` is not visible to Swift here; it is looked up in the C library instead.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let arenaMax: Int32 = -8  // M_ARENA_MAX, from malloc.h
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 2)
    }
}
