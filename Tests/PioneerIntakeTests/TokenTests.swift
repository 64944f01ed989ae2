// Tokens: created once and shown once, only their hash kept, looked up and compared in
// constant time, refused at once when revoked (by any store on the database), on SQLite and PostgreSQL.
import Crypto
import Foundation
import GRDB
@testable import PioneerIntake
import PioneerKit
import Testing

@Suite("Intake tokens")
struct TokenTests {
    @Test(arguments: IntakeStore.Kind.allCases)
    func aCreatedTokenIsPioAnd32RandomBytesInBase64url(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let (token, record) = try await store.createToken(role: .site, site: "torbay")
            #expect(token.hasPrefix("pio_"))
            let body = token.dropFirst(4)
            #expect(body.count == 43)
            #expect(body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(record.role == .site && record.site == "torbay" && record.revokedAt == nil)
            #expect(record.id.count == 10)
            let (other, _) = try await store.createToken(role: .site, site: "torbay")
            #expect(other != token)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aTokenIdentifiesItsCaller(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let (siteToken, site) = try await store.createToken(role: .site, site: "torbay")
            let (officeToken, office) = try await store.createToken(role: .office, site: nil)
            #expect(try await store.caller(forToken: siteToken) == Caller(tokenID: site.id, role: .site, site: "torbay"))
            #expect(try await store.caller(forToken: officeToken) == Caller(tokenID: office.id, role: .office, site: nil))
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anUnknownOrAlteredTokenIsRefused(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let (token, _) = try await store.createToken(role: .office, site: nil)
            let last = token.last == "A" ? "B" : "A"
            for guess in [String(token.dropLast()) + last, String(token.dropLast()), token + "x", "", "pio_", token.uppercased()] {
                #expect(try await store.caller(forToken: guess) == nil, "\(guess.prefix(8))…")
            }
        }
    }

    @Test func onlyTheHashIsStoredAndListingShowsNeitherTokenNorHash() async throws {
        try await withIntakeStore { store, path in
            let (token, _) = try await store.createToken(role: .site, site: "torbay")
            let hash = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
            let queue = try DatabaseQueue(path: path)
            let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM token") }
            #expect(rows.count == 1)
            #expect(rows.first.map { $0["hash"] as String } == hash)
            let stored = rows.map { $0.description }.joined()
            #expect(!stored.contains(String(token.dropFirst(4))))
            let file = try Data(contentsOf: URL(fileURLWithPath: path)) + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
            #expect(file.range(of: Data(token.utf8)) == nil)

            let listed = String(decoding: try JSONEncoder().encode(try await store.tokens()), as: UTF8.self)
            #expect(!listed.contains(token) && !listed.contains(hash))
        }
    }

    @Test func theComparisonIsSwiftCryptosConstantTimeDigestEquality() throws {
        let token = "pio_" + String(repeating: "A", count: 43)
        let hash = HexText.lowercase(SHA256.hash(data: Data(token.utf8)))
        #expect(IntakeStore.token(token, matchesHash: hash))
        #expect(IntakeStore.token(token, matchesHash: hash.uppercased()))
        // One hex digit off at the end, at the start; a short hash; not hex.
        let lastFlipped = String(hash.dropLast()) + (hash.last == "0" ? "1" : "0")
        let firstFlipped = (hash.first == "0" ? "1" : "0") + String(hash.dropFirst())
        for wrong in [lastFlipped, firstFlipped, String(hash.dropLast(2)), String(repeating: "z", count: 64), ""] {
            #expect(!IntakeStore.token(token, matchesHash: wrong))
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aRevokedTokenIsRefusedAtOnceByEveryStoreOnTheDatabase(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, path in
            let other = try await IntakeStore.open(path)
            let (token, record) = try await store.createToken(role: .site, site: "torbay")
            #expect(try await other.caller(forToken: token) != nil)
            let revoked = try await other.revokeToken(id: record.id)
            #expect(revoked.revokedAt != nil && revoked.id == record.id)
            #expect(try await store.caller(forToken: token) == nil)
            #expect(try await other.caller(forToken: token) == nil)
            // Revoking again keeps the first date.
            #expect(try await store.revokeToken(id: record.id).revokedAt == revoked.revokedAt)
            #expect(try await store.tokens().map(\.revokedAt) == [revoked.revokedAt])
            await other.close()
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func revokingAnUnknownIdSaysSoAndNamesTheDatabase(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, path in
            let error = await #expect(throws: IntakeStoreError.self) { try await store.revokeToken(id: "0000000000") }
            #expect(error?.kind == .notFound)
            #expect(error?.description == "intake store \(path): cannot revoke token 0000000000: there is no token with that id; `pioneer serve token list` shows them")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aSiteTokenNeedsASiteAndAnOfficeTokenHasNone(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let noSite = await #expect(throws: IntakeStoreError.self) { try await store.createToken(role: .site, site: nil) }
            #expect(noSite?.kind == .invalidArgument)
            #expect(noSite?.message == "a site token needs a site (--site ID)")
            let officeWithSite = await #expect(throws: IntakeStoreError.self) { try await store.createToken(role: .office, site: "torbay") }
            #expect(officeWithSite?.message == "an office token is for every site; give no site")
            let tokens = try await store.tokens()
            #expect(tokens.isEmpty)
        }
    }
}
