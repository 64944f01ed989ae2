// `pioneer runs`: the collection runs a site's store has recorded, and what failed
// or was not available in each, without opening SQLite.
import ArgumentParser
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerStore
import PioneerCore
import PioneerKit

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List a site's collection runs, and what failed or was not available in each.",
        discussion: """
        Shows the newest runs first: when each started and finished, its status (finished, \
        running, or interrupted when it was stopped or killed before it finished), the periods \
        asked for, and how many indicator-periods were collected, unchanged, not available, \
        failed or not yet due. --failures adds, under the table, each listed run's failures and \
        values not available with their reasons; --run ID shows one run in full.

        Examples:
          pioneer runs sites/torbay
          pioneer runs sites/torbay --failures --limit 5
          pioneer runs sites/torbay --run 12
          pioneer runs sites/torbay --run 12 --format json

        Exit status: 0 success, 1 invalid configuration, no store or no such run, 2 usage error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "The site directory.")
    var siteDirectory: String

    @Option(name: .customLong("run"), parsing: .unconditional, help: ArgumentHelp("Show this run in full, with every failure and its reason.", valueName: "id"))
    var runID: Int64?

    @Flag(help: "Under the table, list each run's failures and values not available.")
    var failures = false

    // `.unconditional` so that `-1` reaches the range check instead of being read as a flag.
    @Option(parsing: .unconditional, help: ArgumentHelp("How many runs to list, newest first (1 to 10000).", valueName: "n"))
    var limit: Int = 20

    @Option(help: "Output format: table or json.")
    var format: Format = .table

    @OptionGroup var storeLocation: StoreLocation

    func validate() throws {
        guard (1...10_000).contains(limit) else {
            throw ValidationError("--limit must be a whole number from 1 to 10000, not \(limit)")
        }
        if runID != nil, failures {
            throw ValidationError("--run already shows that run's failures; give --run or --failures, not both")
        }
    }

    func run() throws {
        let site: String
        let directory: String
        let loader = SiteLoader(plugins: try Plugins.catalogue())
        do {
            let loaded = try loader.load(directory: siteDirectory)
            site = loaded.site.id
            directory = loaded.site.directory
        } catch {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
        let path: String
        do {
            path = try storeLocation.existingPath(siteID: site, siteDirectory: directory, argument: siteDirectory, holds: "runs recorded")
        } catch {
            StandardError.error(error.description)
            throw ExitCode(1)
        }
        do {
            let measureStore = try MeasureStore(readingAt: path)
            try measureStore.checkHolds(site: site)
            if let id = runID {
                try show(id, store: measureStore, site: site)
            } else {
                try list(store: measureStore, site: site)
            }
        } catch let error as StoreError {
            StandardError.error(error.description)
            throw ExitCode(1)
        }
    }

    private func list(store: MeasureStore, site: String) throws {
        let runs = try store.runs(site: site, limit: limit)
        guard !runs.isEmpty else {
            StandardError.write("\(site): no collection runs recorded in \(store.path)\n")
            return
        }
        var outcomes: [Int64: [RunOutcome]] = [:]
        if failures || format == .json {
            for run in runs { outcomes[run.id] = try store.outcomes(runID: run.id) }
        }
        let listing = RunListing(runs: runs, outcomes: outcomes)
        switch format {
        case .table: StandardOutput.line(listing.table())
        case .json: StandardOutput.line(try listing.json())
        }
    }

    private func show(_ id: Int64, store: MeasureStore, site: String) throws {
        guard let run = try store.run(id: id), run.site == site else {
            let recent = try store.runs(site: site, limit: 1).first
            let command = "pioneer runs \(siteDirectory)" + (storeLocation.store.map { " --store \($0)" } ?? storeLocation.storeDir.map { " --store-dir \($0)" } ?? "")
            let hint = recent.map { "its runs are numbered up to \($0.id); `\(command)` lists them" }
                ?? "it has no runs recorded yet"
            StandardError.error("\(store.path): site `\(site)` has no run \(id); \(hint)")
            throw ExitCode(1)
        }
        let outcomes = try store.outcomes(runID: id)
        switch format {
        case .table: StandardOutput.line(RunListing.detail(run, outcomes: outcomes))
        case .json: StandardOutput.line(try RunListing(runs: [run], outcomes: [id: outcomes]).json())
        }
    }
}
