// `pioneer serve token create|list|revoke`: the intake service's tokens, managed on the
// database directly (a SQLite file or PostgreSQL), so the office can issue and revoke them
// with the servers running.
import ArgumentParser
import Foundation
import PioneerConfig
import PioneerIntake
import PioneerKit

struct ServeTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke the tokens sites and the office use with the intake service.",
        discussion: """
        A site token lets a site submit and read only its own returns; an office token \
        reads everything (status, the aggregate, the dashboard) and may submit for any site. \
        Only a token's SHA-256 is stored: a lost token cannot be shown again; revoke it and \
        create another. A revoked token is refused at once, by every server on the database.

        Examples:
          pioneer serve token create --site torbay --db intake.sqlite
          pioneer serve token create --office --db intake.sqlite
          pioneer serve token list --db intake.sqlite
          pioneer serve token revoke 3fa91c02be --db intake.sqlite
          pioneer serve token create --site torbay --db postgres://pioneer@db.example:5432/intake

        Exit status: 0 success, 1 the database cannot be used or no such token, 2 usage error.
        """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// The database option every token subcommand takes.
    struct Database: ParsableArguments {
        @Option(name: .customLong("db"),
                help: ArgumentHelp("The intake database `pioneer serve` uses: a SQLite file, or postgres://USER@HOST:PORT/DB.", valueName: "path-or-url"))
        var path: String

        @Option(name: .customLong("db-timeout"),
                help: ArgumentHelp("Seconds a PostgreSQL operation may wait for the database.", valueName: "seconds"),
                transform: ServeCommand.Run.parseDatabaseTimeout)
        var timeout: Duration = IntakeStore.defaultDatabaseTimeout

        /// Opens the store, runs `body` on it and closes it; a store error is printed and exits 1.
        /// `creating` is false for the commands that only read or change tokens: a SQLite file
        /// that does not exist is then an error (a mistyped path), not a new empty database.
        func withStore<T>(creating: Bool = true, _ body: (IntakeStore) async throws(IntakeStoreError) -> T) async throws -> (store: String, result: T) {
            if !creating, !path.hasPrefix("postgres://"), !path.hasPrefix("postgresql://"), !FileManager.default.fileExists(atPath: path) {
                StandardError.write("error: intake store \(path): no such database; `pioneer serve token create --db \(path)` or `pioneer serve --db \(path)` creates one\n")
                throw ExitCode(1)
            }
            let store: IntakeStore
            do {
                store = try await IntakeStore.open(path, databaseTimeout: timeout)
            } catch {
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
            do {
                let result = try await body(store)
                await store.close()
                return (store.path, result)
            } catch {
                await store.close()
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a token and print it once, alone on the last line.",
            discussion: """
            The token is printed only now: store it where the site keeps its secrets (the \
            PIONEER_TOKEN variable for `pioneer submit`). `pioneer serve token list` shows its id.
            """
        )

        @Option(help: ArgumentHelp("A token for this site: it may submit and read only the site's returns.", valueName: "id"))
        var site: String?

        @Flag(help: "An office token: reads status, the aggregate and the dashboard, and may submit for any site.")
        var office = false

        @OptionGroup var database: Database

        @Option(help: ArgumentHelp("The programme file whose sites a site token is checked against (a warning when the site is not one).",
                                   valueName: "file"))
        var programme: String = ProgrammeLoader.defaultFile

        func validate() throws {
            switch (site, office) {
            case (nil, false):
                throw ValidationError("give --site ID for a site's token or --office for an office token")
            case (_?, true):
                throw ValidationError("give --site ID or --office, not both")
            case (let site?, false):
                guard !site.isEmpty, site.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                    throw ValidationError("--site `\(site.escapingControlCharacters())` is not a site id: ids use only lowercase letters, digits and `-`")
                }
            default:
                break
            }
        }

        func run() async throws {
            let role: TokenRole = office ? .office : .site, site = office ? nil : site
            // A token for a site the programme does not expect can submit nothing the service keeps.
            if let site, let expected = ProgrammeLoader.expectedSites(file: programme), !expected.contains(site) {
                StandardError.write("warning: site `\(site)` is not one the programme file \(programme) expects\(didYouMean(site, among: expected)); "
                                    + "it expects \(expected.joined(separator: ", ")), and refuses the returns of any other site\n")
            }
            let (store, created) = try await database.withStore { store async throws(IntakeStoreError) in
                try await store.createToken(role: role, site: site)
            }
            let record = created.record
            let whose = record.site.map { "site token for \($0)" } ?? "office token"
            StandardOutput.write("""
                Created \(whose), id \(record.id), in \(store).
                It is shown only this once: store it now (for `pioneer submit`, in PIONEER_TOKEN).
                Revoke it with: pioneer serve token revoke \(record.id) --db \(store)
                \(created.token)

                """)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the tokens: id, role, site, when created and revoked (never a token or its hash)."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        @Option(help: "Output format: table or json.")
        var format: Format = .table

        @OptionGroup var database: Database

        func run() async throws {
            let (store, tokens) = try await database.withStore(creating: false) { store async throws(IntakeStoreError) in try await store.tokens() }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = (try? encoder.encode(["tokens": tokens])) ?? Data("{}".utf8)
                StandardOutput.write(String(decoding: data, as: UTF8.self) + "\n")
            case .table:
                guard !tokens.isEmpty else {
                    StandardOutput.write("No tokens in \(store) yet; create one with `pioneer serve token create --site ID --db \(store)`.\n")
                    return
                }
                let rows = [["ID", "ROLE", "SITE", "CREATED", "REVOKED"]] + tokens.map {
                    [$0.id, $0.role.rawValue, $0.site ?? "-", $0.createdAt, $0.revokedAt ?? "-"]
                }
                let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
                for row in rows {
                    let cells = row.enumerated().map { column, cell in
                        column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    }
                    StandardOutput.write(cells.joined(separator: "  ") + "\n")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a token: it is refused from the next request on."
        )

        @Argument(help: ArgumentHelp("The token's id, as `token list` shows it.", valueName: "id"))
        var id: String

        @OptionGroup var database: Database

        func run() async throws {
            let id = self.id
            let (_, record) = try await database.withStore(creating: false) { store async throws(IntakeStoreError) in try await store.revokeToken(id: id) }
            let whose = record.site.map { "site token for \($0)" } ?? "office token"
            StandardOutput.write("Revoked \(whose), id \(record.id), at \(record.revokedAt ?? "?").\n")
        }
    }
}
