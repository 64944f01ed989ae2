// `pioneer serve backup --db FILE --to FILE`: an online copy of a SQLite intake database, taken
// while servers keep writing to it. PostgreSQL is backed up with its own pg_dump.
import ArgumentParser
import Foundation
import PioneerIntake

struct ServeBackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a SQLite intake database while the servers keep running.",
        discussion: """
        Copies --db to --to through SQLite's online backup: a consistent snapshot of every \
        submission, version and token, taken while servers keep writing. The copy is itself an \
        intake database: restore it by stopping the servers and putting it in place of --db. \
        --to must not exist yet. A PostgreSQL database is backed up with pg_dump \
        (docs/deployment.md).

        Examples:
          pioneer serve backup --db /srv/pioneer/intake.sqlite --to /backup/intake-2026-11-29.sqlite

        Exit status: 0 copied, 1 the database cannot be read or the copy cannot be written, 2 usage error.
        """
    )

    @Option(name: .customLong("db"), help: ArgumentHelp("The SQLite intake database to copy.", valueName: "path"))
    var database: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The new file to write the copy to.", valueName: "file"))
    var destination: String

    func run() async throws {
        guard !IntakeStore.isPostgres(database) else {
            StandardError.write("error: \(IntakeStore.display(database)) is a PostgreSQL database; back it up with pg_dump (docs/deployment.md)\n")
            throw ExitCode(1)
        }
        guard FileManager.default.fileExists(atPath: database) else {
            StandardError.write("error: \(database): no such file; --db names the intake database `pioneer serve` uses\n")
            throw ExitCode(1)
        }
        do {
            let store = try IntakeStore(path: database)
            // Counted in the copy: the servers may have stored more in the original since.
            let versions = try store.backup(to: destination)
            StandardOutput.write("Backed up \(store.path) to \(destination): \(versions) submissions in the copy.\n")
        } catch {
            StandardError.write("error: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
