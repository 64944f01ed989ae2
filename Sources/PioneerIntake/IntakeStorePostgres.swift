// The intake store on PostgreSQL through postgres-nio: several `pioneer serve` processes on
// one database. Opening (a connection pool run in its own task), the versioned migrations in
// a `pioneer_migrations` table, timeouts and error translation; the SQL of submissions and
// tokens is in the extensions beside it.
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The intake store on PostgreSQL.
///
/// A lost connection is not fatal: postgres-nio's pool connects again on demand, and an
/// operation that cannot reach the server within ``operationTimeout`` fails with kind `busy`,
/// which the server answers 503 with Retry-After.
final class PostgresIntakeBackend: IntakeStoreBackend {
    let location: String
    /// The user and the sslmode the URL names, for the messages of a refused login or TLS.
    let user: String
    let sslMode: PostgresLocation.SSLMode
    let client: PostgresClient
    /// How to make one connection of our own, outside the pool: to find out why the pool
    /// gives none (``loginRefusal()``).
    private let probeConfiguration: PostgresConnection.Configuration?
    /// The last probe's answer and when it was asked, so a database that is merely slow,
    /// timing out many requests at once, is not sent a connection attempt for each.
    private let lastProbe = Mutex<(at: ContinuousClock.Instant, refusal: String?)?>(nil)
    /// Runs the client's connection pool until ``close()``.
    private let runner: Task<Void, Never>
    let logger: Logger

    /// How long one operation may wait for the database (a connection, a lock, a reply)
    /// before it is answered as unavailable, unless the opener says otherwise.
    static let defaultOperationTimeout: Duration = .seconds(10)
    let operationTimeout: Duration

    private init(location: PostgresLocation, client: PostgresClient, runner: Task<Void, Never>, operationTimeout: Duration) {
        self.location = location.display
        self.user = location.user
        self.sslMode = location.sslMode
        self.client = client
        self.probeConfiguration = try? location.connectionConfiguration()
        self.runner = runner
        self.operationTimeout = operationTimeout
        var logger = Logger(label: "pioneer.intake.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    /// Connects to the database at `location` and brings its schema up to date.
    ///
    /// The schema is migrated over one connection of its own, made first: a server that
    /// cannot be reached, a refused login or a missing database is reported as such.
    static func open(_ location: PostgresLocation,
                     operationTimeout: Duration = defaultOperationTimeout) async throws(IntakeStoreError) -> PostgresIntakeBackend {
        let poolConfiguration = try location.configuration(statementTimeout: statementTimeout(within: operationTimeout))
        let connectionConfiguration = try location.connectionConfiguration()
        let client = PostgresClient(configuration: poolConfiguration)
        let runner = Task { await client.run() }
        let backend = PostgresIntakeBackend(location: location, client: client, runner: runner,
                                            operationTimeout: operationTimeout)
        let logger = backend.logger
        do {
            try await withTimeout(location.connectTimeout + operationTimeout) {
                let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 1, logger: logger)
                do {
                    try await migrate(connection, logger: logger)
                    try await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
        } catch {
            await backend.close()
            throw backend.translate(error, operation: "open the database")
        }
        return backend
    }

    func close() async {
        runner.cancel()
        await runner.value
    }

    func ping() async throws(IntakeStoreError) {
        try await withConnection("answer a health check") { connection in
            _ = try await connection.query("SELECT 1", logger: self.logger).collect()
        }
    }

    func schemaVersions() async throws(IntakeStoreError) -> [String] {
        try await withConnection("read the schema version") { connection in
            var identifiers: [String] = []
            for try await identifier in try await connection.query(
                "SELECT identifier FROM pioneer_migrations ORDER BY position", logger: self.logger).decode(String.self) {
                identifiers.append(identifier)
            }
            return identifiers
        }
    }

    // MARK: Migrations

    /// Applies the migrations not applied yet, in one transaction under an advisory lock, so
    /// two servers starting at once on a new database do not both create the tables.
    private static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await transaction(connection, logger: logger) {
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS pioneer_migrations (
                    position   INTEGER NOT NULL PRIMARY KEY,
                    identifier VARCHAR(64) NOT NULL UNIQUE,
                    applied_at VARCHAR(32) NOT NULL
                )
                """, logger: logger)
            var applied: [String] = []
            for try await identifier in try await connection.query(
                "SELECT identifier FROM pioneer_migrations ORDER BY position", logger: logger).decode(String.self) {
                applied.append(identifier)
            }
            let known = IntakeSchema.migrations.map(\.identifier)
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw IntakeStoreError(.newerVersion, path: "", operation: "", IntakeSchema.newerSchemaMessage(unknown))
            }
            // A database holding another program's tables of the same names (a `submission`
            // table, say) is refused rather than half-migrated into an error. Tables of
            // other names may share the database.
            if applied.isEmpty {
                var foreign: [String] = []
                for try await table in try await connection.query(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
                    logger: logger).decode(String.self) where IntakeSchema.tables.contains(table) {
                    foreign.append(table)
                }
                guard foreign.isEmpty else {
                    throw IntakeStoreError(.notADatabase, path: "", operation: "",
                        "it is a PostgreSQL database but not an intake store (it holds another program's "
                            + "\(foreign.count == 1 ? "table" : "tables") \(foreign.prefix(3).joined(separator: ", "))); "
                            + "create a database for pioneer (createdb) and name it in the URL")
                }
            }
            for (position, migration) in IntakeSchema.migrations.enumerated() where !applied.contains(migration.identifier) {
                // The extended protocol takes one statement at a time; the schema's statements
                // each end a line with `;` (a `;` inside a comment does not end its line).
                for statement in migration.sql(.postgres).components(separatedBy: ";\n")
                where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                if migration.identifier == IntakeSchema.returnRows {
                    try await backfillReturnRows(connection, logger: logger)
                }
                let now = IntakeTime.text(Date())
                try await connection.query(
                    "INSERT INTO pioneer_migrations (position, identifier, applied_at) VALUES (\(position + 1), \(migration.identifier), \(now))",
                    logger: logger)
            }
        }
    }

    /// The advisory lock key migrations hold ("pioneer" in ASCII).
    static let migrationLock: Int64 = 0x70_69_6F_6E_65_65_72

    // MARK: Connections, transactions, errors

    /// How long PostgreSQL itself lets a statement run or wait for a lock on the pool's
    /// connections (`statement_timeout` and `lock_timeout`, set when each connects): a tenth
    /// less than the operation's own limit, so that the database cancels a statement stuck
    /// behind another session's lock, and rolls its transaction back, about when the request
    /// is answered 503, instead of carrying on and committing after that answer.
    static func statementTimeout(within operationTimeout: Duration) -> Duration {
        max(operationTimeout * 0.9, .milliseconds(1))
    }

    /// Runs `body` on a pooled connection within ``operationTimeout``.
    func withConnection<T: Sendable>(_ operation: String,
                                     _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(IntakeStoreError) -> T {
        let client = self.client
        do {
            return try await Self.withTimeout(operationTimeout) {
                try await client.withConnection { connection in try await body(connection) }
            }
        } catch {
            throw await translateWaiting(error, operation: operation)
        }
    }

    /// Runs `body` in a transaction on a pooled connection within ``operationTimeout``, in
    /// words when it fails. A transaction that lost a race to another writer (a unique
    /// violation, a serialisation failure, a deadlock) fails with a message starting with
    /// ``raceMarker``, for the caller to run it again.
    ///
    /// The transaction commits only if the operation has not been answered as timed out
    /// first: postgres-nio does not stop a query when its task is cancelled, so a statement
    /// that waited on a lock past the limit would otherwise go on, after the 503, to commit.
    func withTransaction<T: Sendable>(_ operation: String, begin: String = "BEGIN",
                                      _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(IntakeStoreError) -> T {
        let client = self.client, logger = self.logger
        let gate = CommitGate()
        do {
            return try await Self.withTimeout(operationTimeout, gate: gate) {
                try await client.withConnection { connection in
                    do {
                        return try await Self.transaction(connection, logger: logger, begin: begin, gate: gate) {
                            try await body(connection)
                        }
                    } catch let error where Self.isRetryable(error) {
                        throw IntakeStoreError(.busy, path: "", operation: "", "\(Self.raceMarker); run it again")
                    }
                }
            }
        } catch {
            throw await translateWaiting(error, operation: operation)
        }
    }

    /// ``translate(_:operation:)``, and for an operation that timed out before anything was
    /// sent to commit, why: the pool retries a connection whose login is refused (a password
    /// changed at the server, a user dropped) out of sight, so the wait alone would read as a
    /// slow database. One connection of our own is tried, and a refusal it meets is named.
    ///
    /// The probe is bounded by `probeLimit` (``probeLimit``, or the operation's own limit if
    /// shorter): a refused login answers in milliseconds, and a server that does not answer at
    /// all must not hold the 503 back much longer.
    func translateWaiting(_ error: any Error, operation: String, probeLimit: Duration? = nil) async -> IntakeStoreError {
        let translated = translate(error, operation: operation)
        guard let timedOut = error as? OperationTimedOut, !timedOut.commitSent,
              let refusal = await loginRefusal(within: probeLimit ?? min(operationTimeout, Self.probeLimit)) else { return translated }
        return IntakeStoreError(.busy, path: location, operation: operation,
                                "\(translated.message); a new connection to the database fails: \(refusal)")
    }

    /// Why a new connection to the database is refused, in words, when it is refused in a way
    /// that waiting will not mend (a login, a missing database, TLS); nil when it connects, or
    /// fails in a way that may mend. Asked at most once every ``probeInterval``.
    func loginRefusal(within limit: Duration) async -> String? {
        guard let configuration = probeConfiguration else { return nil }
        let now = ContinuousClock.now
        if let last = lastProbe.withLock({ $0 }), now - last.at < Self.probeInterval { return last.refusal }
        let logger = self.logger
        var refusal: String?
        do {
            try await Self.withTimeout(limit) {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
            }
        } catch {
            let translated = translate(error, operation: "connect")
            if translated.kind == .cannotOpen { refusal = translated.message }
        }
        lastProbe.withLock { $0 = (now, refusal) }
        return refusal
    }

    /// How long a probe's answer stands for the timeouts that follow it.
    static let probeInterval: Duration = .seconds(5)
    /// The longest a probe may take.
    static let probeLimit: Duration = .seconds(3)

    /// The start of the message of a transaction that lost a race and may simply run again.
    static let raceMarker = "another writer raced this one"

    /// `begin`, `body`, COMMIT on `connection`; ROLLBACK when `body` throws, or when `gate`
    /// says the operation has already been answered as timed out.
    static func transaction<T: Sendable>(_ connection: PostgresConnection, logger: Logger, begin: String = "BEGIN",
                                         gate: CommitGate? = nil, _ body: () async throws -> T) async throws -> T {
        try await connection.query(PostgresQuery(unsafeSQL: begin), logger: logger)
        do {
            let result = try await body()
            if let gate, !gate.claim() {
                throw CancellationError()
            }
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Runs `body`, or throws ``OperationTimedOut`` after `limit`, cancelling `body`.
    ///
    /// The answer comes at the limit even when `body` is slow to notice its cancellation (a
    /// connection attempt to a server that is not there can take many seconds more): a task
    /// group would wait for it, and a request to a server whose database is down would hang.
    ///
    /// With a `gate`, a timeout or a cancellation closes it, so the transaction under way can
    /// no longer commit; when its COMMIT had already been sent, the error says the outcome is
    /// not known rather than that nothing was written.
    static func withTimeout<T: Sendable>(_ limit: Duration, gate: CommitGate? = nil,
                                         _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = FirstAnswer<T>()
        let work = Task { race.answer(with: await Result { try await body() }) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            race.answer(with: .failure(OperationTimedOut(limit: limit, commitSent: gate?.close() ?? false)))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await race.value()
        } onCancel: {
            let commitSent = gate?.close() ?? false
            race.answer(with: .failure(commitSent ? OperationTimedOut(limit: limit, commitSent: true) : CancellationError()))
        }
    }

    struct OperationTimedOut: Error {
        var limit: Duration
        /// Whether the transaction's COMMIT had been sent: it may have been written.
        var commitSent = false
    }

    /// Whether `error` is a unique-constraint violation: another writer took the version or
    /// stored the same bytes first.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    /// Whether the transaction should simply be run again: a unique violation, a
    /// serialisation failure or a deadlock.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return ["23505", "40001", "40P01"].contains(state)
    }

    /// An error from postgres-nio in words that name the database and say what to do.
    func translate(_ error: any Error, operation: String) -> IntakeStoreError {
        if let intakeError = error as? IntakeStoreError {
            guard intakeError.path.isEmpty else { return intakeError }
            return IntakeStoreError(intakeError.kind, path: location,
                                    operation: intakeError.operation.isEmpty ? operation : intakeError.operation, intakeError.message)
        }
        if let timedOut = error as? OperationTimedOut {
            guard timedOut.commitSent else {
                return IntakeStoreError(.busy, path: location, operation: operation,
                                        "the database did not answer within \(Self.seconds(timedOut.limit)) s; nothing was written; try again")
            }
            return IntakeStoreError(.busy, path: location, operation: operation,
                                    "the database did not confirm the commit within \(Self.seconds(timedOut.limit)) s, so it may have been written; "
                                        + "sending the same again is safe (the same bytes are recognised)")
        }
        if error is CancellationError {
            return IntakeStoreError(.other, path: location, operation: operation,
                                    "the request was cancelled before the database answered; nothing was written")
        }
        guard let postgres = error as? PSQLError else {
            // postgres-nio's pool reports a server it cannot reach with its own error type.
            return IntakeStoreError(.busy, path: location, operation: operation,
                                    "the database server cannot be reached just now (\(Self.plain(error))); try again")
        }
        switch postgres.code {
        case .authMechanismRequiresPassword:
            // Nothing to retry: the login will be asked for a password every time.
            return IntakeStoreError(.cannotOpen, path: location, operation: operation,
                                    "the database asks for a password for user \(user): set PGPASSWORD, or name a variable "
                                        + "holding it in the URL (postgres://\(user):${INTAKE_DB_PASSWORD}@…)")
        case .unsupportedAuthMechanism:
            // Refused every time, like a wrong password: not a server to try again.
            let method = Self.loginMethod(postgres).map { " (\($0))" } ?? ""
            return IntakeStoreError(.cannotOpen, path: location, operation: operation,
                                    "the database asks for a login method pioneer cannot use\(method); give user \(user) "
                                        + "scram-sha-256, md5 or password in the server's pg_hba.conf, and the password in PGPASSWORD")
        case .sslUnsupported:
            return IntakeStoreError(.cannotOpen, path: location, operation: operation,
                                    "the database server does not offer TLS, but sslmode=\(sslMode.rawValue) asks for it; "
                                        + "turn TLS on at the server (ssl = on in postgresql.conf)")
        default:
            break
        }
        if let underlying = postgres.underlying, underlying is NIOSSLError || underlying is BoringSSLError {
            // A certificate that does not check out fails the same way every time.
            return IntakeStoreError(.cannotOpen, path: location, operation: operation,
                                    "the TLS handshake with the database server failed (\(Self.tlsReason(underlying))); check that "
                                        + "sslrootcert holds the certificate that signed the server's and, for sslmode=verify-full, "
                                        + "that the URL's host is a name in the server's certificate")
        }
        guard let state = postgres.serverInfo?[.sqlState] else {
            let cause = postgres.underlying.map { Self.plain($0) } ?? postgres.code.description
            return IntakeStoreError(.busy, path: location, operation: operation,
                                    "the database server cannot be reached (\(cause)); try again")
        }
        let message = postgres.serverInfo?[.message] ?? "error \(state)"
        switch state {
        case "28P01", "28000":
            return IntakeStoreError(.cannotOpen, path: location, operation: operation,
                                    "the server refused the login (\(message)); check the user and the password (PGPASSWORD)")
        case "3D000":
            return IntakeStoreError(.cannotOpen, path: location, operation: operation,
                                    "\(message); create it first (createdb), or name another in the URL")
        case "42501":
            return IntakeStoreError(.readOnly, path: location, operation: operation,
                                    "the user may not do this (\(message)); grant it the rights on the database")
        case "55P03", "57014":
            // lock_timeout and statement_timeout (``statementTimeout(within:)``): PostgreSQL
            // cancelled the statement and the transaction was rolled back.
            return IntakeStoreError(.busy, path: location, operation: operation,
                                    "the database did not finish within \(Self.seconds(Self.statementTimeout(within: operationTimeout))) s "
                                        + "(\(message): another session may hold a lock it needs); nothing was written; try again")
        case "53100":
            return IntakeStoreError(.full, path: location, operation: operation, "the database server's disk is full")
        case _ where state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53") || state.hasPrefix("40"):
            return IntakeStoreError(.busy, path: location, operation: operation,
                                    "the database server cannot serve this just now (\(message)); try again")
        default:
            return IntakeStoreError(.other, path: location, operation: operation, "PostgreSQL reported: \(message)")
        }
    }

    /// A duration in seconds as people read it: `10`, `0.9`.
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? String(milliseconds / 1000) : String(Double(milliseconds) / 1000)
    }

    /// The login method postgres-nio could not use (`gss`, `sspi`, `sasl(mechanisms: […])`), as
    /// its error's debug text names it; nil if that text does not.
    private static func loginMethod(_ error: PSQLError) -> String? {
        let text = String(reflecting: error)
        guard let start = text.range(of: "unsupportedAuthScheme: ") else { return nil }
        let rest = text[start.upperBound...]
        var depth = 0
        var end = rest.endIndex
        for index in rest.indices {
            switch rest[index] {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case "," where depth == 0: end = index
            default: continue
            }
            if end != rest.endIndex || depth < 0 { end = index; break }
        }
        let method = rest[..<end].trimmingCharacters(in: .whitespaces)
        return method.isEmpty ? nil : method
    }

    /// BoringSSL's reason for a failed handshake in words (`certificate verify failed`), not the
    /// Swift error's text, which dumps types and a source path.
    static func tlsReason(_ error: any Error) -> String {
        let text = String(describing: error)
        if let marker = text.range(of: "OPENSSL_internal:", options: .backwards) {
            let reason = text[marker.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !reason.isEmpty { return reason.lowercased().replacingOccurrences(of: "_", with: " ") }
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .unableToValidateCertificate: return "the server's certificate could not be validated"
            case .cannotFindPeerIP: return "the server's address could not be checked against its certificate"
            default: break
            }
        }
        return "the server's TLS answer was refused"
    }

    /// An error's own words, not a Swift type dump.
    private static func plain(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// Whether a transaction may still commit. Once its operation has been answered as timed out
/// (a 503: "nothing was stored, send it again") it must not.
final class CommitGate: @unchecked Sendable {
    // @unchecked: `state` is only read and written with `lock` held.
    private let lock = NSLock()
    private var state = State.open

    private enum State { case open, committing, closed }

    /// Takes the right to commit: false when the operation has already been answered.
    func claim() -> Bool {
        lock.withLock {
            guard state == .open else { return false }
            state = .committing
            return true
        }
    }

    /// Closes the gate as the operation is answered without the transaction; true when the
    /// COMMIT had already been sent, so whether it was written is not known.
    func close() -> Bool {
        lock.withLock {
            if state == .open { state = .closed }
            return state == .committing
        }
    }
}

/// The first of several answers, for a caller waiting on whichever comes first.
private final class FirstAnswer<T: Sendable>: @unchecked Sendable {
    // @unchecked: `result` and `waiter` are only read and written with `lock` held.
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    private var waiter: CheckedContinuation<T, any Error>?

    /// Records `answer` unless one came first, and wakes the caller waiting for it.
    func answer(with answer: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
            guard result == nil else { return nil }
            result = answer
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(with: answer)
    }

    /// The first answer, waiting for it if none has come yet.
    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<T, any Error>? = lock.withLock {
                if let result { return result }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing `body`.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
