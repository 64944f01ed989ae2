// Starting a child process with posix_spawn, for every child the tests start.
//
// Not Foundation's `Process.run()`: on Linux (Swift 6.3) it lists /proc/self/fd to find the
// descriptors to close in the child, and copies each entry's whole 256-byte name field where
// glibc's record is shorter (swift-corelibs-foundation #5472, fixed after 6.3). A test process
// holds hundreds of descriptors, so now and then an entry ends a page before unmapped memory and
// the copy crashes the whole test run (`__memcpy_avx512_unaligned_erms` under `Process.run()`,
// seen in CI and reproduced here). `posix_spawn_file_actions_addclosefrom_np` closes the same
// descriptors without listing them.
import Foundation

enum Spawn {
    /// What one of the child's standard descriptors is.
    enum Stream {
        /// The same as this process's.
        case inherit
        /// /dev/null.
        case null
        /// A copy of this descriptor of this process.
        case descriptor(Int32)
    }

    /// Starts `executable` with `arguments` (the child's `argv[1...]`), `environment` (nil:
    /// this process's), in `directory` (nil: this process's), with the given standard
    /// streams and no other descriptor of this process, in a process group of its own (as
    /// Foundation's `Process` does). Returns the child's id; the caller must reap it.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]?,
                      directory: String?, stdin: Stream, stdout: Stream, stderr: Stream) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(STDIN_FILENO, stdin), (STDOUT_FILENO, stdout), (STDERR_FILENO, stderr)] {
            let code: Int32
            switch stream {
            case .inherit: code = 0
            case .null: code = posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let source): code = posix_spawn_file_actions_adddup2(&actions, source, target)
            }
            guard code == 0 else { throw HarnessError("cannot set up the standard streams of \(executable): \(String(cString: strerror(code)))") }
        }
        if let directory {
            // glibc 2.29's posix_spawn_file_actions_addchdir_np, which Swift does not import.
            typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            let code = try function("posix_spawn_file_actions_addchdir_np", since: "2.29", as: AddChdir.self)(&actions, directory)
            guard code == 0 else { throw HarnessError("cannot start \(executable) in \(directory): \(String(cString: strerror(code)))") }
        }
        try closeTheRest(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // No signal blocked in the child, whatever thread starts it.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let code = envp.map { posix_spawn(&pid, executable, &actions, &attributes, argv, $0) }
            ?? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard code == 0 else { throw HarnessError("cannot start \(executable): \(String(cString: strerror(code)))") }
        return pid
    }

    /// Asks posix_spawn to close every descriptor from 3 up in the child (after the standard
    /// streams are set up): glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift
    /// does not import.
    private static func closeTheRest(_ actions: inout posix_spawn_file_actions_t) throws {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard try function("posix_spawn_file_actions_addclosefrom_np", since: "2.34", as: AddCloseFrom.self)(&actions, 3) == 0 else {
            throw HarnessError("cannot ask posix_spawn to close inherited descriptors")
        }
    }

    /// The C library's function `name`, looked up by name (glibc declares it only for
    /// _GNU_SOURCE, so Swift does not import it); glibc has it from version `since`.
    private static func function<Function>(_ name: String, since: String, as type: Function.Type) throws -> Function {
        guard let symbol = dlsym(nil, name) else {
            throw HarnessError("this C library has no \(name) (glibc \(since) or later has)")
        }
        return unsafeBitCast(symbol, to: type)
    }

    /// Starts `process` as configured (executable, arguments, environment, folder, standard
    /// streams as Foundation reads them), without `Process.run()`. The parent's copies of the
    /// child's ends of any pipes are closed, as `run()` closes them. Returns the child's id.
    static func start(_ process: Process) throws -> pid_t {
        guard let executable = process.executableURL?.path else { throw HarnessError("the process has no executable") }
        var parentsCopies: [FileHandle] = []
        func stream(_ value: Any?, standard: FileHandle, childReads: Bool) -> Stream {
            switch value {
            case let pipe as Pipe:
                let end = childReads ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                parentsCopies.append(end)
                return .descriptor(end.fileDescriptor)
            case let handle as FileHandle where handle === standard: return .inherit
            case let handle as FileHandle where handle === FileHandle.nullDevice: return .null
            case let handle as FileHandle: return .descriptor(handle.fileDescriptor)
            case .none: return .null
            default: return .inherit
            }
        }
        let pid = try start(executable, process.arguments ?? [], environment: process.environment,
                            directory: process.currentDirectoryURL?.path,
                            stdin: stream(process.standardInput, standard: .standardInput, childReads: true),
                            stdout: stream(process.standardOutput, standard: .standardOutput, childReads: false),
                            stderr: stream(process.standardError, standard: .standardError, childReads: false))
        for handle in parentsCopies { try? handle.close() }
        return pid
    }

    /// Waits for `pid` to end and reaps it: its exit status, or the signal that ended it.
    static func wait(for pid: pid_t) -> (status: Int32, reason: Process.TerminationReason) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            // ECHILD: reaped by someone else, so the status is lost; -1 says so rather than
            // passing for any real one.
            if errno != EINTR { return (-1, .exit) }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let signal = status & 0x7F
        return signal == 0 ? ((status >> 8) & 0xFF, .exit) : (signal, .uncaughtSignal)
    }
}
