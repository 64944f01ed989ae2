// `pioneer serve token create|list|revoke` as the office runs them: the token printed once,
// alone on the last line; list without secrets; revoke refused at once by the store; on a
// SQLite file and on PostgreSQL alike.
import Foundation
import PioneerIntake
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(3)))
struct ServeTokenEndToEndTests {
    @Test(arguments: IntakeStore.Kind.allCases)
    func createPrintsTheTokenOnceListShowsItWithoutItAndRevokeEndsIt(kind: IntakeStore.Kind) async throws {
        try await withTemporaryFolder(prefix: "pioneer-tokens") { folder in
            let db = try await intakeDatabase(kind, in: folder)

            let created = try await PioneerBinary.run(["serve", "token", "create", "--site", "torbay", "--db", db, "--db-timeout", "120"])
            #expect(created.status == 0, "\(created.stderr)")
            let lines = created.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let token = String(try #require(lines.last))
            #expect(token.hasPrefix("pio_") && token.count == 47 && !token.contains(" "))
            #expect(created.stdout.components(separatedBy: token).count == 2, "the token is printed once")
            #expect(created.stdout.contains("Created site token for torbay"))

            let office = try await PioneerBinary.run(["serve", "token", "create", "--office", "--db", db, "--db-timeout", "120"])
            #expect(office.status == 0)
            let officeToken = String(office.stdout.split(separator: "\n").last ?? "")

            let store = try await IntakeStore.open(db, databaseTimeout: .seconds(120))
            let caller = try #require(try await store.caller(forToken: token))
            #expect(caller.role == .site && caller.site == "torbay")
            #expect(try await store.caller(forToken: officeToken)?.role == .office)

            let listed = try await PioneerBinary.run(["serve", "token", "list", "--db", db, "--db-timeout", "120"])
            #expect(listed.status == 0)
            let table = listed.stdout.split(separator: "\n").map(String.init)
            #expect(table.count == 3)
            #expect(table[0].split(separator: " ", omittingEmptySubsequences: true) == ["ID", "ROLE", "SITE", "CREATED", "REVOKED"])
            #expect(table.contains { $0.hasPrefix(caller.tokenID) && $0.contains(" site ") && $0.contains("torbay") && $0.hasSuffix("-") })
            #expect(!listed.stdout.contains(token) && !listed.stdout.contains(officeToken))
            #expect(!listed.stdout.contains(String(token.dropFirst(4).prefix(12))))

            let revoked = try await PioneerBinary.run(["serve", "token", "revoke", caller.tokenID, "--db", db, "--db-timeout", "120"])
            #expect(revoked.status == 0, "\(revoked.stderr)")
            #expect(revoked.stdout.hasPrefix("Revoked site token for torbay, id \(caller.tokenID), at 20"))
            #expect(try await store.caller(forToken: token) == nil)
            #expect(try await store.caller(forToken: officeToken) != nil)

            let json = try await PioneerBinary.run(["serve", "token", "list", "--format", "json", "--db", db, "--db-timeout", "120"])
            let decoded = try JSONDecoder().decode([String: [TokenRecord]].self, from: Data(json.stdout.utf8))
            let records = try #require(decoded["tokens"])
            #expect(records.count == 2)
            #expect(records.first { $0.id == caller.tokenID }?.revokedAt != nil)
            #expect(records.first { $0.role == .office }?.revokedAt == nil)
            await store.close()
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func severalProcessesCreatingTokensOnOneNewDatabaseAllSucceed(kind: IntakeStore.Kind) async throws {
        try await withTemporaryFolder(prefix: "pioneer-tokens") { folder in
            let db = try await intakeDatabase(kind, in: folder)
            // Eight processes race to create the file, migrate it and write: each waits for the others.
            let runs = try await withThrowingTaskGroup(of: PioneerBinary.Run.self) { group in
                for index in 0..<8 {
                    group.addTask { try await PioneerBinary.run(["serve", "token", "create", "--site", "site-\(index)", "--db", db, "--db-timeout", "120"]) }
                }
                return try await group.reduce(into: [PioneerBinary.Run]()) { $0.append($1) }
            }
            #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.map(\.stderr).joined())")
            let store = try await IntakeStore.open(db, databaseTimeout: .seconds(120))
            #expect(Set(try await store.tokens().compactMap(\.site)) == Set((0..<8).map { "site-\($0)" }))
            for run in runs {
                let token = String(run.stdout.split(separator: "\n").last ?? "")
                #expect(try await store.caller(forToken: token) != nil)
            }
            if kind == .sqlite {
                #expect(try await store.integrityCheck() == ["ok"])
            }
            await store.close()
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func revokingAnUnknownTokenFailsNamingTheDatabase(kind: IntakeStore.Kind) async throws {
        try await withTemporaryFolder(prefix: "pioneer-tokens") { folder in
            let db = try await intakeDatabase(kind, in: folder)
            // An existing database (revoke on a path with none is refused before it is opened).
            let office = try await PioneerBinary.run(["serve", "token", "create", "--office", "--db", db, "--db-timeout", "120"])
            #expect(office.status == 0, "\(office.stderr)")
            let run = try await PioneerBinary.run(["serve", "token", "revoke", "0123456789", "--db", db, "--db-timeout", "120"])
            #expect(run.status == 1)
            #expect(run.stderr == "error: intake store \(db): cannot revoke token 0123456789: there is no token with that id; `pioneer serve token list` shows them\n")
        }
    }

    @Test func createNeedsEitherASiteOrOffice() async throws {
        try await withTemporaryFolder(prefix: "pioneer-tokens") { folder in
            let db = folder.appendingPathComponent("intake.sqlite").path
            let neither = try await PioneerBinary.run(["serve", "token", "create", "--db", db, "--db-timeout", "120"])
            #expect(neither.status == 2)
            #expect(neither.stderr.hasPrefix("error: give --site ID for a site's token or --office for an office token"))
            let both = try await PioneerBinary.run(["serve", "token", "create", "--site", "torbay", "--office", "--db", db, "--db-timeout", "120"])
            #expect(both.status == 2)
            #expect(both.stderr.hasPrefix("error: give --site ID or --office, not both"))
            let badSite = try await PioneerBinary.run(["serve", "token", "create", "--site", "Tor Bay", "--db", db, "--db-timeout", "120"])
            #expect(badSite.status == 2)
            #expect(badSite.stderr.hasPrefix("error: --site `Tor Bay` is not a site id: ids use only lowercase letters, digits and `-`"))
            // A line break in it is shown escaped, not printed.
            let broken = try await PioneerBinary.run(["serve", "token", "create", "--site", "tor\nbay", "--db", db, "--db-timeout", "120"])
            #expect(broken.stderr.hasPrefix("error: --site `tor\\nbay` is not a site id"), "\(broken.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "nothing is created on a usage error")
            // Found by a tester: a token for a site the programme does not expect was made in silence.
            let programme = folder.appendingPathComponent("programme.yaml")
            try "programme: { id: pioneers, name: Pioneers }\nsites: [torbay, cambridge]\nreporting: { periods: [month], due: { soft: 15 days, hard: 30 days } }\n"
                .write(to: programme, atomically: true, encoding: .utf8)
            let stranger = try await PioneerBinary.run(["serve", "token", "create", "--site", "torbai", "--db", db, "--programme", programme.path])
            #expect(stranger.status == 0, "\(stranger.stderr)")
            #expect(stranger.stderr == "warning: site `torbai` is not one the programme file \(programme.path) expects (did you mean `torbay`?); "
                    + "it expects torbay, cambridge, and refuses the returns of any other site\n", "\(stranger.stderr)")
        }
    }

    @Test func listingOrRevokingOnAMistypedPathCreatesNothing() async throws {
        try await withTemporaryFolder(prefix: "pioneer-tokens") { folder in
            let db = folder.appendingPathComponent("intkae.sqlite").path
            for arguments in [["serve", "token", "list", "--db", db], ["serve", "token", "revoke", "tok_x", "--db", db]] {
                let run = try await PioneerBinary.run(arguments)
                #expect(run.status == 1)
                #expect(run.stderr == "error: intake store \(db): no such database; `pioneer serve token create --db \(db)` or `pioneer serve --db \(db)` creates one\n", "\(run.stderr)")
                #expect(!FileManager.default.fileExists(atPath: db))
            }
        }
    }

    @Test func aFileThatIsNotADatabaseIsRefusedByName() async throws {
        try await withTemporaryFolder(prefix: "pioneer-tokens") { folder in
            let db = folder.appendingPathComponent("notes.txt").path
            try Data("these are notes, not a database\n".utf8).write(to: URL(fileURLWithPath: db))
            let run = try await PioneerBinary.run(["serve", "token", "list", "--db", db, "--db-timeout", "120"])
            #expect(run.status == 1)
            #expect(run.stderr == "error: intake store \(db): cannot open the database: the file is not a SQLite database; move it aside or pass another file with --db\n")
        }
    }

    @Test(arguments: [
        ["serve", "token", "list", "--db", "intake.sqlite", "--db-timeout", "0"],
        ["serve", "token", "list", "--db", "intake.sqlite", "--db-timeout", "soon"],
        ["serve", "--db", "intake.sqlite", "--db-timeout", "100000"],
    ])
    func aDatabaseTimeoutThatIsNotSecondsIsAUsageError(arguments: [String]) async throws {
        try await withTemporaryFolder(prefix: "pioneer-db-timeout") { folder in
            let run = try await PioneerBinary.run(arguments, in: folder.path)
            #expect(run.status == 2, "\(run.stderr)")
            #expect(run.stderr.contains("--db-timeout `\(arguments.last ?? "")` is not a number of seconds between 0 and 86400"),
                    "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("intake.sqlite").path))
        }
    }
}
