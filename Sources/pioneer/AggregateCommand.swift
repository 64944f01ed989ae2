// `pioneer aggregate`: the programme office's view of one period, from the sites' returns:
// who returned on time, every return left out and why, each indicator pooled and compared
// on a funnel plot, and goals by theme.
import ArgumentParser
import Foundation
import PioneerAggregate
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerKit
import PioneerReport
import PioneerReturns

struct AggregateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Bring the sites' returns for one period together: completeness, pooled values, funnel plots, goals.",
        discussion: """
        Reads JSON and ADX returns (`pioneer return --format json` or `--format adx`) \
        from the files and folders given (a folder is searched for *.json and *.xml files, \
        its subfolders too) and reports, for --period:

          completeness   each site the programme expects: on time, late, incomplete, awaited or missing
          rejected       every return left out of the totals, with the reason (digest mismatch,
                         unknown schema version, site or period not expected, a value breaking
                         a rule, made after the hard deadline, unreadable), and those
                         superseded by a later return from the same site
          indicators     the national value (Σ numerators ÷ Σ denominators, totals for counts),
                         the spread, each site's value and its place on the funnel plot
          goals          per theme: achieved, on track, at risk, off track, no data; and the
                         confidence gap (a self-assessment that disagrees with the evidence)

        The programme file names the expected sites, the reporting periods, the soft and \
        hard deadlines and the goal themes (docs/aggregate.md). Returns for other periods \
        are counted and set aside.

        ADX carries no indicator definitions and no goals: an ADX return's indicators are \
        defined from the JSON returns given (any site, any period, the same definition \
        version), and one whose definition none supplies is rejected with the reason. Its \
        own contentDigest is checked as a JSON return's digest is. A site's JSON and ADX \
        returns count as two returns: the later made is kept.

        --format html writes one self-contained page (no scripts, nothing from the network): \
        the tables, a funnel plot per indicator, and an SPC chart of each indicator's national \
        value over time. That history pools the returns given for earlier periods of the same \
        type (each as `--period` that period would) and the months or quarters measured inside \
        longer returns; reading them all takes longer, so the other formats read it only with \
        --history (json).

        Examples:
          pioneer aggregate returns/ --period 2026-03
          pioneer aggregate returns/ --period 2026Q1 --format json --output national-2026Q1.json
          pioneer aggregate returns/*.json --period 2026-03 --overdispersion multiplicative
          pioneer aggregate returns/torbay.xml returns/cambridge.json --period 2026-03
          pioneer aggregate returns/ --period 2026-03 --format html --output national-2026-03.html

        Exit status: 0 every return read is in the aggregate, 1 invalid programme file or \
        no returns found, 2 usage error, 3 some returns were rejected or unreadable (the \
        aggregate is still written, with them listed).
        """
    )

    @Argument(help: ArgumentHelp("Return files (JSON or ADX), or folders holding them.", valueName: "returns"))
    var returns: [String]

    @Option(help: ArgumentHelp("The reporting period to aggregate, of a kind the programme collects: `2026-03`, `2026Q1`.", valueName: "period"),
            transform: PeriodArgument.parse)
    var period: Period

    @Option(help: ArgumentHelp("The programme file: expected sites, reporting periods, deadlines, goal themes.", valueName: "file"))
    var programme: String = ProgrammeLoader.defaultFile

    @Option(help: ArgumentHelp("`table`, `json`, `csv` or `html` (a self-contained page with funnel plots and SPC charts).", valueName: "format"))
    var format: OutputFormat = .table

    @Flag(help: "With --format json: add each indicator's pooled national value over the earlier periods given, with its SPC verdict (html always has it).")
    var history = false

    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output; - is standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to judge missing returns on, `YYYY-MM-DD`; today by default.", valueName: "date"),
            transform: AggregateCommand.parseDate)
    var asOf: CalendarDate?

    @Option(help: ArgumentHelp("How funnel limits widen when sites vary more than chance: `additive` (random effects), `multiplicative` or `none`.", valueName: "method"),
            transform: AggregateCommand.parseOverdispersion)
    var overdispersion: Overdispersion = .additive

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, html
    }

    func validate() throws {
        if history && (format == .table || format == .csv) {
            throw ValidationError("--history adds the pooled series to --format json (html always has it); the \(format.rawValue) format has no place for it")
        }
    }

    static func parseDate(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw ValidationError("`\(text)` is not a date; write it as YYYY-MM-DD, e.g. 2026-05-10")
        }
        return date
    }

    static func parseOverdispersion(_ text: String) throws -> Overdispersion {
        guard let method = Overdispersion(rawValue: text) else {
            throw ValidationError("`\(text)` is not an overdispersion method; use `additive`, `multiplicative` or `none`")
        }
        return method
    }

    func run() async throws {
        let loaded: Programme
        do {
            loaded = try ProgrammeLoader.load(file: programme)
        } catch {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
        // As the intake service answers: a period of a kind the programme does not collect has
        // no expected returns, and an empty report would read as "nothing missing".
        guard loaded.expects(period) else {
            let kinds = loaded.periods.map(\.displayName).joined(separator: ", ")
            throw ValidationError("--period \(period.label) (\(period.type.displayName)) is not a reporting period of the programme `\(loaded.id)` (\(programme)), which collects returns by \(kinds)")
        }
        let files: [String]
        do {
            files = try ReturnFiles.find(returns)
        } catch {
            StandardError.write("error: \(error.message)\n")
            throw ExitCode(1)
        }
        let intake = await ReturnIntake.read(files, period: period)
        let aggregator = Aggregator(programme: loaded, period: period, asOf: asOf ?? CalendarDate.today(),
                                    funnelOptions: FunnelOptions(overdispersion: overdispersion))
        var national = aggregator.aggregate(intake.received)
        national.rejected = intake.unreadable + national.rejected
        national.otherPeriods = intake.otherPeriods + national.otherPeriods

        let text: String
        switch format {
        case .table: text = AggregateOutput.table(national)
        case .csv: text = AggregateOutput.csv(national)
        case .json:
            if history {
                let series = await pooledHistory(programme: loaded, intake: intake)
                text = try ReportJSON.encode(AggregateOutput.WithHistory(national: national, history: series)) + "\n"
            } else {
                text = try ReportJSON.encode(national) + "\n"
            }
        case .html:
            let series = await pooledHistory(programme: loaded, intake: intake)
            text = NationalReport(national: national, history: series, generated: ReportCommand.now()).html()
        }
        if let output, output != "-" {
            do {
                try ReturnWriter.write(Array(text.utf8), to: output)
            } catch {
                StandardError.write("error: cannot write the aggregate to \(output): \(error.reason)\n")
                throw ExitCode(1)
            }
        } else {
            StandardOutput.write(text)
        }
        // A superseded return is no fault: its site's later return is counted.
        let rejected = national.rejected.filter { !$0.superseded }.count
        if rejected > 0 {
            StandardError.write("\(rejected) return\(rejected == 1 ? " was" : "s were") left out of the totals; the reasons are listed in the aggregate\n")
            throw ExitCode(3)
        }
    }
}

extension AggregateCommand {
    /// The pooled series up to --period: this period's returns, then each earlier period's
    /// (of the same type) read and pooled one period at a time, so only one period's returns
    /// are held at once.
    func pooledHistory(programme: Programme, intake: ReturnIntake) async -> NationalHistory {
        var builder = HistoryBuilder(programme: programme, period: period, asOf: asOf ?? CalendarDate.today(),
                                     funnelOptions: FunnelOptions(overdispersion: overdispersion))
        builder.add(intake.received, for: period)
        var earlier: [Period: [String]] = [:]
        for item in intake.otherPeriods {
            if let other = builder.includes(item.period) { earlier[other, default: []].append(item.source) }
        }
        for (other, files) in earlier.sorted(by: { $0.key < $1.key }) {
            let read = await ReturnIntake.read(files, period: other)
            builder.add(read.received, for: other)
        }
        return builder.history()
    }
}

/// Finding the return files among the paths given.
enum ReturnFiles {
    struct Failure: Error {
        var message: String
    }

    /// The files named, and the *.json and *.xml files under the folders named (sorted; hidden
    /// ones, and `*.fhir.json` and `*.dhis2.json`, skipped).
    static func find(_ paths: [String]) throws(Failure) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Failure(message: "\(path) does not exist; give return files or folders holding them")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            guard let walker = FileManager.default.enumerator(atPath: folder) else {
                throw Failure(message: "cannot list the folder \(path)")
            }
            var found: [String] = []
            while let name = walker.nextObject() as? String {
                let last = (name as NSString).lastPathComponent
                if last.hasPrefix(".") {
                    walker.skipDescendants()
                    continue
                }
                // The FHIR and DHIS2 forms, as `pioneer return` names them, are left aside when a
                // folder is read (named, each is refused with what it is).
                let lowered = name.lowercased()
                if lowered.hasSuffix(".fhir.json") || lowered.hasSuffix(".dhis2.json") { continue }
                if name.hasSuffix(".json") || lowered.hasSuffix(".xml") { found.append("\(folder)/\(name)") }
            }
            guard !found.isEmpty else {
                throw Failure(message: "\(path) holds no return files (*.json or *.xml)")
            }
            files += found.sorted()
        }
        return files
    }
}
