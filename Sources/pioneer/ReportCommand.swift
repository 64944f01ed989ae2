// `pioneer report`: a site's goals as one self-contained HTML file, with an SPC chart per goal,
// from the stored measures and without the network.
import ArgumentParser
import Foundation
import PioneerConfig
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReport
import PioneerReturns
import PioneerStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a site's progress report: one HTML file with an SPC chart per goal.",
        discussion: """
        Reads the measures stored for the site and judges each goal as `pioneer progress` does: \
        status from the latest value's 95% interval against the trajectory, the projection to the \
        target period, the site's own assessment beside the evidence, and an XmR chart in the NHS \
        Making Data Count convention (coloured special causes, process limits, target, trajectory, \
        rebases and the site's events). The file needs no network to view (no scripts, fonts or \
        images from elsewhere) and prints on A4. docs/report.md explains how to read it.

        The file is written whole or not at all: to a temporary file beside it, then renamed.

        Examples:
          pioneer report sites/torbay --output torbay.html
          pioneer report sites/torbay --output torbay-2025-12.html --period 2025-12
          pioneer report sites/torbay --store-dir .demo-stores --output torbay.html
        """
    )

    @Argument(help: "The site directory.")
    var siteDirectory: String

    @Option(name: [.short, .long], help: ArgumentHelp("The HTML file to write; - writes it to standard output.", valueName: "file.html"))
    var output: String

    @Option(help: ArgumentHelp("Judge as at this period, ignoring later data (default: the latest data).", valueName: "period"),
            transform: PeriodArgument.parse)
    var period: Period?

    @OptionGroup var storeLocation: StoreLocation

    func validate() throws {
        // As at a period not begun, every goal read as overdue for data not yet due.
        if let period, period.start > CalendarDate.today() {
            throw ValidationError("--period \(period.label) has not begun (today is \(CalendarDate.today())); goals are judged as at a period that has begun")
        }
        if output.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--output needs a file name") }
        if output.hasSuffix("/") { throw ValidationError("--output names a folder (\(output)); give a file, such as \(output)report.html") }
    }

    func run() throws {
        let loader = SiteLoader(plugins: try Plugins.catalogue())
        let loaded: LoadedSite
        do {
            loaded = try loader.load(directory: siteDirectory)
        } catch {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
        let site = loaded.site
        let goals: [GoalProgress]
        do {
            let path = try storeLocation.existingPath(siteID: site.id, siteDirectory: site.directory,
                                                      argument: siteDirectory, holds: "measures collected")
            let series = try StoredSeries.load(site: site, storePath: path)
            let evaluator = ProgressEvaluator(site: site, asOf: period, newestStored: ProgressEvaluator.newestPeriod(in: series))
            goals = site.goals.map { goal in evaluator.progress(goal: goal, series: series[goal.indicatorID] ?? []) }
        } catch let error as StoreLocationError {
            StandardError.error(error.description)
            throw ExitCode(1)
        } catch let error as StoreError {
            StandardError.error(error.description)
            throw ExitCode(1)
        }
        let report = SiteReport(site: SiteIdentity(site: site), goals: goals, asOf: period, generated: Self.now())
        if output == "-" {
            StandardOutput.write(report.html())
            StandardError.write("\(Self.tally(goals)).\n")
            return
        }
        do {
            try ReturnWriter.write(Array(report.html().utf8), to: output, kind: "report")
        } catch {
            StandardError.write("error: \(error.description)\n")
            throw ExitCode(1)
        }
        StandardOutput.line("Wrote \(output): \(Self.tally(goals)).")
    }

    /// "3 goals: 1 on track, 1 at risk, 1 no data".
    static func tally(_ goals: [GoalProgress]) -> String {
        let noun = goals.count == 1 ? "goal" : "goals"
        guard !goals.isEmpty else { return "no goals" }
        let counts = Dictionary(grouping: goals) { $0.assessment.status?.rawValue ?? "no status" }.mapValues(\.count)
        let order = GoalStatus.allCases.map(\.rawValue) + ["no status"]
        return "\(goals.count) \(noun): " + order.compactMap { status in counts[status].map { "\($0) \(status)" } }.joined(separator: ", ")
    }

    /// The footer's timestamp, in UTC so two reports made in different places compare.
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date())
    }
}
