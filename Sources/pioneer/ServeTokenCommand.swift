// `pioneer serve token create|list|revoke`: the intake service's tokens, managed on the
// database file directly, so the office can issue and revoke them with the server running.
import ArgumentParser
import Foundation
import PioneerIntake

struct ServeTokenCommand: ParsableCommand {
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

        Exit status: 0 success, 1 the database cannot be used or no such token, 2 usage error.
        """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// The database option every token subcommand takes.
    struct Database: ParsableArguments {
        @Option(name: .customLong("db"), help: ArgumentHelp("The intake database (SQLite file) `pioneer serve` uses.", valueName: "path"))
        var path: String

        func open() throws -> IntakeStore {
            do {
                return try IntakeStore(path: path)
            } catch {
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
        }
    }

    struct Create: ParsableCommand {
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

        func validate() throws {
            switch (site, office) {
            case (nil, false):
                throw ValidationError("give --site ID for a site's token or --office for an office token")
            case (_?, true):
                throw ValidationError("give --site ID or --office, not both")
            case (let site?, false):
                guard !site.isEmpty, site.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                    throw ValidationError("--site `\(site)` is not a site id: ids use only lowercase letters, digits and `-`")
                }
            default:
                break
            }
        }

        func run() throws {
            let store = try database.open()
            let created: (token: String, record: TokenRecord)
            do {
                created = try store.createToken(role: office ? .office : .site, site: office ? nil : site)
            } catch {
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
            let record = created.record
            let whose = record.site.map { "site token for \($0)" } ?? "office token"
            StandardOutput.write("""
                Created \(whose), id \(record.id), in \(store.path).
                It is shown only this once: store it now (for `pioneer submit`, in PIONEER_TOKEN).
                Revoke it with: pioneer serve token revoke \(record.id) --db \(store.path)
                \(created.token)

                """)
        }
    }

    struct List: ParsableCommand {
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

        func run() throws {
            let store = try database.open()
            let tokens: [TokenRecord]
            do {
                tokens = try store.tokens()
            } catch {
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = (try? encoder.encode(["tokens": tokens])) ?? Data("{}".utf8)
                StandardOutput.write(String(decoding: data, as: UTF8.self) + "\n")
            case .table:
                guard !tokens.isEmpty else {
                    StandardOutput.write("No tokens in \(store.path) yet; create one with `pioneer serve token create --site ID --db \(store.path)`.\n")
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

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a token: it is refused from the next request on."
        )

        @Argument(help: ArgumentHelp("The token's id, as `token list` shows it.", valueName: "id"))
        var id: String

        @OptionGroup var database: Database

        func run() throws {
            let store = try database.open()
            let record: TokenRecord
            do {
                record = try store.revokeToken(id: id)
            } catch {
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
            let whose = record.site.map { "site token for \($0)" } ?? "office token"
            StandardOutput.write("Revoked \(whose), id \(record.id), at \(record.revokedAt ?? "?").\n")
        }
    }
}
