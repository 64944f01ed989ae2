// `pioneer validate`: check site files and report every problem, each at its
// file:line:column, before anything is collected.
import ArgumentParser
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerExec
import PioneerKit
import PioneerStore

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check site files and report every problem with its file, line and column.",
        discussion: """
        Reads each site's site.yaml, checks it against the site schema, and asks each \
        indicator's plugin to check its `config:` section. Every problem in a file is \
        reported in one run, on stderr, in the form editors and CI understand:

          sites/torbay/site.yaml:14:5: error: goals[1].indicatr: unknown key `indicatr` (did you mean `indicator`?)

        With no site directory given, the programme file beside the site folders \
        (<root>/programme.yaml, read by `pioneer aggregate`) is checked too.

        Warnings (an environment variable that is not set, a certificate file that is \
        missing, TLS verification turned off) do not make a site invalid. When every \
        site is valid, a table of the sites' indicators is printed on stdout.

        With --sample PERIOD, each valid site's feeds are also fetched once for that \
        period and every indicator's extraction is run, through the same engine as \
        `collect` but into a temporary store that is deleted: what only the data can \
        show is reported at the site file, such as a number the feed writes for people:

          sites/torbay/site.yaml: error: sample 2026-03: cost-per-patient 2026-03: plugin `rate`: `$.spend_gbp` in http://... should select numbers, but `$['spend_gbp']` is a string `3,945,237.88`; to read numbers written like this, add `number_format: readable` to the block

        Examples:
          pioneer validate                          every site under ./sites
          pioneer validate sites/torbay sites/cambridge
          pioneer validate --root /srv/pioneer/sites --quiet
          pioneer validate --format json > issues.json
          pioneer validate sites/torbay --sample 2026-03

        Exit status: 0 every site valid (warnings allowed), 1 some site invalid or no \
        sites found, or an indicator of the --sample failed, 2 usage error.
        """
    )

    @Argument(help: ArgumentHelp("Site directories, each holding a site.yaml; every site under --root when none is given.", valueName: "site-dir"))
    var siteDirectories: [String] = []

    @Option(help: ArgumentHelp("The folder of site directories, used when no site directory is given.", valueName: "dir"))
    var root: String = "sites"

    @Flag(help: "Print only problems: no OK lines and no table.")
    var quiet = false

    @Option(help: ArgumentHelp("`text` (problems on stderr, table on stdout) or `json` (everything on stdout).", valueName: "format"))
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Also fetch each valid site's feeds for this period (`2026-03`, `2026Q1`, `FY2025-26`) and run every indicator's extraction, storing nothing.", valueName: "period"),
            transform: PeriodArgument.parse)
    var sample: Period?

    func run() async throws {
        let directories: [String]
        do {
            directories = siteDirectories.isEmpty ? try SiteLoader.discover(root: root) : siteDirectories
        } catch {
            report(failure: error.issues, format: format)
            throw ExitCode(1)
        }
        guard !directories.isEmpty else {
            let issue = ConfigIssue(.error, at: .unknown(root), path: "",
                                    "no sites found; each site is a folder holding \(SiteLoader.fileName)")
            report(failure: [issue], format: format)
            throw ExitCode(1)
        }

        let loader = SiteLoader(plugins: try Plugins.catalogue())
        var results: [SiteResult] = []
        for directory in directories {
            do {
                // A site's own programs check their configs here, not while loading (docs/plugin-protocol.md).
                let checked = await ExecPluginCheck.check(try loader.load(directory: directory))
                results.append(SiteResult(directory: directory, loaded: checked.loaded, issues: checked.issues))
            } catch {
                results.append(SiteResult(directory: directory, loaded: nil, issues: error.issues))
            }
        }
        // The programme file beside the site folders, when every site under --root is checked.
        let goalIDs = results.allSatisfy { $0.loaded != nil }
            ? Set(results.flatMap { $0.loaded?.site.goals.map(\.id) ?? [] }) : nil
        let programme = siteDirectories.isEmpty ? ProgrammeCheck.run(root: root, sites: directories, goalIDs: goalIDs) : nil
        let valid = results.allSatisfy { $0.loaded != nil } && programme?.valid != false
        if let sample {
            let check = FeedSampleCheck(period: sample)
            for index in results.indices {
                guard let loaded = results[index].loaded else { continue }
                results[index].sample = await check.run(loaded)
            }
        }
        switch format {
        case .text:
            if let programme { Self.writeError(programme.lines(quiet: quiet)) }
            printText(results, valid: valid)
        case .json: printJSON(results, valid: valid, programme: programme)
        }
        if !valid || results.contains(where: { $0.sample?.failed ?? false }) { throw ExitCode(1) }
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    struct SiteResult {
        var directory: String
        var loaded: LoadedSite?
        /// Errors and warnings when the site is invalid; warnings are in `loaded` otherwise.
        var issues: [ConfigIssue]
        /// What `--sample` found, for a valid site.
        var sample: FeedSampleCheck.Report? = nil

        var allIssues: [ConfigIssue] { loaded?.warnings ?? issues }
        var file: String { directory.hasSuffix("/") ? "\(directory)\(SiteLoader.fileName)" : "\(directory)/\(SiteLoader.fileName)" }
    }

    // MARK: Text

    private func printText(_ results: [SiteResult], valid: Bool) {
        for result in results {
            var lines = result.allIssues.map(\.description)
            let errors = result.allIssues.count { $0.severity == .error }
            let warnings = result.allIssues.count { $0.severity == .warning }
            let notes = result.allIssues.count { $0.severity == .note }
            if let loaded = result.loaded {
                if !quiet {
                    let site = loaded.site
                    var counts = [Self.count(site.indicators.count, "indicator"), Self.count(site.goals.count, "goal")]
                    if warnings > 0 { counts.append(Self.count(warnings, "warning")) }
                    if notes > 0 { counts.append(Self.count(notes, "note")) }
                    // "OK" above a failed sample read as if the site would collect.
                    if let sample = result.sample, sample.failed {
                        lines.append("\(site.file): configuration OK (\(counts.joined(separator: ", "))), but the sample of \(sample.period.label) failed")
                    } else {
                        lines.append("\(site.file): OK (\(counts.joined(separator: ", ")))")
                    }
                }
            } else {
                var counts = [Self.count(errors, "error")]
                if warnings > 0 { counts.append(Self.count(warnings, "warning")) }
                lines.append("\(result.file): invalid (\(counts.joined(separator: ", ")))")
            }
            if let sample = result.sample {
                lines += FeedSampleCheck.lines(sample, file: result.file)
            }
            if !lines.isEmpty { Self.writeError(lines.joined(separator: "\n") + "\n") }
        }
        if valid, !quiet {
            StandardOutput.line(Self.table(results.compactMap { $0.loaded?.site }), terminator: "")
        }
    }

    /// One row per indicator: site, indicator, kind, period, plugin, goals.
    static func table(_ sites: [Site]) -> String {
        var table = TextTable(["SITE", "INDICATOR", "KIND", "PERIOD", "PLUGIN", "GOALS"])
        for site in sites {
            for indicator in site.indicators {
                let definition = indicator.definition
                let goals = site.goals.count { $0.indicatorID == definition.id }
                table.add([site.id, definition.id, definition.kind.rawValue, definition.periodType.rawValue,
                           indicator.plugin, String(goals)])
            }
        }
        return table.render() + "\n"
    }

    // MARK: JSON

    private struct JSONReport: Encodable {
        struct Issue: Encodable {
            var severity: String
            var file: String
            var line: Int
            var column: Int
            var path: String
            var message: String
        }
        struct Indicator: Encodable {
            var id: String
            var kind: String
            var period: String
            var plugin: String
            var goals: Int
        }
        struct SampleFinding: Encodable {
            var indicator: String
            var period: String
            var outcome: String
            var message: String
        }
        struct Sample: Encodable {
            var period: String
            var read: Int
            var failed: Bool
            /// How many indicator-periods failed, as the text's "1 failed" counts them.
            var failures: Int
            var findings: [SampleFinding]
            var error: String?
        }
        struct SiteEntry: Encodable {
            var directory: String
            var file: String
            var valid: Bool
            var site: String?
            var issues: [Issue]
            var indicators: [Indicator]
            var sample: Sample?
        }
        struct ProgrammeEntry: Encodable {
            var file: String
            var valid: Bool
            var issues: [Issue]
        }
        var valid: Bool
        var sites: [SiteEntry]
        var issues: [Issue]
        var programme: ProgrammeEntry? = nil
    }

    private func printJSON(_ results: [SiteResult], valid: Bool, programme: ProgrammeCheck?) {
        let sites = results.map { result in
            JSONReport.SiteEntry(
                directory: result.directory, file: result.file, valid: result.loaded != nil,
                site: result.loaded?.site.id, issues: result.allIssues.map(Self.jsonIssue),
                indicators: result.loaded.map { loaded in
                    loaded.site.indicators.map { indicator in
                        JSONReport.Indicator(
                            id: indicator.definition.id, kind: indicator.definition.kind.rawValue,
                            period: indicator.definition.periodType.rawValue, plugin: indicator.plugin,
                            goals: loaded.site.goals.count { $0.indicatorID == indicator.definition.id })
                    }
                } ?? [],
                sample: result.sample.map { report in
                    JSONReport.Sample(
                        period: report.period.label, read: report.read, failed: report.failed,
                        failures: report.findings.count { $0.outcome == .failed },
                        findings: report.findings.map {
                            JSONReport.SampleFinding(indicator: $0.indicator, period: $0.period,
                                                     outcome: $0.outcome.rawValue, message: $0.message)
                        },
                        error: report.failure)
                })
        }
        Self.writeJSON(JSONReport(
            valid: valid, sites: sites, issues: [],
            programme: programme.map { JSONReport.ProgrammeEntry(file: $0.file, valid: $0.valid, issues: $0.issues.map(Self.jsonIssue)) }))
    }

    private static func jsonIssue(_ issue: ConfigIssue) -> JSONReport.Issue {
        JSONReport.Issue(severity: issue.severity.rawValue, file: issue.location.file, line: issue.location.line,
                         column: issue.location.column, path: issue.path, message: issue.message)
    }

    private static func writeJSON(_ report: JSONReport) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(report), let text = String(data: data, encoding: .utf8) {
            StandardOutput.line(text)
        }
    }

    // MARK: Output

    /// Problems that stop validation before any site is read (no sites folder, no sites).
    private func report(failure issues: [ConfigIssue], format: OutputFormat) {
        switch format {
        case .text: Self.writeError(issues.map(\.description).joined(separator: "\n") + "\n")
        case .json: Self.writeJSON(JSONReport(valid: false, sites: [], issues: issues.map(Self.jsonIssue)))
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private static func writeError(_ text: String) {
        StandardError.write(text)
    }
}
