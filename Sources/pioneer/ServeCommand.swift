// `pioneer serve`: the national intake service. Sites submit their returns over HTTP; the
// programme office reads what arrived, each period's status, the national aggregate and a
// dashboard. Runs until SIGTERM or SIGINT, then finishes the requests under way.
import ArgumentParser
import Foundation
import Logging
import PioneerConfig
import PioneerCore
import PioneerIntake
import PioneerKit
import PioneerServer

/// `pioneer serve`: runs the server (``Run``, the default) or manages tokens (`token`).
///
/// The server's options live on ``Run`` rather than here: a parent's `--db` would take the
/// value meant for `pioneer serve token create --db PATH`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the national intake service: sites submit returns, the office watches them arrive.",
        subcommands: [Run.self, ServeTokenCommand.self, ServeBackupCommand.self],
        defaultSubcommand: Run.self
    )
}

extension ServeCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run the national intake service: sites submit returns, the office watches them arrive.",
            discussion: """
            Serves the API of openapi/intake.yaml over HTTP on --host and --port, storing every \
            submission in the database --db, judged against the \
            programme file (expected sites, periods, deadlines) that `pioneer aggregate` reads.

              POST /v1/returns        a site submits a return (JSON, or ADX as application/xml)
              GET  /v1/returns        what has been received, every version (?site=, ?period=)
              GET  /v1/status         expected versus received for a period (?period=)
              GET  /v1/aggregate      the national aggregate of a period (office token)
              GET  /                  the dashboard, HTML (office token; a browser may send it as Basic's password)
              GET  /health, /metrics  for monitoring (no token)

            Every request but /health and /metrics needs a token: create them with \
            `pioneer serve token create --site ID --db PATH` (or --office). The server logs one \
            line per request on stderr, with its request id, and never a token or a body. Once \
            listening it prints `pioneer serve listening on http://HOST:PORT` on stderr; \
            SIGTERM or Ctrl-C stops it after the requests under way have finished.

            --db is a SQLite file (created when absent), or PostgreSQL as \
            postgres://USER@HOST:PORT/DATABASE, where several servers may share one database. \
            The password comes from PGPASSWORD, or from the URL (postgres://USER:${VAR}@… reads \
            the variable VAR); TLS options take libpq's names: ?sslmode=verify-full&sslrootcert=FILE \
            (also sslcert, sslkey, connect_timeout, and host=/run/postgresql for a Unix socket). \
            While the database cannot be reached, requests are answered 503 with Retry-After.

            Examples:
              pioneer serve --db intake.sqlite
              pioneer serve --db /srv/pioneer/intake.sqlite --port 8443 --max-body 20MB
              pioneer serve --db intake.sqlite --port 0        # a free port, printed
              PGPASSWORD=… pioneer serve --db 'postgres://pioneer@db.example:5432/intake?sslmode=verify-full'

            Exit status: 0 stopped by SIGTERM or SIGINT, 1 invalid programme file, unusable \
            database or address, 2 usage error.
            """
        )

        @Option(help: ArgumentHelp("The address to listen on.", valueName: "address"))
        var host: String = "127.0.0.1"

        @Option(help: ArgumentHelp("The port to listen on; 0 chooses a free one (printed).", valueName: "port"))
        var port: Int = IntakeServerConfiguration.defaultPort

        @Option(name: .customLong("db"),
                help: ArgumentHelp("The intake database: a SQLite file (created when absent), or postgres://USER@HOST:PORT/DATABASE.",
                                   valueName: "path-or-url"))
        var database: String

        @Option(help: ArgumentHelp("The programme file: expected sites, reporting periods, deadlines, goal themes.", valueName: "file"))
        var programme: String = ProgrammeLoader.defaultFile

        @Option(name: .customLong("max-body"),
                help: ArgumentHelp("The largest request body accepted: bytes, or with kB or MB (1 MB = 1,000,000 bytes); larger is refused with 413.",
                                   valueName: "size"),
                transform: Run.parseSize)
        var maximumBodySize: Int = IntakeServerConfiguration.defaultMaximumBodySize

        @Option(name: .customLong("request-timeout"),
                help: ArgumentHelp("Seconds a client may take to send its request body (408 after); an idle connection is kept twice as long and 10 s more.",
                                   valueName: "seconds"),
                transform: Run.parseSeconds)
        var requestTimeout: Duration = IntakeServerConfiguration.defaultRequestTimeout

        @Option(name: .customLong("db-timeout"),
                help: ArgumentHelp("Seconds a PostgreSQL operation may wait for the database before the request is answered 503 (SQLite waits for its lock as long).",
                                   valueName: "seconds"),
                transform: Run.parseDatabaseTimeout)
        var databaseTimeout: Duration = IntakeStore.defaultDatabaseTimeout

        @Option(name: .customLong("max-connections"),
                help: ArgumentHelp("Connections served at once; more wait to be accepted until one closes (default: as many as the limit on open files, `ulimit -n`, allows, less \(IntakeServerConfiguration.filesBesideConnections)).",
                                   valueName: "n"))
        var maximumConnections: Int?

        @Option(name: .customLong("log-level"), help: ArgumentHelp("`debug`, `info` (one line per request), `warning` or `error`.", valueName: "level"),
                transform: Run.parseLogLevel)
        var logLevel: Logger.Level = .info

        func validate() throws {
            guard (0...65_535).contains(port) else {
                throw ValidationError("--port \(port) is not a port; give 1 to 65535, or 0 for a free one")
            }
            guard !host.isEmpty else { throw ValidationError("--host is empty; give an address such as 127.0.0.1") }
            if let maximumConnections, maximumConnections < 1 {
                throw ValidationError("--max-connections \(maximumConnections) is too few; give 1 or more")
            }
        }

        static func parseSize(_ text: String) throws -> Int {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let units: [(suffix: String, factor: Int)] = [("MB", 1_000_000), ("kB", 1_000), ("KB", 1_000), ("B", 1)]
            var number = trimmed, factor = 1
            for unit in units where trimmed.hasSuffix(unit.suffix) {
                number = String(trimmed.dropLast(unit.suffix.count)).trimmingCharacters(in: .whitespaces)
                factor = unit.factor
                break
            }
            guard let value = Int(number), value > 0, value <= Int.max / factor else {
                throw ValidationError("--max-body `\(text)` is not a size; write bytes (10000000) or with kB or MB (10MB)")
            }
            return value * factor
        }

        static func parseSeconds(_ text: String) throws -> Duration {
            try seconds(text, option: "--request-timeout")
        }

        static func parseDatabaseTimeout(_ text: String) throws -> Duration {
            try seconds(text, option: "--db-timeout")
        }

        static func seconds(_ text: String, option: String) throws -> Duration {
            guard let seconds = Double(text), seconds > 0, seconds <= 86_400 else {
                throw ValidationError("\(option) `\(text)` is not a number of seconds between 0 and 86400 (e.g. 30 or 2.5)")
            }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }

        static func parseLogLevel(_ text: String) throws -> Logger.Level {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ValidationError("--log-level `\(text)` is not a level; use debug, info, warning or error")
            }
            return level
        }

        func run() async throws {
            // A server that runs out of files is ended by libdispatch (see OpenFiles): refused
            // before it starts when the limit leaves too few for its own files and some connections.
            if let (open, limit) = OpenFiles.current(), limit < IntakeServerConfiguration.leastLimit(open: open) {
                StandardError.write("""
                    error: pioneer serve may open only \(limit) files (`ulimit -n`), and needs at least \
                    \(IntakeServerConfiguration.leastLimit(open: open)) (\(IntakeServerConfiguration.filesBesideConnections) \
                    for the database and itself, and \(IntakeServerConfiguration.leastConnections) connections); raise the limit

                    """)
                throw ExitCode(1)
            }
            let loaded: Programme
            do {
                loaded = try ProgrammeLoader.load(file: programme)
            } catch {
                StandardError.write(error.description + "\n")
                throw ExitCode(1)
            }
            let store: IntakeStore
            do {
                store = try await IntakeStore.open(database, databaseTimeout: databaseTimeout)
            } catch {
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
            let level = logLevel
            let logger = Logger(label: "pioneer.serve") { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var configuration = IntakeServerConfiguration(host: host, port: port, maximumBodySize: maximumBodySize,
                                                          requestTimeout: requestTimeout, maximumConnections: maximumConnections)
            // Fixed now, so a warning says what the server will hold to.
            let connections = configuration.effectiveMaximumConnections()
            if let maximumConnections, connections < maximumConnections, let limit = OpenFiles.current()?.limit {
                StandardError.write("""
                    warning: --max-connections \(maximumConnections): the limit on open files (\(limit), `ulimit -n`) \
                    allows \(connections); serving \(connections) at once

                    """)
            }
            configuration.maximumConnections = connections
            logger.info("serving at most \(connections) connections at once")
            let server = IntakeServer(store: store, programme: loaded, configuration: configuration, logger: logger)
            do {
                try await server.run { url in
                    StandardError.write("pioneer serve listening on \(url)\n")
                }
            } catch {
                await store.close()
                StandardError.write("error: \(error.description)\n")
                throw ExitCode(1)
            }
            await store.close()
            StandardError.write("pioneer serve stopped\n")
        }
    }
}
