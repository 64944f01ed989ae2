// `pioneer bench-feeds`: serve trivial numbered JSON feeds for scripts/bench-collect.sh.
import ArgumentParser
import Foundation
import PioneerDemo

struct BenchFeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-feeds",
        abstract: "Serve trivial numbered JSON feeds on 127.0.0.1, for the collection benchmark.",
        discussion: """
        GET /bench/<n>.json answers {"value": <n>} for any n, ignoring the query string, after \
        --latency-ms milliseconds (a slow reporting server; 0 answers at once). \
        scripts/bench-collect.sh (`make bench`) starts it to time `pioneer collect` against \
        `curl --parallel`; see docs/benchmark.md. Prints the base URL on its first line, then \
        serves until Ctrl-C or SIGTERM.

        Examples:
          pioneer bench-feeds --port 0
          pioneer bench-feeds --port 0 --latency-ms 50
          curl 'http://127.0.0.1:8471/bench/42.json?month=2024-01'
        """,
        shouldDisplay: false
    )

    @Option(help: "Port to listen on, on 127.0.0.1 (0 picks a free one).")
    var port: Int = 0

    @Option(help: "Milliseconds each feed waits before it answers, 0 to 60000.")
    var latencyMs: Int = 0

    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
        guard (0...60_000).contains(latencyMs) else {
            throw ValidationError("--latency-ms must be between 0 and 60000, got \(latencyMs)")
        }
    }

    func run() async throws {
        do {
            try await BenchmarkFeedServer(port: port, latency: .milliseconds(latencyMs)).serveUntilInterrupted { baseURL in
                // Unbuffered, so a script reading the first line sees it at once.
                FileHandle.standardOutput.write(Data((baseURL + "\n").utf8))
            }
        } catch let error as BenchmarkFeedServerError {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
    }
}
