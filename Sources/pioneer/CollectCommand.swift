// `pioneer collect`: fetch a range of periods for one or more sites into their stores.
import ArgumentParser
import Foundation
import Logging
import PioneerCollect
import PioneerExec
import PioneerConfig
import PioneerCore
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
        FY2026-27 Q1. A period that is not yet due is skipped, and the report says when it will be: \
        a period is due the day after it ends, or later by the indicator's `due_after` (a 30-day \
        readmission rate for March is due on May 1st).

        Each distinct URL is fetched once per run. Values are stored with their provenance in \
        <site dir>/.pioneer/store.sqlite (or --store); a value that changed replaces the old one, \
        which stays in the history. A feed that fails never overwrites a stored value. \
        `pioneer runs` lists the runs and what failed in each.

        Ctrl-C (or SIGTERM) stops the run cleanly: fetches in flight are cancelled, what was \
        collected is kept, the run is recorded as interrupted, and the exit status is 130. \
        A second Ctrl-C stops at once.

        Examples:
          pioneer collect sites/torbay --period 2026-06
          pioneer collect sites/torbay --period 2026-06 --indicator emergency-admissions-65
          pioneer collect --from "FY2025-26 Q1" --to "FY2025-26 Q4" --json > run.json

        Exit status: 0 everything collected (unchanged, not-available and not-yet-due count as success), \
        3 some indicator-periods failed, 1 invalid configuration or an unusable store, 2 usage error, \
        130 interrupted.
        """
    )

    @Argument(help: "Site directories; every site under --root when none is given.")
    var siteDirectories: [String] = []

    @Option(help: ArgumentHelp("One period: 2026-06, 2026Q3, 'FY2026-27 Q1', FY2026-27 or 2026-W12.", valueName: "period"),
            transform: PeriodArgument.parse)
    var period: Period?

    @Option(help: ArgumentHelp("First period of a range.", valueName: "period"), transform: PeriodArgument.parse)
    var from: Period?

    @Option(help: ArgumentHelp("Last period of a range (inclusive).", valueName: "period"), transform: PeriodArgument.parse)
    var to: Period?

    @Option(help: ArgumentHelp("The store file, instead of each site's <site dir>/.pioneer/store.sqlite.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("The folder of site directories, used when no SITE_DIR is given.", valueName: "dir"))
    var root: String = "sites"

    @Flag(help: "Print only failures and errors.")
    var quiet = false

    @Flag(help: "Write the run summary as JSON on stdout.")
    var json = false

    @Option(name: .customLong("indicator"),
            help: ArgumentHelp("Only this indicator; repeat the option for several.", valueName: "id"))
    var indicators: [String] = []

    /// The largest `--max-parallel`: far above what a feed server or libcurl's connection
    /// pool serves usefully, and small enough that the engine's queue stays bounded.
    static let parallelRange = 1...1024

    // `.unconditional` so that `-1` reaches the range check instead of being read as a flag.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Fetches in flight at once, 1 to \(CollectCommand.parallelRange.upperBound) (default 8).", valueName: "n"),
            transform: CollectCommand.parallelLimit)
    var maxParallel: Int = 8

    @Flag(help: ArgumentHelp("Collect a site id that the store holds from another folder which still declares it: "
                             + "from this run on, this folder's measures replace that folder's."))
    var takeOver = false

    @Option(help: ArgumentHelp("The most disk the store's cached large bodies (over 8 MB, kept to answer 304s) may take "
                               + "after the run: `500MB`, `10GB`, or `0` to keep only the bodies this run used (default 10GB).",
                               valueName: "size"), transform: CollectCommand.cacheSize)
    var bodyCache: Int = CollectionEngine.Options.defaultBodyCacheLimit

    /// Reads `--body-cache`: `0`, or a size as `max_body` takes it.
    static func cacheSize(_ text: String) throws -> Int {
        if text.trimmingCharacters(in: .whitespaces) == "0" { return 0 }
        do {
            return try ByteCount.parse(text)
        } catch {
            throw ValidationError("give a size such as `500MB` or `10GB`, a byte count, or 0")
        }
    }

    /// Reads `--max-parallel`: a whole number within ``parallelRange``.
    static func parallelLimit(_ text: String) throws -> Int {
        let range = parallelRange
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw ValidationError("give a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func validate() throws {
        // Which periods is checked in `run`: argument-parser validates before it reports
        // unknown options, and `pioneer collect --bogus` should hear about `--bogus`.
        if let store, store.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--store needs a path") }
    }

    /// The periods --period, or --from and --to, select.
    private func periods() throws(ValidationError) -> PeriodSelection {
        do throws(PeriodSelectionError) {
            guard let parsed = try PeriodSelection.choose(period: period, from: from, to: to) else {
                throw PeriodSelectionError("say which periods to collect: --period 2026-06, or --from 2026-01 --to 2026-06")
            }
            return parsed
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        // Large bodies wait in a temporary folder while they are read; none is needed after the run.
        defer { TemporaryBodies.removeLeftovers() }
        let selection = try periods()
        // A site's own store gets its `.pioneer` folder made; a --store path is taken as given,
        // so a mistyped folder is said at once rather than becoming a new, empty store that
        // `measures` and `return`, given the intended path, never see.
        if let store {
            let folder = URL(fileURLWithPath: store).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
                let message = "--store \(store): the folder \(folder) does not exist; create it first, or check the path"
                StandardError.write("error: \(message)\n")
                // A script reading --json gets its document, as for any other failure to run.
                if json { try printJSON(CollectOutput(runs: [], errors: [message], exitStatus: 1)) }
                throw ExitCode(1)
            }
        }

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

        // An unset secret is a warning here as in validate: the requests that need it fail
        // (nothing is sent), and the indicators on other feeds are still collected.
        let loader = SiteLoader(plugins: try Plugins.catalogue())
        var exitStatus: Int32 = 0
        var problems: [String] = []
        var sites: [LoadedSite] = []
        // Each site's own store is opened as soon as the site has loaded, while the others load:
        // opening waits on the disk (a new store's schema, an old one's check), loading computes.
        // Only when every site is collected into its own store in one turn, so no store is opened
        // that would not be used, nor more than the limit on open files allows.
        let opensStores = store == nil && indicators.isEmpty
            && Self.storesFitAtOnce(directories.count, maxParallel: maxParallel)
        var opened: [String: Result<MeasureStore, StoreError>] = [:]
        // Read and checked at once (a large site takes tens of milliseconds), reported in order.
        for (loaded, store) in await Self.load(directories, with: loader, openingStores: opensStores) {
            switch loaded {
            case .success(let site):
                sites.append(site)
                if let (path, store) = store { opened[path] = store }
            case .failure(let error):
                StandardError.write(error.description + "\n")
                problems.append(contentsOf: error.issues.map(\.description))
                exitStatus = 1
            }
        }
        // An id no loaded site declares may be declared by a site that failed to load: its
        // configuration is the problem to fix (exit 1, said above), not the command line.
        let chosen = try chosenIndicators(sites, someFailedToLoad: exitStatus != 0)

        let settings = Settings(quiet: quiet, json: json, store: store, maxParallel: maxParallel, bodyCache: bodyCache,
                                takeOver: takeOver)
        let loadedSites = sites
        let openedStores = opened
        let outcome = await Interruption.cancellingOnSignal(
            notice: "interrupted: stopping the fetches and plugins, keeping what was collected (Ctrl-C again to stop at once)",
            onFirst: { RunningPlugins.terminateAll(); MeasureStore.stopWaiting() }, onSecond: RunningPlugins.killAllAndClean
        ) {
            await Self.collect(loadedSites, opened: openedStores, selection: selection, indicators: chosen, settings: settings)
        }
        // The process ends once this returns: the sites and their reports are not taken apart first.
        KeptUntilExit.keep(loadedSites)
        KeptUntilExit.keep(outcome.result)
        let summaries = outcome.result.summaries
        problems += outcome.result.problems
        if outcome.result.failedToRun { exitStatus = 1 }
        if exitStatus == 0 { exitStatus = summaries.map(\.exitStatus).first { $0 != 0 } ?? 0 }
        let interrupted = outcome.signal != nil || summaries.contains(where: \.interrupted)
        if interrupted { exitStatus = 130 }

        if json {
            try printJSON(CollectOutput(runs: summaries, errors: problems, exitStatus: exitStatus))
        }
        if interrupted {
            let runs = summaries.filter(\.interrupted).map { "run \($0.runID) of \($0.site)" }
            StandardError.write("interrupted" + (runs.isEmpty ? ": no run was under way, so none is recorded as interrupted" : ": \(runs.joined(separator: ", ")) recorded as interrupted") + "\n")
        }
        if exitStatus != 0 { throw ExitCode(exitStatus) }
    }

    /// The options the collection itself needs, apart from the command (which is not Sendable).
    struct Settings: Sendable {
        var quiet: Bool
        var json: Bool
        var store: String?
        var maxParallel: Int
        var bodyCache: Int
        var takeOver = false
    }

    /// What collecting the sites came to.
    struct Collected: Sendable {
        var summaries: [CollectionSummary] = []
        var problems: [String] = []
        /// A store could not be opened or a run not recorded.
        var failedToRun = false
    }

    /// A site's load, and its own store (by real path) when it loaded and stores were to be opened.
    typealias Load = (site: Result<LoadedSite, ConfigError>, store: (String, Result<MeasureStore, StoreError>)?)

    /// Loads every site directory concurrently; the results are in the directories' order.
    ///
    /// - Parameter openingStores: open each site's own store once it has loaded, on a thread of its
    ///   own, while the other sites load.
    private static func load(_ directories: [String], with loader: SiteLoader, openingStores: Bool) async -> [Load] {
        await withTaskGroup(of: (Int, Load).self) { group in
            for (index, directory) in directories.enumerated() {
                group.addTask {
                    let site: LoadedSite
                    do throws(ConfigError) {
                        site = try loader.load(directory: directory)
                    } catch {
                        return (index, (.failure(error), nil))
                    }
                    guard openingStores else { return (index, (.success(site), nil)) }
                    let path = MeasureStore.defaultPath(siteDirectory: site.site.directory)
                    let store = await onOwnThread { Result { () throws(StoreError) in try MeasureStore(path: path) } }
                    return (index, (.success(site), (RealPath.of(path), store)))
                }
            }
            var results = [Load?](repeating: nil, count: directories.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    /// Whether `count` stores, one a site, fit under the limit on open files at once, even if
    /// every site ran plugin programs.
    private static func storesFitAtOnce(_ count: Int, maxParallel: Int) -> Bool {
        guard let (open, limit) = OpenFiles.current() else { return true }
        let perStore = OpenFileBudget.filesPerStore + OpenFileBudget.filesForPrograms
        guard let budget = OpenFileBudget.plan(stores: count, maxParallel: maxParallel, open: open, limit: limit,
                                               perStore: perStore) else { return false }
        return budget.storesAtOnce >= count
    }

    /// `body` on a thread of its own, so a wait for the disk holds none of the shared pool's few threads.
    private static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            do {
                try SystemThread.start(name: "pioneer.open") { continuation.resume(returning: body()) }
            } catch {
                continuation.resume(returning: body())
            }
        }
    }

    /// Opens each distinct store file once, all at the same time (creating a store takes a few
    /// milliseconds of file system work each).
    private static func openStores(_ paths: [String]) async -> [String: Result<MeasureStore, StoreError>] {
        await withTaskGroup(of: (String, Result<MeasureStore, StoreError>).self) { group in
            for path in Set(paths) {
                group.addTask { (path, Result { () throws(StoreError) in try MeasureStore(path: path) }) }
            }
            var stores: [String: Result<MeasureStore, StoreError>] = [:]
            for await (path, store) in group { stores[path] = store }
            return stores
        }
    }

    /// Collects every site at once through one feed client, so the `--max-parallel` limit
    /// (overall and per host) holds across all of them; each site's report is printed in the
    /// sites' order as soon as it and the sites before it are done.
    ///
    /// When the stores of all the sites would not fit under the limit on open files
    /// (`ulimit -n`), the sites are collected in turns, as many stores at a time as fit.
    private static func collect(_ sites: [LoadedSite], opened: [String: Result<MeasureStore, StoreError>],
                                selection: PeriodSelection, indicators: Set<String>?,
                                settings: Settings) async -> Collected {
        let quiet = settings.quiet
        let style: CollectionProgress.Style = quiet ? .silent : (StandardError.isTerminal ? .terminal : .lines)
        let logger = Self.logger(level: style == .lines ? .info : .warning)
        var collected = Collected()
        var chosen: [(site: LoadedSite, indicators: Set<String>?, store: String)] = []
        // Each store by its real path, opened (and shown) by the first path it was given as.
        var shownPath: [String: String] = [:]
        for loaded in sites {
            let siteIndicators = indicators.map { $0.intersection(loaded.site.indicators.map(\.definition.id)) }
            if let siteIndicators, siteIndicators.isEmpty {
                if !quiet { StandardError.write("\(loaded.site.id): declares none of the --indicator ids; not collected\n") }
                continue
            }
            if !quiet {
                for warning in loaded.warnings where warning.severity != .note { StandardError.write(warning.description + "\n") }
            }
            // The store's real path: one site reached through a link and by its own path is one
            // store, collected one run after the other, never two runs at once on two handles.
            let givenPath = settings.store ?? MeasureStore.defaultPath(siteDirectory: loaded.site.directory)
            let storePath = RealPath.of(givenPath)
            if shownPath[storePath] == nil { shownPath[storePath] = givenPath }
            // Two folders declaring one site id would write over each other's measures in a
            // shared store: the second is not collected, and the run fails.
            // (The same folder given twice, even through a link, is collected twice, in turn.)
            if let earlier = chosen.first(where: { $0.site.site.id == loaded.site.id && $0.store == storePath
                                                   && RealPath.of($0.site.site.directory) != RealPath.of(loaded.site.directory) }) {
                let message = "\(loaded.site.directory): declares site id `\(loaded.site.id)`, as \(earlier.site.site.directory) does, "
                    + "and both would write to \(storePath), each replacing the other's measures; not collected "
                    + "(give each folder its own id, or its own store)"
                StandardError.write("error: \(message)\n")
                collected.problems.append(message)
                collected.failedToRun = true
                continue
            }
            chosen.append((loaded, siteIndicators, storePath))
        }
        // Sites sharing a store file (--store) share one connection pool to it, and a turn.
        var storePaths: [String] = []
        var seen: Set<String> = []
        for path in chosen.map(\.store) where seen.insert(path).inserted { storePaths.append(path) }
        guard !storePaths.isEmpty else { return collected }
        // A run with plugin programs keeps their pipes open too: planned for, or a low limit
        // ends in the subprocess library's crash rather than a message.
        let runsPrograms = chosen.contains { $0.site.plugins.values.contains { $0 is any BatchIndicatorPlugin } }
        // Programs run per site, and sites sharing a store (--store) run at once: counted per site.
        let sitesPerStore = Dictionary(grouping: chosen, by: \.store).values.map(\.count).max() ?? 1
        let perStore = OpenFileBudget.filesPerStore + (runsPrograms ? OpenFileBudget.filesForPrograms * sitesPerStore : 0)
        guard let budget = Self.openFileBudget(stores: storePaths.count, settings: settings, perStore: perStore) else {
            collected.failedToRun = true
            return collected
        }

        // One host may take every transfer slot only when it is the only host: with several, an
        // unresponsive one would hold every slot until its timeouts, and the other sites' feeds
        // wait behind it. Half the slots each then, so the others always have some.
        let hosts = Set(chosen.flatMap { $0.site.site.feeds.map { FeedURL.hostKey(of: $0.baseURL) } })
        let perHost = hosts.count > 1 ? max(1, (budget.fetchesAtOnce + 1) / 2) : budget.fetchesAtOnce
        let client = FeedClient(limits: FeedClientLimits(maxParallel: budget.fetchesAtOnce, maxPerHost: perHost),
                                logger: logger)
        let progress = CollectionProgress(style: style) { StandardError.write($0) }
        // The bytes arriving, polled: a large extract on a slow link shows it is moving.
        let ticker = style == .silent ? nil : Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                if let bytes = client.bodyBytesReceived { progress.received(bytes: bytes) }
            }
        }
        var options = CollectionEngine.Options(maxParallel: budget.fetchesAtOnce,
                                               command: CommandLine.arguments.joined(separator: " "),
                                               bodyCacheLimit: settings.bodyCache)
        // A site id the store holds from another folder is refused while that folder still
        // declares it (unless --take-over): the two would replace each other's measures.
        if !settings.takeOver {
            options.stillClaimed = { siteID, otherFolder in SiteLoader.declaredSiteID(directory: otherFolder) == siteID }
        }
        let collection = MultiSiteCollection(fetcher: client, options: options, logger: logger)
        for turn in stride(from: 0, to: storePaths.count, by: budget.storesAtOnce) {
            let paths = Set(storePaths[turn..<min(turn + budget.storesAtOnce, storePaths.count)])
            if Task.isCancelled {
                let remaining = Set(storePaths[turn...])
                let waiting = chosen.filter { remaining.contains($0.store) }
                let message = "not collected, interrupted before their turn: \(waiting.map(\.site.site.id).joined(separator: ", "))"
                StandardError.write(message + "\n")
                // In the --json document too: a script must not take the sites left out for sites collected.
                collected.problems.append(message)
                break
            }
            // Opened for this turn only: the stores close when its entries are done with.
            var stores = await openStores(paths.filter { opened[$0] == nil }.map { shownPath[$0] ?? $0 })
            for path in paths { if let store = opened[path] { stores[shownPath[path] ?? path] = store } }
            var entries: [MultiSiteCollection.Entry] = []
            for (loaded, siteIndicators, path) in chosen where paths.contains(path) {
                switch stores[shownPath[path] ?? path] {
                case .success(let store):
                    entries.append(.init(site: loaded, store: store, indicators: siteIndicators))
                case .failure(let error):
                    // Said once for a store that sites share, not once a site.
                    if !collected.problems.contains(error.description) {
                        StandardError.write(error.description + "\n")
                        collected.problems.append(error.description)
                    }
                    collected.failedToRun = true
                case nil:
                    break
                }
            }
            await collection.collect(entries, periods: selection, onEvent: progress.handle) { index, result in
                // The progress line is cleared for the report and drawn again by the next event.
                progress.finish()
                switch result {
                case .success(let summary):
                    collected.summaries.append(summary)
                    report(summary, settings: settings)
                case .failure(let error):
                    var message = error.description
                    if error.kind == .siteClaimed {
                        message += "; or, if \(entries[index].site.site.directory) now stands for the site, collect it with --take-over"
                    }
                    StandardError.write(message + "\n")
                    collected.problems.append(message)
                    collected.failedToRun = true
                }
            }
            await closeAtOnce(stores.values.compactMap { try? $0.get() })
        }
        ticker?.cancel()
        await ticker?.value
        progress.finish()
        return collected
    }

    /// Closes `stores` all at once, each on a thread of its own: closing copies a store's log into
    /// its file and waits for the disk, which store after store held up the end of a run of ten
    /// sites once the last report was out.
    private static func closeAtOnce(_ stores: [MeasureStore]) async {
        await withTaskGroup(of: Void.self) { group in
            for store in stores {
                group.addTask {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        do {
                            try SystemThread.start(name: "pioneer.close") {
                                store.close()
                                continuation.resume()
                            }
                        } catch {
                            store.close()
                            continuation.resume()
                        }
                    }
                }
            }
        }
    }

    /// The stores and fetches to keep open at once under the limit on open files, saying so
    /// when it holds the collection back; nil (after saying why) when it allows too few to work.
    private static func openFileBudget(stores: Int, settings: Settings, perStore: Int) -> OpenFileBudget? {
        guard let (open, limit) = OpenFiles.current() else {
            return OpenFileBudget(fetchesAtOnce: settings.maxParallel, storesAtOnce: stores)
        }
        guard let budget = OpenFileBudget.plan(stores: stores, maxParallel: settings.maxParallel, open: open, limit: limit,
                                               perStore: perStore) else {
            StandardError.write("""
                pioneer may open only \(limit) files (`ulimit -n`), and needs at least \(OpenFileBudget.leastLimit(open: open, perStore: perStore)) \
                to collect (one store and one fetch at a time, with a margin\(perStore > OpenFileBudget.filesPerStore ? ", and the pipes of the sites' plugin programs, up to eight at once a site" : "")); raise the limit

                """)
            return nil
        }
        if !settings.quiet {
            let limitText = "the limit on open files (\(limit), `ulimit -n`)"
            if budget.fetchesAtOnce < settings.maxParallel {
                StandardError.write("\(limitText) allows \(budget.fetchesAtOnce == 1 ? "1 fetch" : "\(budget.fetchesAtOnce) fetches") at once, not the \(settings.maxParallel) asked for\n")
            }
            if budget.storesAtOnce < stores {
                let turns = (stores + budget.storesAtOnce - 1) / budget.storesAtOnce
                let storesText = budget.storesAtOnce == 1 ? "1 store" : "\(budget.storesAtOnce) stores"
                StandardError.write("\(limitText) allows \(storesText) open at once: the sites' \(stores) stores are collected in \(turns) turns\n")
            }
        }
        return budget
    }

    /// The `--indicator` ids, nil when none was given; an id that no site declares is a usage error.
    private func chosenIndicators(_ sites: [LoadedSite], someFailedToLoad: Bool = false) throws -> Set<String>? {
        guard !indicators.isEmpty else { return nil }
        // In the sites' order for the message; the set to look ids up (sites declare thousands).
        var known: [String] = []
        var knownSet: Set<String> = []
        for loaded in sites {
            for spec in loaded.site.indicators where knownSet.insert(spec.definition.id).inserted { known.append(spec.definition.id) }
        }
        // With no site loaded there is nothing to check against; the load errors are already reported.
        guard !sites.isEmpty, !someFailedToLoad else { return Set(indicators) }
        for id in indicators where !knownSet.contains(id) {
            let declared = quotedList(known)
            let owner = sites.count == 1 ? "the site declares" : "the sites declare"
            throw ValidationError("--indicator: no indicator `\(id)`\(didYouMean(id, among: known)); \(owner) \(declared)")
        }
        return Set(indicators)
    }

    private static func report(_ summary: CollectionSummary, settings: Settings) {
        if settings.quiet {
            let failures = CollectionReport.renderFailures(summary)
            if !failures.isEmpty { StandardError.write(failures + "\n") }
        } else if settings.json {
            StandardError.write(CollectionReport.render(summary) + "\n\n")
        } else {
            StandardOutput.line(CollectionReport.render(summary) + "\n")
        }
    }

    private func printJSON(_ output: CollectOutput) throws {
        StandardOutput.line(try ReportJSON.encode(output))
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

