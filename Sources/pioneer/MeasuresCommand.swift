// `pioneer measures`: list the measures a site's store holds, current or with their history.
import ArgumentParser
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerKit
import PioneerStore
import PioneerCore

struct MeasuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measures",
        abstract: "List the measures collected for a site.",
        discussion: """
        Shows each indicator-period's current value with its numerator and denominator, sample size, \
        confidence interval, status, the run that recorded it and when its feeds were fetched. \
        --history adds the values that later runs replaced and, below them, every run's attempt \
        at each indicator-period with its outcome and reason: failures and values not available \
        too, which store no new value (with --format json: an object of `measures` and `attempts`).

        --from and --to, given together, select periods that overlap the range, whatever the \
        indicator's period type; for one period give it to both.

        Examples:
          pioneer measures sites/torbay
          pioneer measures sites/torbay --indicator emergency-admissions-65 --from 2026-01 --to 2026-06
          pioneer measures sites/torbay --indicator emergency-admissions-65 --history
          pioneer measures sites/torbay --format csv > torbay.csv
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Argument(help: "The site directory.")
    var siteDirectory: String

    @Option(help: ArgumentHelp("Only this indicator.", valueName: "id"))
    var indicator: String?

    @Option(help: ArgumentHelp("First period of a range.", valueName: "period"), transform: PeriodArgument.parse)
    var from: Period?

    @Option(help: ArgumentHelp("Last period of a range (inclusive).", valueName: "period"), transform: PeriodArgument.parse)
    var to: Period?

    @Option(help: "Output format: table, csv or json.")
    var format: Format = .table

    @Flag(help: "Include values replaced by later runs, and every run's attempt (failed ones too).")
    var history = false

    @OptionGroup var storeLocation: StoreLocation

    func validate() throws {
        _ = try periods()
    }

    /// The periods --from and --to select, nil for every period.
    private func periods() throws(ValidationError) -> PeriodSelection? {
        do {
            return try PeriodSelection.choose(period: nil, from: from, to: to, offersPeriod: false)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let selection = try periods()
        let loader = SiteLoader(plugins: try Plugins.catalogue())
        let loaded: LoadedSite
        do {
            loaded = try loader.load(directory: siteDirectory)
        } catch {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
        let site = loaded.site
        if let indicator, site.indicator(id: indicator) == nil {
            let known = site.indicators.map(\.definition.id)
            throw ValidationError("--indicator: the site has no indicator `\(indicator)`\(didYouMean(indicator, among: known)); it declares \(quotedList(known))")
        }
        let path: String
        do {
            path = try storeLocation.existingPath(siteID: site.id, siteDirectory: site.directory, argument: siteDirectory, holds: "measures collected")
        } catch {
            StandardError.error(error.description)
            throw ExitCode(1)
        }
        let rows: [StoredMeasure]
        var attempts: AttemptListing?
        do {
            let measureStore = try MeasureStore(readingAt: path)
            try measureStore.checkHolds(site: site.id)
            rows = try measureStore.measures(MeasureQuery(site: site.id, indicator: indicator,
                                                          overlapping: selection?.dates, includeHistory: history))
            if history {
                attempts = AttemptListing(outcomes: try measureStore.outcomes(site: site.id, indicator: indicator),
                                          runs: try measureStore.runs(site: site.id, limit: .max),
                                          overlapping: selection?.dates)
            }
        } catch {
            StandardError.error(error.description)
            throw ExitCode(1)
        }
        let listing = MeasureListing(site: site, rows: rows)
        switch format {
        case .table:
            if rows.isEmpty {
                StandardError.write("no measures match\n")
            } else {
                StandardOutput.line(listing.table())
            }
            if let attempts, !attempts.attempts.isEmpty {
                StandardOutput.line((rows.isEmpty ? "" : "\n") + "Attempts, by run:\n" + attempts.table())
            }
        case .csv:
            StandardOutput.line(listing.csv(), terminator: "")
        case .json:
            if let attempts {
                StandardOutput.line(try attempts.json(measures: listing))
            } else {
                StandardOutput.line(try listing.json())
            }
        }
    }
}
