// `pioneer spc`: XmR charts for series in a CSV file, for analysts and scripts. The same
// engine (XmR.analyse) serves `progress` and `report`.
import ArgumentParser
import Foundation
import PioneerGoals
import PioneerKit

struct SPCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spc",
        abstract: "Draw XmR charts (Making Data Count) for the series in a CSV file.",
        discussion: """
        Reads CSV with a header naming the columns `series`, `index` and `value` (in any order; \
        other columns are ignored; fields may be quoted as RFC 4180 says). Rows may come in any \
        order: each series is put in `index` order, and an index may appear once per series. \
        Writes every point's mean, process limits, label and the rule that fired, with each \
        series' variation (its latest point's label) and assurance (the target against its latest \
        limits; none without --target or with --better neutral).

        The method is NHSRplotthedots 0.2.2's, the NHS-R community package: limits at the mean \
        ± 2.66 × the mean moving range, moving ranges of 3.267 × their mean or more screened out \
        first (--no-screen, as the NHS England Excel tool does, keeps them). docs/spc.md describes \
        the rules.

        A series with fewer than --minimum-points points is listed without limits, with \
        "variation": null and "not_enough_points": {"have": N, "need": M} in JSON (blank cells in \
        CSV) and a note on stderr; when no series has enough points, that is an error.

        Exit status: 0 success, 1 unreadable input (the message names the line), 2 usage error.

        Examples:
          pioneer spc --input admissions.csv --better lower --target 120
          pioneer spc --input - --rebase-at 13 --format csv < series.csv
        """
    )

    enum Better: String, ExpressibleByArgument, CaseIterable {
        case higher, lower, neutral

        var direction: Direction {
            switch self {
            case .higher: .higher
            case .lower: .lower
            case .neutral: .neutral
            }
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @Option(help: ArgumentHelp("The CSV file to read, or - for standard input.", valueName: "file"))
    var input: String

    @Option(help: "Which way is improvement: higher, lower or neutral (special causes high or low, no assurance).")
    var better: Better = .higher

    // `.unconditional`: a negative value (`--target -5`, normal for a measure of change) is the
    // option's value, not another option.
    @Option(parsing: .unconditional, help: ArgumentHelp("The target, for the assurance.", valueName: "x"))
    var target: Double?

    @Option(name: .customLong("rebase-at"), parsing: .singleValue,
            help: ArgumentHelp("Start a new phase (its own mean and limits) at this 1-based position in each series; repeat for more.", valueName: "k"))
    var rebaseAt: [Int] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Take each phase's limits from its first N points only.", valueName: "n"))
    var fixAfter: Int?

    @Flag(name: .customLong("no-screen"), help: "Keep outlying moving ranges in the limits (as the NHS England Excel tool does).")
    var noScreen = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Points on one side of the mean that make a run.", valueName: "n"))
    var runLength = 7

    @Option(parsing: .unconditional, help: ArgumentHelp("Points rising or falling that make a trend (the Excel tool also offers 6).", valueName: "n"))
    var trendLength = 7

    @Option(parsing: .unconditional, help: ArgumentHelp("Fewest points a series needs for a chart.", valueName: "n"))
    var minimumPoints = 12

    @Option(help: "Output format: json or csv.")
    var format: Format = .json

    func validate() throws {
        if let target, !target.isFinite {
            throw ValidationError("--target must be a number, not \(target)")
        }
        if let bad = rebaseAt.first(where: { $0 < 1 }) {
            throw ValidationError("--rebase-at \(bad): positions count from 1, the first point of a series")
        }
        guard minimumPoints >= 2 else {
            throw ValidationError("--minimum-points must be at least 2 (a moving range needs two points)")
        }
        if let fixAfter, fixAfter < minimumPoints {
            throw ValidationError("--fix-after \(fixAfter) is fewer than --minimum-points (\(minimumPoints)); NHSRplotthedots asks for at least 12")
        }
        for (name, value) in [("--run-length", runLength), ("--trend-length", trendLength)] where value < 2 {
            throw ValidationError("\(name) must be at least 2")
        }
    }

    func run() throws {
        let source = input == "-" ? "stdin" : input
        let series: [SPCInputSeries]
        do {
            series = try SPCInputReader(source: source).read(try readInput())
        } catch let error as SPCInputError {
            StandardError.write("error: \(error.description)\n")
            throw ExitCode(1)
        }
        let options = SPCOptions(
            better: better.direction, target: target, rebaseAt: rebaseAt.map { $0 - 1 },
            fixAfter: fixAfter, screenOutliers: !noScreen, runLength: runLength,
            trendLength: trendLength, minimumPoints: minimumPoints)

        // Too few points is known from the counts; the charts are drawn and written one at a
        // time so that only one is in memory.
        let short = series.filter { $0.values.count < minimumPoints }.map { item in
            "\(source):\(item.firstLine): series `\(item.id)` has \(item.values.count) point\(item.values.count == 1 ? "" : "s"); an XmR chart needs at least \(minimumPoints) (--minimum-points)"
        }
        if short.count == series.count {
            StandardError.write(short.map { "error: \($0)\n" }.joined())
            throw ExitCode(1)
        }
        for line in short {
            StandardError.write("note: \(line), so its points have no limits\n")
        }

        let writer = SPCOutputWriter(format: format == .json ? .json : .csv)
        writer.begin()
        for item in series {
            writer.write(item, result: XmR.analyse(item.values, options: options))
        }
        writer.end()
    }

    private func readInput() throws -> [UInt8] {
        do {
            let data = input == "-"
                ? FileHandle.standardInput.readDataToEndOfFile()
                : try Data(contentsOf: URL(fileURLWithPath: input))
            return [UInt8](data)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "it could not be read"
            throw SPCInputError(source: input, line: nil, reason: FileManager.default.fileExists(atPath: input)
                                ? "cannot read the file: \(reason)" : "no such file")
        }
    }
}
