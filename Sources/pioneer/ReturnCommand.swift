// `pioneer return`: one site's return for one reporting period, for the programme office.
import ArgumentParser
import Foundation
import PioneerConfig
import PioneerCore
import PioneerKit
import PioneerReturns
import PioneerStore

struct ReturnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return",
        abstract: "Write a site's return for a month, quarter or financial year.",
        discussion: """
        The return carries the site's identity; each indicator's definition with a definition \
        version (a hash that changes when the definition does) and its measures for the period \
        (for a quarter or a year, those of the months and quarters in it too) with their \
        provenance, feed URLs without credentials; each goal's computed status beside the \
        site's own assessment; the collection runs; and a SHA-256 digest of the canonical \
        content, so the office can tell an edited or corrupted return (docs/returns.md).

        A return with required measures missing (a period that is due and has no measure) is \
        refused with the list of what is missing, unless --allow-incomplete, which marks it \
        incomplete. The file is written whole or not at all; without --output it goes to stdout.

        Formats: json (Pioneer's own, with a JSON Schema), csv (one row per \
        indicator-period), dhis2 (a DHIS2 dataValueSets payload), adx (IHE ADX XML), \
        fhir (a FHIR R4 Bundle of summary MeasureReports).

        Examples:
          pioneer return sites/torbay --period 2026Q1 --output torbay-2026Q1.json
          pioneer return sites/torbay --period FY2025-26 --format csv
          pioneer return sites/torbay --period 2026-03 --format adx
          pioneer return sites/torbay --period 2026-03 --allow-incomplete

        Exit status: 0 success, 1 invalid configuration, no store, missing measures or an \
        unwritable output, 2 usage error.
        """
    )

    @Argument(help: "The site directory.")
    var siteDirectory: String

    @Option(help: ArgumentHelp("The reporting period: a month (2026-03), a quarter (2026Q1, FY2025-26 Q4) or a financial year (FY2025-26).",
                               valueName: "period"), transform: PeriodArgument.parse)
    var period: Period

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv, dhis2, adx, fhir

        var returnFormat: ReturnFormat {
            switch self {
            case .json: .json
            case .csv: .csv
            case .dhis2: .dhis2
            case .adx: .adx
            case .fhir: .fhir
            }
        }
    }

    @Option(help: "Output format: json, csv, dhis2 (a DHIS2 dataValueSets payload), adx (IHE ADX XML) or fhir (a FHIR R4 Bundle of MeasureReports).")
    var format: Format = .json

    @Option(help: ArgumentHelp("Write the return to this file (atomically) instead of stdout; - is stdout.", valueName: "file"))
    var output: String?

    @Flag(help: "Write the return even with required measures missing, marked incomplete.")
    var allowIncomplete = false

    @OptionGroup var storeLocation: StoreLocation

    func validate() throws {
        guard ReturnBuilder.reportingPeriodTypes.contains(period.type) else {
            throw ValidationError("--period: \(ReturnBuildError.unsupportedPeriod(period))")
        }
        if let output, output.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--output needs a file name")
        }
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
        let today = CalendarDate.today()
        let bytes: [UInt8]
        do {
            let path = try storeLocation.existingPath(siteID: site.id, siteDirectory: site.directory,
                                                      argument: siteDirectory, holds: "measures collected")
            let store = try MeasureStore(readingAt: path)
            try store.checkHolds(site: site.id)
            let progress = try GoalProgressReader(site: site, store: store).progress(asAtEndOf: period)
            let builder = ReturnBuilder(site: site, store: store, generatorVersion: Pioneer.configuration.version,
                                        environment: ProcessInfo.processInfo.environment)
            let siteReturn = try builder.build(period: period, progress: progress, asOf: today, allowIncomplete: allowIncomplete)
            bytes = try format.returnFormat.render(siteReturn)
        } catch {
            StandardError.error("\(error)")
            throw ExitCode(1)
        }
        if let output, output != "-" {
            do {
                try ReturnWriter.write(bytes, to: output)
            } catch {
                // "error: …" as report and aggregate write it.
                StandardError.write("error: \(error)\n")
                throw ExitCode(1)
            }
        } else {
            StandardOutput.write(String(decoding: bytes, as: UTF8.self))
        }
    }
}
