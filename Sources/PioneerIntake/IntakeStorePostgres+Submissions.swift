// Submissions, tokens and definitions on PostgreSQL: the same queries as SQLite's (IntakeSQL),
// with PostgreSQL's placeholders, and versions numbered across servers.
import Foundation
import PostgresNIO

extension PostgresIntakeBackend {
    /// How often a submission's transaction is run again after another server's raced it.
    static let storeAttempts = 10

    /// Stores `pending` in one transaction, or answers the row with the same bytes for the
    /// same site and period.
    ///
    /// The transaction first takes a transaction-scoped advisory lock on the site and period
    /// (in the database, so it holds across servers): writers of the same site and period
    /// queue there, and each reads the latest version only once the one before it has
    /// committed. The UNIQUE constraints stay the guarantee: a writer that got past the lock
    /// anyway (two keys that hash alike lock together, never apart) fails on them, and the
    /// whole transaction is run again.
    func store(_ pending: PendingSubmission, summaryJSON: String, definitions: [DefinitionRow]) async throws(IntakeStoreError) -> StoredRow {
        let operation = "store submission \(pending.id)"
        for attempt in 1...Self.storeAttempts {
            do {
                return try await withTransaction(operation) { connection in
                    try await self.insert(pending, json: summaryJSON, definitions: definitions, connection)
                }
            } catch let error where error.kind == .busy && error.message.hasPrefix(Self.raceMarker) && attempt < Self.storeAttempts {
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
                continue
            }
        }
        throw IntakeStoreError(.busy, path: location, operation: operation,
                               "other writers took the next version \(Self.storeAttempts) times running; try again")
    }

    private func insert(_ pending: PendingSubmission, json: String, definitions: [DefinitionRow],
                        _ connection: PostgresConnection) async throws -> StoredRow {
        var version: Int?
        if let site = pending.site, let period = pending.period {
            let key = site + "\n" + period
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
            let earlier = try await connection.query(
                PostgresQuery(unsafeSQL: "\(IntakeSQL.recordColumns) FROM submission s WHERE s.site = $1 AND s.period = $2 AND s.digest = $3",
                              binds: try Self.binds([site, period, pending.digest])), logger: logger).collect()
            if let row = earlier.first {
                return .duplicate(try Self.submissionRow(row))
            }
            var latest: Int?
            for try await value in try await connection.query(
                "SELECT MAX(version) FROM submission WHERE site = \(site) AND period = \(period)", logger: logger).decode(Int?.self) {
                latest = value
            }
            version = (latest ?? 0) + 1
        }
        for definition in definitions {
            try await connection.query("""
                INSERT INTO indicator_definition (indicator, version, definition)
                VALUES (\(definition.indicator), \(definition.version), \(definition.json))
                ON CONFLICT (indicator, version) DO NOTHING
                """, logger: logger)
        }
        let period = version == nil ? nil : pending.period
        try await connection.query("""
            INSERT INTO submission (id, site, period, version, format, digest, size, received_at, status, late, summary, body)
            VALUES (\(pending.id), \(pending.site), \(period), \(version), \(pending.format.rawValue), \(pending.digest),
                    \(pending.bytes.count), \(pending.receivedAt), \(pending.summary.status.rawValue), \(pending.summary.late),
                    \(json), \(ByteBuffer(bytes: pending.bytes)))
            """, logger: logger)
        if let rows = pending.rows {
            try await Self.insert(rows, connection, logger: logger)
        }
        return .stored(version: version)
    }

    func submissions(site: String?, period: String?) async throws(IntakeStoreError) -> [SubmissionRow] {
        var conditions: [String] = []
        var values: [String] = []
        if let site {
            values.append(site)
            conditions.append("s.site = $\(values.count)")
        }
        if let period {
            values.append(period)
            conditions.append("s.period = $\(values.count)")
        }
        let query = PostgresQuery(unsafeSQL: IntakeSQL.listing(conditions), binds: try bindings(values, "list submissions"))
        return try await rows("list submissions", query, Self.submissionRow)
    }

    func submission(id: String) async throws(IntakeStoreError) -> SubmissionRow? {
        let query = PostgresQuery(unsafeSQL: "\(IntakeSQL.recordColumns) FROM submission s WHERE s.id = $1",
                                  binds: try bindings([id], "read submission \(id)"))
        return try await rows("read submission \(id)", query, Self.submissionRow).first
    }

    func body(ofSubmission id: String) async throws(IntakeStoreError) -> [UInt8]? {
        try await rows("read submission \(id)", "SELECT body FROM submission WHERE id = \(id)") { row in
            var buffer = try row.decode(ByteBuffer.self)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        }.first
    }

    func countingReturns(period: String) async throws(IntakeStoreError) -> [(row: SubmissionRow, bytes: [UInt8])] {
        let operation = "read the returns that count for \(period)"
        let query = PostgresQuery(unsafeSQL: IntakeSQL.counting(placeholder: "$1"), binds: try bindings([period], operation))
        return try await rows(operation, query) { row in
            var buffer = try row.makeRandomAccess()["body"].decode(ByteBuffer.self)
            return (row: try Self.submissionRow(row), bytes: buffer.readBytes(length: buffer.readableBytes) ?? [])
        }
    }

    // MARK: Tokens

    func insertToken(_ row: TokenRow) async throws(IntakeStoreError) -> Bool {
        // In a transaction, as every write: one that waited past the limit must not commit after its error.
        try await withTransaction("create a token") { connection in
            let inserted = try await connection.query("""
                INSERT INTO token (id, role, site, hash, created_at, revoked_at)
                VALUES (\(row.id), \(row.role), \(row.site), \(row.hash), \(row.createdAt), NULL)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: self.logger).collect()
            return !inserted.isEmpty
        }
    }

    func tokens() async throws(IntakeStoreError) -> [TokenRecord] {
        try await rows("list the tokens", "SELECT id, role, site, created_at, revoked_at FROM token ORDER BY created_at, id",
                       Self.tokenRecord)
    }

    func revokeToken(id: String, at time: String) async throws(IntakeStoreError) -> TokenRecord? {
        // COALESCE keeps the first revocation date when the token is revoked again.
        try await withTransaction("revoke token \(id)") { connection in
            try await connection.query("""
                UPDATE token SET revoked_at = COALESCE(revoked_at, \(time)) WHERE id = \(id)
                RETURNING id, role, site, created_at, revoked_at
                """, logger: self.logger).collect().first.map(Self.tokenRecord)
        }
    }

    func token(hash: String) async throws(IntakeStoreError) -> TokenRow? {
        try await rows("check a token", "SELECT id, role, site, hash, created_at, revoked_at FROM token WHERE hash = \(hash)") { row in
            let (id, role, site, hash, createdAt, revokedAt) = try row.decode((String, String, String?, String, String, String?).self)
            return TokenRow(id: id, role: role, site: site, hash: hash, createdAt: createdAt, revokedAt: revokedAt)
        }.first
    }

    // MARK: Definitions

    func definitionTexts() async throws(IntakeStoreError) -> [String] {
        try await rows("read the indicator definitions", "SELECT definition FROM indicator_definition ORDER BY indicator, version") {
            try $0.decode(String.self)
        }
    }

    func definitionKeys(indicators: [String]) async throws(IntakeStoreError) -> [(indicator: String, version: String)] {
        let operation = "read the indicator definitions"
        let placeholders = indicators.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let query = PostgresQuery(unsafeSQL: "SELECT indicator, version FROM indicator_definition WHERE indicator IN (\(placeholders))",
                                  binds: try bindings(indicators, operation))
        return try await rows(operation, query) { row in
            let (indicator, version) = try row.decode((String, String).self)
            return (indicator: indicator, version: version)
        }
    }

    // MARK: Rows

    /// Runs `query` and maps each row.
    func rows<T: Sendable>(_ operation: String, _ query: PostgresQuery,
                                   _ map: @escaping @Sendable (PostgresRow) throws -> T) async throws(IntakeStoreError) -> [T] {
        try await withConnection(operation) { connection in
            var mapped: [T] = []
            for try await row in try await connection.query(query, logger: self.logger) {
                mapped.append(try map(row))
            }
            return mapped
        }
    }

    func bindings(_ values: [String], _ operation: String) throws(IntakeStoreError) -> PostgresBindings {
        do {
            return try Self.binds(values)
        } catch {
            throw translate(error, operation: operation)
        }
    }

    private static func binds(_ values: [String]) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try binds.append(value) }
        return binds
    }

    private static func submissionRow(_ row: PostgresRow) throws -> SubmissionRow {
        let cells = row.makeRandomAccess()
        return SubmissionRow(
            id: try cells["id"].decode(String.self), site: try cells["site"].decode(String?.self),
            period: try cells["period"].decode(String?.self), version: try cells["version"].decode(Int?.self),
            format: try cells["format"].decode(String.self), digest: try cells["digest"].decode(String.self),
            size: try cells["size"].decode(Int.self), receivedAt: try cells["received_at"].decode(String.self),
            status: try cells["status"].decode(String.self), late: try cells["late"].decode(Bool.self),
            summary: try cells["summary"].decode(String.self), counts: try cells["counts"].decode(Int.self) == 1)
    }

    private static func tokenRecord(_ row: PostgresRow) throws -> TokenRecord {
        let (id, role, site, createdAt, revokedAt) = try row.decode((String, String, String?, String, String?).self)
        return TokenRecord(id: id, role: TokenRole(rawValue: role) ?? .site, site: site, createdAt: createdAt, revokedAt: revokedAt)
    }
}
