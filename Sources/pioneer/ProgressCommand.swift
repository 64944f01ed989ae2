// `pioneer progress`: where each goal stands and whether the movement is real, for a manager
// at a terminal or a script. Reads only the stores: no network.
import ArgumentParser
import Foundation
import PioneerConfig
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerStore

struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show where each goal stands: status against the trajectory, SPC, the site's own view.",
        discussion: """
        One row per goal, grouped by the indicator's kind: the latest value and period, where the \
        trajectory puts the indicator then, the target, the status (achieved, on track, at risk, \
        off track, no data) decided by the value's 95% interval against the trajectory, the SPC \
        variation and assurance (Making Data Count), the site's self-assessment with a flag where \
        it disagrees with the evidence, and a sparkline of the last 24 periods. On a terminal too narrow for all of that, the sparkline, \
        the site's view, assurance, trajectory and period are hidden in that order (a line says which; \
        --wide keeps them). Nothing is fetched: \
        it reads what `pioneer collect` (or `pioneer demo --store-dir`) stored.

        --indicator ID shows one indicator's series instead, with its SPC limits and label per point.

        Examples:
          pioneer progress sites/torbay
          pioneer progress --store-dir .demo-stores
          pioneer progress sites/torbay --indicator emergency-admissions-65 --store-dir .demo-stores
          pioneer progress --period 2025-12 --format csv > progress.csv
          pioneer progress --fail-on off-track || echo "a goal is off track"

        Exit status: 0 whatever the statuses (unless --fail-on), 1 invalid configuration or no \
        store, 2 usage error, 4 a goal at or beyond the --fail-on status, or none could be judged.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case offTrack = "off-track"
        case atRisk = "at-risk"

        /// Whether a status trips the threshold.
        func isTripped(by status: GoalStatus?) -> Bool {
            switch (self, status) {
            case (_, .offTrack), (.atRisk, .atRisk): true
            default: false
            }
        }
    }

    @Argument(help: ArgumentHelp("Site directories; every site under --root when none is given.", valueName: "site-dir"))
    var siteDirectories: [String] = []

    @Option(help: ArgumentHelp("The folder of site directories, used when no site directory is given.", valueName: "dir"))
    var root: String = "sites"

    @Option(help: ArgumentHelp("Judge as at this period: later measures are ignored (default: the latest stored).", valueName: "period"),
            transform: PeriodArgument.parse)
    var period: Period?

    @Option(help: "Output format: table, json or csv.")
    var format: Format = .table

    @Option(help: ArgumentHelp("One indicator's series, with SPC limits and labels per point (one site only).", valueName: "id"))
    var indicator: String?

    @Option(help: ArgumentHelp("Exit 4 when any goal is off-track (or at-risk or worse), or when no goal could be judged.", valueName: "status"))
    var failOn: FailOn?

    @Flag(help: "Every column of the table, however wide the terminal (a narrow one otherwise hides the least needed).")
    var wide = false

    @OptionGroup var storeLocation: StoreLocation

    func validate() throws {
        // As at a period not begun, every goal read as overdue for data not yet due.
        if let period, period.start > CalendarDate.today() {
            throw ValidationError("--period \(period.label) has not begun (today is \(CalendarDate.today())); goals are judged as at a period that has begun")
        }
        if storeLocation.store != nil, siteDirectories.count != 1 {
            throw ValidationError("--store names one site's store file; give exactly one site directory with it, or use --store-dir for several sites")
        }
        if indicator != nil, siteDirectories.count != 1 {
            throw ValidationError("--indicator shows one site's indicator; give exactly one site directory with it")
        }
        if indicator != nil, failOn != nil {
            throw ValidationError("--fail-on judges every goal of the sites; it does not go with --indicator, which shows one indicator's series")
        }
    }

    func run() throws {
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
        let loader = SiteLoader(plugins: try Plugins.catalogue())
        var reports: [ProgressListing.SiteProgress] = []
        var failed = false
        for directory in directories {
            let site: Site
            do {
                site = try loader.load(directory: directory).site
            } catch {
                StandardError.write(error.description + "\n")
                failed = true
                continue
            }
            let series: [String: [SeriesPoint]]
            do {
                let path = try storeLocation.existingPath(siteID: site.id, siteDirectory: site.directory,
                                                          argument: directory, holds: "measures collected")
                series = try StoredSeries.load(site: site, storePath: path)
            } catch let error as StoreLocationError {
                StandardError.write(error.description + "\n")
                failed = true
                continue
            } catch {
                StandardError.write("\(error)\n")
                failed = true
                continue
            }
            if let indicator {
                try showIndicator(indicator, site: site, series: series)
                return
            }
            let evaluator = ProgressEvaluator(site: site, asOf: period, newestStored: ProgressEvaluator.newestPeriod(in: series))
            let goals = site.goals.map { goal in
                evaluator.progress(goal: goal, series: series[goal.indicatorID] ?? [])
            }
            reports.append(ProgressListing.SiteProgress(site: site, asOf: period, goals: goals))
        }

        let listing = ProgressListing(sites: reports)
        switch format {
        case .table:
            StandardOutput.write(listing.table(colour: Terminal.wantsColour, width: wide ? nil : Terminal.columns))
        case .json:
            StandardOutput.write(try listing.json() + "\n")
        case .csv:
            StandardOutput.write(listing.csv())
        }
        if failed { throw ExitCode(1) }
        if let failOn {
            let statuses = reports.flatMap { $0.goals.map(\.assessment.status) }
            if statuses.contains(where: failOn.isTripped) { throw ExitCode(4) }
            // A check that could judge nothing cannot pass: it would pass a site whose feeds all stopped.
            if !statuses.isEmpty, !statuses.contains(where: { $0 != nil && $0 != .noData }) {
                StandardError.write("--fail-on \(failOn.rawValue): no goal could be judged (none has data), so the check fails\n")
                throw ExitCode(4)
            }
        }
    }

    /// `--indicator`: the series with SPC per point, judged against the goal's target where
    /// the indicator has a goal.
    private func showIndicator(_ id: String, site: Site, series: [String: [SeriesPoint]]) throws {
        guard let spec = site.indicator(id: id) else {
            let known = site.indicators.map(\.definition.id)
            throw ValidationError("--indicator: the site has no indicator `\(id)`\(didYouMean(id, among: known)); it declares \(quotedList(known))")
        }
        let evaluator = ProgressEvaluator(site: site, asOf: period)
        let points = evaluator.shownSeries(of: spec, series[id] ?? [])
        let goal = site.goals.first { $0.indicatorID == id }
        let chart = IndicatorChart(indicator: spec, series: points, target: goal?.target.value)
        let listing = IndicatorSeriesListing(site: site, spec: spec, goal: goal, series: points, chart: chart,
                                             events: evaluator.events(for: spec.definition))
        switch format {
        case .table: StandardOutput.write(listing.table(colour: Terminal.wantsColour))
        case .json: StandardOutput.write(try listing.json() + "\n")
        case .csv: StandardOutput.write(listing.csv())
        }
    }
}

/// Whether stdout is a terminal that wants colour (not piped, `NO_COLOR` unset, TERM not dumb),
/// and how wide it is.
enum Terminal {
    /// The width tables must fit: `COLUMNS` when set to a number, else the terminal's own
    /// width when stdout is one; nil (no limit) for piped output.
    static var columns: Int? {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return columns
        }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    static var wantsColour: Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) == 1
    }
}
