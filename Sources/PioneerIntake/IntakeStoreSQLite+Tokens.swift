// Tokens and indicator definitions on SQLite: rows in, rows out; hashing and JSON are the
// store's, above the SQL.
internal import GRDB
import Foundation

extension SQLiteIntakeBackend {
    func insertToken(_ row: TokenRow) async throws(IntakeStoreError) -> Bool {
        try await write("create a token") { db -> Bool in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM token WHERE id = ?", arguments: [row.id]) == 0 else { return false }
            try db.execute(sql: "INSERT INTO token (id, role, site, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)",
                           arguments: [row.id, row.role, row.site, row.hash, row.createdAt])
            return true
        }
    }

    func tokens() async throws(IntakeStoreError) -> [TokenRecord] {
        try await read("list the tokens") { db in
            try Row.fetchAll(db, sql: "SELECT id, role, site, created_at, revoked_at FROM token ORDER BY created_at, id")
                .map(Self.tokenRecord)
        }
    }

    func revokeToken(id: String, at time: String) async throws(IntakeStoreError) -> TokenRecord? {
        try await write("revoke token \(id)") { db -> TokenRecord? in
            try db.execute(sql: "UPDATE token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [time, id])
            return try Row.fetchOne(db, sql: "SELECT id, role, site, created_at, revoked_at FROM token WHERE id = ?", arguments: [id])
                .map(Self.tokenRecord)
        }
    }

    /// Every request asks this, so it is one cached statement outside a transaction (a single
    /// SELECT reads one consistent snapshot anyway): GRDB's `read` would BEGIN and COMMIT around it.
    func token(hash: String) async throws(IntakeStoreError) -> TokenRow? {
        do {
            return try await pool.unsafeRead { db in try Self.tokenRow(hash: hash, db) }
        } catch {
            throw IntakeStoreError.from(error, path: path, operation: "check a token")
        }
    }

    private static func tokenRow(hash: String, _ db: Database) throws -> TokenRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT id, role, site, hash, created_at, revoked_at FROM token WHERE hash = ?"),
                         arguments: [hash])
            .map { row in
                TokenRow(id: row["id"], role: row["role"], site: row["site"], hash: row["hash"],
                         createdAt: row["created_at"], revokedAt: row["revoked_at"])
            }
    }

    private static func tokenRecord(_ row: Row) -> TokenRecord {
        let role: String = row["role"]
        return TokenRecord(id: row["id"], role: TokenRole(rawValue: role) ?? .site, site: row["site"],
                           createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }

    func definitionTexts() async throws(IntakeStoreError) -> [String] {
        try await read("read the indicator definitions") { db in
            try String.fetchAll(db, sql: "SELECT definition FROM indicator_definition ORDER BY indicator, version")
        }
    }

    func definitionKeys(indicators: [String]) async throws(IntakeStoreError) -> [(indicator: String, version: String)] {
        let placeholders = Array(repeating: "?", count: indicators.count).joined(separator: ", ")
        let rows = try await read("read the indicator definitions") { db in
            try Row.fetchAll(db, sql: "SELECT indicator, version FROM indicator_definition WHERE indicator IN (\(placeholders))",
                             arguments: StatementArguments(indicators))
                .map { row -> [String] in [row["indicator"], row["version"]] }
        }
        return rows.map { (indicator: $0[0], version: $0[1]) }
    }
}
