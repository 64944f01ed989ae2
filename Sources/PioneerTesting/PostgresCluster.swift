// A throwaway PostgreSQL server for tests: Debian's initdb and pg_ctl in a temporary folder,
// listening on 127.0.0.1 at a free port (and a Unix socket in the same folder), trust
// authentication for the test user, stopped and removed when the test process exits.
// The suites that need PostgreSQL share one cluster and take a fresh database each; a test
// that stops or restarts the server starts a cluster of its own.
public import Foundation

/// A PostgreSQL cluster started for the tests.
///
/// ```swift
/// let cluster = try PostgresCluster.shared()
/// let url = try cluster.createDatabase()   // postgres://pioneer@127.0.0.1:PORT/t_…
/// ```
public final class PostgresCluster: @unchecked Sendable {
    /// The user the cluster trusts.
    public static let user = "pioneer"

    /// The folder holding the data directory, the socket and the server's log.
    public let folder: URL
    /// The TCP port on 127.0.0.1.
    public let port: Int
    let binaries: URL
    /// When the tests run as root (as CI does), the binaries run as this user: initdb refuses root.
    let runAs: String?
    // Guarded by `lock`; the class is otherwise immutable, hence @unchecked Sendable.
    private let lock = NSLock()
    private var stopped = false

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var starting: Task<PostgresCluster, any Error>?
    nonisolated(unsafe) private static var started: PostgresCluster?

    /// The cluster shared by every suite in this process, started on first use and stopped at exit.
    ///
    /// initdb and pg_ctl run on a dispatch queue: on the few cooperative threads they would
    /// stall every other suite while the cluster starts.
    ///
    /// - Throws: ``HarnessError`` saying what to install when the server binaries are missing,
    ///   or why the server did not start (with the end of its log).
    public static func shared() async throws -> PostgresCluster {
        let task = sharedLock.withLock { () -> Task<PostgresCluster, any Error> in
            if let starting { return starting }
            let task = Task {
                let cluster = try await onOwnThread { try PostgresCluster.start() }
                sharedLock.withLock { started = cluster }
                atexit {
                    if let cluster = PostgresCluster.sharedLock.withLock({ PostgresCluster.started }) {
                        cluster.stopAndRemove()
                    }
                }
                return cluster
            }
            starting = task
            return task
        }
        return try await task.value
    }

    /// Starts a new cluster of its own (for a test that stops or restarts it), off the
    /// cooperative threads; call ``stopAndRemove()`` when done.
    public static func startOwn() async throws -> PostgresCluster {
        try await onOwnThread { try PostgresCluster.start() }
    }

    /// Starts a new cluster, blocking the calling thread until it accepts connections.
    static func start() throws -> PostgresCluster {
        let binaries = try serverBinaries()
        let runAs: String? = getuid() == 0 ? "postgres" : nil
        if let runAs, getpwnam(runAs) == nil {
            throw HarnessError("the tests run as root and initdb refuses root, but there is no `\(runAs)` user to run it as; "
                + "run scripts/install-system-packages.sh (Debian's postgresql package creates it)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let runAs, let account = getpwnam(runAs) {
            chown(folder.path, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        let initdb = try run(binaries.appendingPathComponent("initdb"), runAs: runAs, [
            "-D", folder.appendingPathComponent("data").path, "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C",
            "--no-instructions", "--no-sync",
        ])
        guard initdb.status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            throw HarnessError("initdb failed (exit \(initdb.status)): \(initdb.output.suffix(600))")
        }
        // A port taken between choosing it and the server binding it is chosen again.
        var lastFailure = ""
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            let cluster = PostgresCluster(folder: folder, port: port, binaries: binaries, runAs: runAs)
            if try cluster.startServer() { return cluster }
            lastFailure = cluster.logTail()
        }
        try? FileManager.default.removeItem(at: folder)
        throw HarnessError("PostgreSQL did not start on 127.0.0.1; its log ends: \(lastFailure)")
    }

    private init(folder: URL, port: Int, binaries: URL, runAs: String?) {
        self.folder = folder
        self.port = port
        self.binaries = binaries
        self.runAs = runAs
    }

    /// The URL of database `name` for `pioneer serve --db`.
    public func url(database name: String) -> String {
        "postgres://\(Self.user)@127.0.0.1:\(port)/\(name)"
    }

    /// Creates a fresh, empty database and returns its URL.
    public func createDatabase() async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        _ = try await onOwnThread { try self.psql("CREATE DATABASE \(name)") }
        return url(database: name)
    }

    /// Runs one SQL command in database `database` through psql, and returns what it printed
    /// (unaligned, tuples only).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let result = try Self.run(binaries.appendingPathComponent("psql"), runAs: nil, [
            "-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-d", database, "-v", "ON_ERROR_STOP=1", "-X", "-A", "-t",
            "-c", sql,
        ])
        guard result.status == 0 else {
            throw HarnessError("psql `\(sql.prefix(80))` failed (exit \(result.status)): \(result.output.suffix(400))")
        }
        return result.output
    }

    /// An interactive psql session on `database`: statements are sent one at a time and run as
    /// they arrive, so a test holds a transaction (and its locks) open exactly as long as it
    /// needs, not for a guessed `pg_sleep`.
    public func session(database: String = "postgres") throws -> PsqlSession {
        let process = Process()
        process.executableURL = binaries.appendingPathComponent("psql")
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-d", database, "-X", "-q"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return PsqlSession(process: try StartedProcess.start(process), input: input.fileHandleForWriting)
    }

    /// Runs another client program of the same PostgreSQL (pg_dump, pg_restore) with `arguments`.
    public func client(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(binaries.appendingPathComponent(program), runAs: nil, arguments)
    }

    /// Stops the server (fast shutdown: sessions are ended, committed work is kept).
    public func stop() throws {
        let result = try pgctl(["stop", "-m", "fast", "-w", "-t", "20"])
        guard result.status == 0 else { throw HarnessError("pg_ctl stop failed: \(result.output.suffix(400))") }
    }

    /// Starts the stopped server again on the same port.
    public func restart() throws {
        guard try startServer() else { throw HarnessError("PostgreSQL did not start again; its log ends: \(logTail())") }
    }

    /// Stops the server at once and removes its folder. Safe to call twice.
    public func stopAndRemove() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        _ = try? pgctl(["stop", "-m", "immediate", "-w", "-t", "10"])
        try? FileManager.default.removeItem(at: folder)
    }

    private func startServer() throws -> Bool {
        let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder.path) -c fsync=off -c max_connections=400"
        let result = try pgctl(["start", "-w", "-t", "30", "-l", folder.appendingPathComponent("server.log").path, "-o", options])
        return result.status == 0
    }

    private func pgctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(binaries.appendingPathComponent("pg_ctl"), runAs: runAs,
                     ["-D", folder.appendingPathComponent("data").path] + arguments)
    }

    private func logTail() -> String {
        let log = (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? "(no log)"
        return String(log.suffix(600))
    }

    /// The newest /usr/lib/postgresql/N/bin holding initdb, or PIONEER_PG_BIN.
    static func serverBinaries() throws -> URL {
        if let folder = ProcessInfo.processInfo.environment["PIONEER_PG_BIN"], !folder.isEmpty {
            let url = URL(fileURLWithPath: folder)
            guard FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("initdb").path) else {
                throw HarnessError("PIONEER_PG_BIN is \(folder) but it holds no initdb")
            }
            return url
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions {
            let bin = URL(fileURLWithPath: "\(root)/\(version)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path),
               FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("pg_ctl").path) {
                return bin
            }
        }
        throw HarnessError("the PostgreSQL server is not installed (no \(root)/*/bin/initdb and pg_ctl); "
            + "run scripts/install-system-packages.sh, which installs Debian's postgresql package, or set PIONEER_PG_BIN")
    }

    /// Runs `program`, as `user` through runuser when given, and returns its exit status and output.
    ///
    /// posix_spawn and waitpid, with the output in a file: the server pg_ctl starts outlives
    /// pg_ctl and would hold a pipe open, and the child is reaped here whatever thread waits.
    /// The child gets only its standard input, output and error.
    static func run(_ program: URL, runAs user: String?, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let argv = (user.map { ["/usr/sbin/runuser", "-u", $0, "--", program.path] } ?? [program.path]) + arguments
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-pg-output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw HarnessError("cannot create \(file.path): \(String(cString: strerror(errno)))") }
        // Nothing else of this process's (Spawn closes it): the PostgreSQL server outlives
        // pg_ctl, and a descriptor it inherited (a loopback server's socket) would stay open as
        // long as it runs.
        let pid: pid_t
        do {
            defer { close(output) }
            pid = try Spawn.start(argv[0], Array(argv.dropFirst()), environment: nil, directory: nil,
                                  stdin: .null, stdout: .descriptor(output), stderr: .descriptor(output))
        }
        let (status, reason) = Spawn.wait(for: pid)
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return (reason == .exit ? status : 128 + status, text)
    }

    /// A port on 127.0.0.1 that nothing listens on now.
    public static func freeLoopbackPort() throws -> Int {
        let (socket, port) = try boundLoopbackSocket()
        close(socket)
        return port
    }

    /// A TCP socket bound to a port the kernel chose on 127.0.0.1 (never listening), and the port.
    static func boundLoopbackSocket() throws -> (socket: Int32, port: Int) {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HarnessError("cannot open a socket to find a free port") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            throw HarnessError("cannot bind 127.0.0.1 to find a free port")
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// Runs blocking work (a child process, a wait, an external plugin's synchronous call) on a
/// thread of its own and awaits its result.
///
/// Not in the test's task nor on a global queue: those share their threads (as many as there
/// are cores) with every test's tasks, and blocking one stalls the whole suite (see
/// ``TestQueues``).
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}

/// A psql process reading statements from the test (``PostgresCluster/session(database:)``).
public final class PsqlSession: @unchecked Sendable {
    // @unchecked: used by one test task at a time; FileHandle is thread-safe here.
    private let process: StartedProcess
    private let input: FileHandle

    init(process: StartedProcess, input: FileHandle) {
        self.process = process
        self.input = input
    }

    /// Sends `sql` (one or more statements, each ending with `;`); psql runs it on arrival.
    public func send(_ sql: String) throws {
        try input.write(contentsOf: Data((sql + "\n").utf8))
    }

    /// Ends the session (psql ends what it holds when its input closes) and waits for it.
    public func end() throws {
        try input.close()
        _ = process.exitBlocking(within: 120)
    }
}
