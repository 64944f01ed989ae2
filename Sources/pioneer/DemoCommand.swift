// `pioneer demo`: collect every example site's full history from the simulated feeds, in one go.
import ArgumentParser
import Foundation
import Logging
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerDemo
import PioneerFeeds
import PioneerKit
import PioneerExtraction
import PioneerStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Collect the example sites' three years of history from simulated local systems.",
        discussion: """
        Starts the demo feed simulator in this process on a free port, loads every site under \
        --root, points the feeds that name http://127.0.0.1:8470 at the simulator, and collects \
        every indicator for April 2023 to March 2026 with the collection engine. Then prints, \
        per site, how many indicator-periods were collected, not available (suppressed small \
        numbers, no data) or failed, and each indicator's latest value beside its goal's target \
        and the site's own rating.

        Measures go to a temporary folder that is deleted afterwards, unless --store-dir names \
        a folder to keep them in (one <site-id>.sqlite per site); the demo never writes into the \
        site folders. Torbay's bearer token is supplied in-process.

        Examples:
          pioneer demo
          pioneer demo --store-dir /tmp/pioneer-demo && pioneer measures sites/torbay --store /tmp/pioneer-demo/torbay.sqlite
        """
    )

    @Option(help: ArgumentHelp("The folder of example sites.", valueName: "dir"))
    var root: String = "sites"

    @Option(help: ArgumentHelp("Keep the stores in this folder instead of a temporary one.", valueName: "dir"))
    var storeDir: String?

    func run() async throws {
        let directories: [String]
        do {
            directories = try SiteLoader.discover(root: root)
        } catch {
            StandardError.write(error.description + "\n")
            throw ExitCode(1)
        }
        guard !directories.isEmpty else {
            StandardError.write("\(root): no site directories (folders holding site.yaml) found\n")
            throw ExitCode(1)
        }
        let storeFolder = chooseStoreFolder()
        let plugins = try Plugins.catalogue()

        let catalogue = DemoFeedCatalogue()
        let simulator: RunningDemoFeedSimulator
        do {
            simulator = try await DemoFeedSimulator(port: 0, catalogue: catalogue).start()
        } catch {
            StandardError.error("\(error)")
            throw ExitCode(1)
        }
        StandardOutput.line("Demo feeds at \(simulator.baseURL), simulating \(DemoHistory.firstMonth) to \(DemoHistory.lastMonth).\n")

        var environment = ProcessInfo.processInfo.environment
        environment["TORBAY_BI_TOKEN"] = catalogue.torbayBIToken
        let outcome = await collect(directories, from: simulator, catalogue: plugins, environment: environment, storeFolder: storeFolder.path)
        await simulator.stop()

        if storeFolder.isTemporary {
            try? FileManager.default.removeItem(atPath: storeFolder.path)
            StandardOutput.line("The measures were stored in a temporary folder, now deleted; keep them with --store-dir,")
            StandardOutput.line("then see where each goal stands with `pioneer progress --store-dir DIR`.")
        } else {
            let folder = Self.shellWord(storeFolder.path)
            let torbay = Self.shellWord(directories.first { $0.hasSuffix("torbay") } ?? directories.first ?? "sites/torbay")
            StandardOutput.line("Measures stored in \(storeFolder.path)/<site-id>.sqlite. Try, on what the demo collected:")
            StandardOutput.line("  pioneer progress --root \(Self.shellWord(root)) --store-dir \(folder)")
            StandardOutput.line("  pioneer progress \(torbay) --indicator emergency-admissions-65 --store-dir \(folder)")
            StandardOutput.line("  pioneer report \(torbay) --store-dir \(folder) --output torbay-report.html")
        }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }

    /// Runs the collection engine over every site, printing each site's report.
    private func collect(_ directories: [String], from simulator: RunningDemoFeedSimulator, catalogue: PluginCatalogue,
                         environment: [String: String], storeFolder: String) async -> DemoTotals {
        let logger = CollectCommand.logger(level: .error)
        let loader = SiteLoader(plugins: catalogue, environment: environment, requireSecrets: true)
        let client = FeedClient(environment: environment, limits: FeedClientLimits(maxParallel: 8, maxPerHost: 8), logger: logger)
        var totals = DemoTotals()
        for directory in directories {
            var loaded: LoadedSite
            do {
                loaded = try loader.load(directory: directory)
            } catch {
                StandardError.write(error.description + "\n")
                totals.exitStatus = 1
                continue
            }
            let rewritten = Self.pointFeeds(of: &loaded.site, at: simulator.baseURL)
            guard rewritten > 0 else {
                StandardOutput.line("\(loaded.site.name) (\(loaded.site.id)): skipped, none of its feeds name \(DemoFeedSimulator.defaultBaseURL)\n")
                continue
            }
            do {
                let store = try MeasureStore(path: "\(storeFolder)/\(loaded.site.id).sqlite")
                let engine = CollectionEngine(
                    store: store, fetcher: client,
                    options: .init(maxParallel: 8, command: "pioneer demo"), logger: logger)
                let selection = try PeriodSelection(from: DemoHistory.firstMonth, to: DemoHistory.lastMonth)
                let summary = try await engine.collect(loaded, periods: selection)
                StandardOutput.line(DemoSiteReport(site: loaded.site, summary: summary).render() + "\n")
                totals.add(summary)
            } catch {
                StandardError.write("\(loaded.site.id): \(error)\n")
                totals.exitStatus = 1
            }
        }
        StandardOutput.line(totals.render() + "\n")
        return totals
    }

    /// Replaces the simulator's default address in the site's feed URLs with `baseURL`;
    /// returns how many feeds were changed.
    static func pointFeeds(of site: inout Site, at baseURL: String) -> Int {
        let prefix = DemoFeedSimulator.defaultBaseURL
        var changed = 0
        for index in site.feeds.indices {
            let url = site.feeds[index].baseURL
            guard url == prefix || url.hasPrefix(prefix + "/") else { continue }
            site.feeds[index].baseURL = baseURL + url.dropFirst(prefix.count)
            changed += 1
        }
        return changed
    }

    func validate() throws {
        if let storeDir {
            let store = URL(fileURLWithPath: storeDir).standardizedFileURL.resolvingSymlinksInPath().path
            let sites = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
            if store == sites || store.hasPrefix(sites + "/") {
                throw ValidationError("--store-dir \(storeDir) is inside the sites folder \(root); the demo never writes into the sites, so choose a folder elsewhere")
            }
        }
    }

    /// The folder for the stores: --store-dir (outside the sites folder, as `validate` checks), or a new temporary one.
    private func chooseStoreFolder() -> (path: String, isTemporary: Bool) {
        guard let storeDir else {
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("pioneer-demo-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
            return (folder.path, true)
        }
        return (storeDir, false)
    }

    /// A path as it can be pasted into a shell: quoted only when it needs to be.
    static func shellWord(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+:@%,".contains($0) }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// The totals over every site of a demo run.
struct DemoTotals {
    var sites = 0
    var counts = RunCounts()
    var exitStatus: Int32 = 0

    mutating func add(_ summary: CollectionSummary) {
        sites += 1
        counts.collected += summary.counts.collected
        counts.unchanged += summary.counts.unchanged
        counts.notAvailable += summary.counts.notAvailable
        counts.failed += summary.counts.failed
        if exitStatus == 0 { exitStatus = summary.exitStatus }
    }

    func render() -> String {
        "Demo: \(sites) site\(sites == 1 ? "" : "s"), \(Self.collected(counts)), "
            + "\(counts.notAvailable) not available, \(counts.failed) failed."
    }

    /// "838 indicator-periods collected", and on a run over stores that already hold them
    /// (a second `--store-dir` run), how many of those were unchanged, as `pioneer runs` records.
    static func collected(_ counts: RunCounts, noun: String = "indicator-periods ") -> String {
        let total = counts.collected + counts.unchanged
        guard counts.unchanged > 0 else { return "\(total) \(noun)collected" }
        let unchanged = counts.collected == 0 ? "all unchanged" : "\(counts.unchanged) unchanged, \(counts.collected) new or changed"
        return "\(total) \(noun)collected (\(unchanged) since the last run)"
    }
}

/// One site's part of the demo output: counts, then each indicator's latest value beside its goal.
struct DemoSiteReport {
    var site: Site
    var summary: CollectionSummary

    func render() -> String {
        let counts = summary.counts
        var lines = [
            "\(site.name) (\(site.id)), \(site.wave): \(site.indicators.count) indicators, \(site.goals.count) goals",
            "  indicator-periods: \(DemoTotals.collected(counts, noun: "")), \(counts.notAvailable) not available, "
                + "\(counts.failed) failed (\(summary.fetches.distinctURLs) URLs in \(formatNumber(summary.elapsed, decimals: 1)) s)",
        ]
        // Fixed narrowest widths keep the sites' tables lined up with one another.
        var table = TextTable()
        table.indent = "  "
        table.minimumWidths = [1: 10, 2: 12, 3: 10]
        var failures: [[String]] = []
        for spec in site.indicators {
            let definition = spec.definition
            let results = summary.indicators.first { $0.id == definition.id }?.results ?? []
            var row = [definition.id, definition.kind.rawValue]
            if let latest = results.last(where: { $0.value != nil }), let value = latest.value {
                row += [latest.period, definition.format(value)]
            } else {
                row += ["no value", ""]
            }
            if let goal = site.goals.first(where: { $0.indicatorID == definition.id }) {
                var text = "goal \(definition.format(goal.target.value)) by \(goal.target.period.label)"
                if let rag = goal.assessment.rag { text += ", site says \(rag.rawValue)" }
                row.append(text)
            }
            table.add(row)
            failures.append(results.filter { $0.outcome == .failed }.prefix(2).map { failure in
                "      failed \(failure.period): \(failure.reason ?? "no reason given")"
            })
        }
        for (line, failed) in zip(table.lines(), failures) {
            lines.append(line)
            lines += failed
        }
        return lines.joined(separator: "\n")
    }
}
