// Tokens: created, listed, revoked, and looked up for each request. A token is `pio_` and 32
// random bytes in base64url; only its SHA-256 (swift-crypto) is stored, so a copy of the
// database gives nobody a working token.
import Crypto
import Foundation
import PioneerKit

extension IntakeStore {
    /// The prefix every token starts with, so a leaked one is recognisable (secret scanners).
    public static let tokenPrefix = "pio_"

    /// Creates a token for `role` (a site token names its site) and returns it with its record.
    /// The token itself is returned only here: the store keeps its hash.
    ///
    /// - Throws: ``IntakeStoreError`` with kind `invalidArgument` for a site token without a
    ///   site or an office token with one; a database error naming the database.
    public func createToken(role: TokenRole, site: String?) async throws(IntakeStoreError) -> (token: String, record: TokenRecord) {
        let operation = "create a token"
        switch (role, site) {
        case (.site, nil):
            throw IntakeStoreError(.invalidArgument, path: path, operation: operation, "a site token needs a site (--site ID)")
        case (.site, let site?) where site.trimmingCharacters(in: .whitespaces).isEmpty:
            throw IntakeStoreError(.invalidArgument, path: path, operation: operation, "a site token needs a site id, not an empty one")
        case (.site, let site?) where site.utf8.contains(0):
            throw IntakeStoreError(.invalidArgument, path: path, operation: operation,
                                   "the site id holds a NUL character, which the intake store cannot keep")
        case (.office, _?):
            throw IntakeStoreError(.invalidArgument, path: path, operation: operation, "an office token is for every site; give no site")
        default:
            break
        }
        var generator = SystemRandomNumberGenerator()
        let token = Self.tokenPrefix + Self.base64url((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let hash = HexText.lowercase(SHA256.hash(data: Data(token.utf8)))
        let createdAt = IntakeTime.text(Date())
        // Ids are short for people to type; a clash with an existing one is drawn again.
        for _ in 0..<8 {
            let id = HexText.lowercase((0..<5).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            let row = TokenRow(id: id, role: role.rawValue, site: site, hash: hash, createdAt: createdAt, revokedAt: nil)
            if try await backend.insertToken(row) {
                return (token, TokenRecord(id: id, role: role, site: site, createdAt: createdAt, revokedAt: nil))
            }
        }
        throw IntakeStoreError(.other, path: path, operation: operation, "no free token id was found after 8 draws")
    }

    /// Every token, oldest first: ids, roles, sites and dates, never a token or its hash.
    public func tokens() async throws(IntakeStoreError) -> [TokenRecord] {
        try await backend.tokens()
    }

    /// Revokes the token with `id` at once: the next request that presents it is refused, by
    /// every server on the database. Revoking a revoked token keeps its first revocation date.
    ///
    /// - Throws: ``IntakeStoreError`` with kind `notFound` when no token has that id.
    public func revokeToken(id: String) async throws(IntakeStoreError) -> TokenRecord {
        guard let record = try await backend.revokeToken(id: id, at: IntakeTime.text(Date())) else {
            throw IntakeStoreError(.notFound, path: path, operation: "revoke token \(id)",
                                   "there is no token with that id; `pioneer serve token list` shows them")
        }
        return record
    }

    /// Who `token` belongs to, or nil when it is unknown or revoked.
    ///
    /// The token is hashed and looked up by its hash; the stored hash is then compared with
    /// swift-crypto's constant-time digest comparison, so neither the lookup nor the
    /// comparison tells an attacker how much of a guess was right.
    public func caller(forToken token: String) async throws(IntakeStoreError) -> Caller? {
        let hash = HexText.lowercase(SHA256.hash(data: Data(token.utf8)))
        guard let row = try await backend.token(hash: hash), Self.token(token, matchesHash: row.hash), row.revokedAt == nil,
              let role = TokenRole(rawValue: row.role) else { return nil }
        return Caller(tokenID: row.id, role: role, site: row.site)
    }

    /// Whether `token`'s SHA-256 is the stored hex `hash`, compared by swift-crypto's digest
    /// equality, which takes the same time wherever the bytes differ.
    static func token(_ token: String, matchesHash hash: String) -> Bool {
        guard let stored = bytes(hex: hash) else { return false }
        return SHA256.hash(data: Data(token.utf8)) == stored
    }

    // MARK: Helpers

    /// RFC 4648 §5 base64url without padding: safe in a header, a URL and a shell.
    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(hex text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = hexValue(characters[index]), let low = hexValue(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
