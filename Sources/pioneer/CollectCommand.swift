// `pioneer collect`: fetch a range of periods for one or more sites into their stores.
import ArgumentParser
import Foundation
import Logging
import PioneerCollect
import PioneerConfig
import PioneerFeeds
import PioneerKit
import PioneerStore

struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect measures for a period or a range of periods from the sites' feeds.",
        discussion: """
        For every indicator, collects the periods of its own type that overlap the range: \
        `--from 2026-01 --to 2026-06` gives a monthly indicator January to June, a calendar-quarter \
        indicator 2026Q1 and 2026Q2, and an NHS financial-year-quarter indicator FY2025-26 Q4 and \
        FY2026-27 Q1. Periods that have not ended are skipped as not yet due.

        Each distinct URL is fetched once per run. Values are stored with their provenance in \
        <site dir>/.pioneer/store.sqlite (or --store); a value that changed replaces the old one, \
        which stays in the history. A feed that fails never overwrites a stored value.

        Examples:
          pioneer collect sites/torbay --period 2026-06
          pioneer collect --from "FY2025-26 Q1" --to "FY2025-26 Q4" --json > run.json

        Exit status: 0 everything collected (unchanged and not-available values count as success), \
        3 some indicator-periods failed, 1 invalid configuration or an unusable store, 2 usage error.
        """
    )

    @Argument(help: "Site directories; every site under --root when none is given.")
    var siteDirectories: [String] = []

    @Option(help: ArgumentHelp("One period: 2026-06, 2026Q3, 'FY2026-27 Q1', FY2026-27 or 2026-W12.", valueName: "period"))
    var period: String?

    @Option(help: ArgumentHelp("First period of a range.", valueName: "period"))
    var from: String?

    @Option(help: ArgumentHelp("Last period of a range (inclusive).", valueName: "period"))
    var to: String?

    @Option(help: ArgumentHelp("The store file, instead of each site's <site dir>/.pioneer/store.sqlite.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("The folder of site directories, used when no SITE_DIR is given.", valueName: "dir"))
    var root: String = "sites"

    @Flag(help: "Print only failures and errors.")
    var quiet = false

    @Flag(help: "Write the run summary as JSON on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Fetches in flight at once.", valueName: "n"))
    var maxParallel: Int = 8

    func run() async throws {
        let selection: PeriodSelection
        do throws(PeriodSelectionError) {
            guard let parsed = try PeriodSelection.parse(period: period, from: from, to: to) else {
                throw PeriodSelectionError("say which periods to collect: --period 2026-06, or --from 2026-01 --to 2026-06")
            }
            selection = parsed
        } catch {
            throw usageError(error.description)
        }
        guard maxParallel >= 1 else { throw usageError("--max-parallel must be 1 or more, not \(maxParallel)") }
        if let store, store.trimmingCharacters(in: .whitespaces).isEmpty { throw usageError("--store needs a path") }

        let directories: [String]
        do {
            directories = siteDirectories.isEmpty ? try SiteLoader.discover(root: root) : siteDirectories
        } catch {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
        guard !directories.isEmpty else {
            StandardError.write("\(root): no site directories (folders holding site.yaml) found\n")
            throw ExitCode(1)
        }

        let style: CollectionProgress.Style = quiet ? .silent : (StandardError.isTerminal ? .terminal : .lines)
        let logger = Self.logger(level: style == .lines ? .info : .warning)
        let client = FeedClient(limits: FeedClientLimits(maxParallel: maxParallel, maxPerHost: maxParallel), logger: logger)
        // An unset secret is a warning here as in validate: the requests that need it fail
        // (nothing is sent), and the indicators on other feeds are still collected.
        let loader = SiteLoader()
        var exitStatus: Int32 = 0
        var summaries: [CollectionSummary] = []
        var problems: [String] = []

        for directory in directories {
            let loaded: LoadedSite
            do {
                loaded = try loader.load(directory: directory)
            } catch {
                StandardError.write(error.description + "\n")
                problems.append(contentsOf: error.issues.map(\.description))
                exitStatus = 1
                continue
            }
            if !quiet {
                for warning in loaded.warnings { StandardError.write(warning.description + "\n") }
            }
            let path = store ?? MeasureStore.defaultPath(siteDirectory: loaded.site.directory)
            let progress = CollectionProgress(style: style) { StandardError.write($0) }
            do {
                let measureStore = try MeasureStore(path: path)
                let engine = CollectionEngine(
                    store: measureStore, fetcher: client,
                    options: .init(maxParallel: maxParallel, command: CommandLine.arguments.joined(separator: " ")),
                    logger: logger)
                let summary = try await engine.collect(loaded, periods: selection, onEvent: progress.handle)
                progress.finish()
                summaries.append(summary)
                if exitStatus == 0 { exitStatus = summary.exitStatus }
                report(summary)
            } catch {
                progress.finish()
                StandardError.write(error.description + "\n")
                problems.append(error.description)
                exitStatus = 1
            }
        }

        if json {
            try printJSON(CollectOutput(runs: summaries, errors: problems, exitStatus: exitStatus))
        }
        if exitStatus != 0 { throw ExitCode(exitStatus) }
    }

    private func report(_ summary: CollectionSummary) {
        if quiet {
            let failures = CollectionReport.renderFailures(summary)
            if !failures.isEmpty { StandardError.write(failures + "\n") }
        } else if json {
            StandardError.write(CollectionReport.render(summary) + "\n\n")
        } else {
            print(CollectionReport.render(summary) + "\n")
        }
    }

    private func printJSON(_ output: CollectOutput) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }

    private func usageError(_ message: String) -> ExitCode {
        StandardError.write("error: \(message)\nUsage: pioneer collect [SITE_DIR ...] (--period P | --from P --to P) [--store PATH] [--json]\nSee 'pioneer collect --help'.\n")
        return ExitCode(2)
    }

    /// Logs go to stderr, so stdout carries only the report or the JSON.
    static func logger(level: Logger.Level) -> Logger {
        Logger(label: "pioneer") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// The `--json` document: every site's run summary, the errors that stopped a site, and the exit status.
struct CollectOutput: Encodable {
    var runs: [CollectionSummary]
    var errors: [String]
    var exitStatus: Int32
}

