// `pioneer demo-feeds`: serve the example sites' simulated local systems until Ctrl-C.
import ArgumentParser
import Foundation
import PioneerDemo

struct DemoFeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-feeds",
        abstract: "Serve the example sites' simulated hospital, council, GP and survey systems over HTTP.",
        discussion: """
        The example sites in sites/ point their feeds at http://127.0.0.1:8470, so with this \
        running, `pioneer collect sites/torbay` works against realistic local systems. The data \
        covers April 2023 to March 2026 and is the same on every run; later periods answer with \
        empty data. Torbay's BI server wants a bearer token: export TORBAY_BI_TOKEN as printed.

        Examples:
          pioneer demo-feeds
          pioneer demo-feeds --port 9000
          curl 'http://127.0.0.1:8470/northumbria/bi/respiratory/copd?month=2025-01'
        """
    )

    @Option(help: "Port to listen on, on 127.0.0.1 (0 picks a free one).")
    var port: Int = DemoFeedSimulator.defaultPort

    @Option(help: "Bearer token Torbay's BI server accepts.")
    var torbayToken: String = DemoFeedCatalogue.defaultTorbayBIToken

    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
        guard !torbayToken.isEmpty, !torbayToken.contains(where: \.isWhitespace) else {
            throw ValidationError("--torbay-token must be non-empty and without spaces")
        }
    }

    func run() async throws {
        let catalogue = DemoFeedCatalogue(torbayBIToken: torbayToken)
        let simulator = DemoFeedSimulator(port: port, catalogue: catalogue)
        do {
            try await simulator.serveUntilInterrupted { baseURL in
                printListing(baseURL: baseURL, catalogue: catalogue)
            }
        } catch let error as DemoFeedSimulatorError {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
    }

    private func printListing(baseURL: String, catalogue: DemoFeedCatalogue) {
        var lines = ["Demo feeds at \(baseURL) (history \(DemoHistory.firstMonth) to \(DemoHistory.lastMonth)); Ctrl-C to stop.", ""]
        var system = ""
        for endpoint in catalogue.endpoints {
            if endpoint.system != system {
                system = endpoint.system
                lines.append(system)
            }
            lines.append("  GET \(baseURL)\(endpoint.path)?\(endpoint.parameters)")
            lines.append("      \(endpoint.summary)")
        }
        lines += [
            "",
            "Torbay's BI server needs: Authorization: Bearer \(catalogue.torbayBIToken)",
            "  export TORBAY_BI_TOKEN=\(catalogue.torbayBIToken)",
        ]
        if baseURL != DemoFeedSimulator.defaultBaseURL {
            lines.append("The example sites name \(DemoFeedSimulator.defaultBaseURL); `pioneer demo` rewrites that for you.")
        }
        // Written unbuffered, so the listing shows at once even when stdout is a file or a pipe.
        StandardOutput.write(lines.joined(separator: "\n") + "\n")
    }
}
