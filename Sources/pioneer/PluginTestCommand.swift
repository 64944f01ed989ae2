// `pioneer plugin test`: runs one plugin on recorded feed bodies and prints its observations,
// driving it through PluginFactory and IndicatorPlugin (configure, requests, observe) as the
// collection engine does, so any plugin the catalogue holds, compiled in or external, runs the same.
import ArgumentParser
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerExtraction
import PioneerFeeds
import PioneerKit
import Synchronization

struct PluginTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a plugin on recorded feed bodies and print its observations.",
        discussion: """
        --config names a file holding one indicator entry, as a plugin's sample.yaml does \
        (`pioneer plugins show NAME --sample` prints one). Each --feed KEY=FILE answers the \
        plugin's request with key KEY with the bytes of FILE; `{period}` in FILE is replaced by \
        the period's label without spaces (admissions-{period}.json → admissions-2026-06.json), \
        so one option serves many periods.

        With --site DIR the plugin is looked up among the site's plugins too, and checks its \
        config against the site's feeds and populations; URLs are the site's. Without it, the \
        feeds the config names are taken as declared, the population is the test site's \
        (total 136,000; aged_65_plus 35,400), and URLs are http://<feed>.test/...

        Examples:
          pioneer plugins show json --sample > json.yaml
          pioneer plugin test json --config json.yaml \\
              --feed document=admissions.json --period 2026-06
          pioneer plugin test rate --config rate.yaml \\
              --feed numerator=adm-{period}.json --feed denominator=list-{period}.csv \\
              --period 2026-04 --period 2026-05 --format json

        Exit status: 0 every period observed (a value or not available), 1 invalid \
        configuration, unknown plugin or a missing --feed, 2 usage error, 3 some period failed.
        """
    )

    @Argument(help: ArgumentHelp("The plugin's name, as a site YAML gives it in `plugin:`.", valueName: "plugin"))
    var plugin: String

    @Option(help: ArgumentHelp("A file holding one indicator entry for the plugin (as its sample.yaml).", valueName: "file"))
    var config: String

    @Option(name: .customLong("feed"), help: ArgumentHelp("A recorded body for the request with key KEY; repeat for each key.", valueName: "key=file"),
            transform: RecordedFeedArgument.parse)
    var feeds: [RecordedFeedArgument] = []

    @Option(name: .customLong("period"), help: ArgumentHelp("A period to compute, of the indicator's period type (2026-06, FY2026-27 Q1); repeatable.", valueName: "period"))
    var periods: [String]

    @Option(help: ArgumentHelp("The site folder: its plugins, feeds and populations.", valueName: "dir"))
    var site: String?

    @Option(help: ArgumentHelp("`table` or `json`.", valueName: "format"))
    var format: Format = .table

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func validate() throws {
        guard !periods.isEmpty else { throw ValidationError("give at least one --period") }
        var seen: Set<String> = []
        for feed in feeds where !seen.insert(feed.key).inserted {
            throw ValidationError("--feed \(feed.key)= is given twice; give each request key once")
        }
    }

    func run() throws {
        defer { RecordedFeedArgument.removeCopies() }
        var catalogue = try Plugins.catalogue()
        var world = PluginTestWorld.testSite
        if let site {
            do {
                let loaded = try SiteLoader(plugins: catalogue).load(directory: site)
                world = PluginTestWorld(site: loaded.site)
                // The site's own plugins (`plugins:`) join the built-in ones.
                if let siteCatalogue = loaded.catalogue { catalogue = siteCatalogue }
            } catch {
                StandardError.write(error.issues.map(\.description).joined(separator: "\n") + "\n")
                StandardError.write("error: \(site): the site is invalid; `pioneer validate \(site)` lists every problem\n")
                throw ExitCode(1)
            }
        }
        guard catalogue.factory(named: plugin) != nil else {
            // A plugin folder the site has not declared yet (a scaffold before its `plugins:` entry).
            if let site {
                let folder = URL(fileURLWithPath: site).appendingPathComponent("plugins/\(plugin)")
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue {
                    throw PluginsShowCommand.fail("the plugin `\(plugin)` is in \(folder.path) but \(site)/\(SiteLoader.fileName) does not declare it; "
                                                  + "add it under `plugins:` (kind: exec, command: plugins/\(plugin)/<its program>, deadline: 30), as `pioneer plugin new` printed")
                }
            }
            throw PluginsShowCommand.fail(catalogue.unknownNameMessage(plugin) + (site == nil ? "; add --site DIR for a site's own plugins" : ""))
        }
        let loaded: (spec: IndicatorSpec, plugin: any IndicatorPlugin, warnings: [ConfigIssue])
        do {
            loaded = try IndicatorFile.load(path: config, plugin: plugin, site: world.info, feeds: world.feeds, plugins: catalogue)
        } catch {
            StandardError.write(error.issues.map(\.description).joined(separator: "\n") + "\n")
            throw ExitCode(1)
        }
        for warning in loaded.warnings { StandardError.write(warning.description + "\n") }
        let definition = loaded.spec.definition
        let parsed = try periods.map { text in
            do {
                return try Period(parsing: text, as: definition.periodType)
            } catch {
                throw ValidationError("--period \(text): \(error); the indicator `\(definition.id)` is counted by \(definition.periodType.rawValue), e.g. \(definition.periodType.exampleLabel)")
            }
        }

        let context = PluginContext(site: world.info, indicator: definition)
        var results: [PluginTestResult] = []
        if let batchPlugin = loaded.plugin as? any BatchIndicatorPlugin, batchPlugin.takesBatches(context: context) {
            // The calls collect makes: every period's requests in one call, then every period in one `observe`.
            results = try runBatch(batchPlugin, periods: parsed, context: context, world: world)
        } else {
            for period in parsed {
                var result = PluginTestResult(period: period)
                let requests: [FeedRequest]
                do {
                    requests = try loaded.plugin.requests(for: period, context: context)
                } catch {
                    result.error = "asking for its feeds: \(error)"
                    results.append(result)
                    continue
                }
                if let problem = requests.repeatedKeyProblem(period: period) {
                    result.error = "asking for its feeds: \(problem)"
                    results.append(result)
                    continue
                }
                guard let responses = try answer(requests, for: period, world: world, into: &result) else {
                    results.append(result)
                    continue
                }
                check(Result { try loaded.plugin.observe(period: period, responses: FeedResponses(responses), context: context) },
                      into: &result, context: context)
                results.append(result)
            }
        }
        switch format {
        case .table: StandardOutput.line(PluginTestResult.table(results, definition: definition), terminator: "")
        case .json: StandardOutput.line(PluginTestResult.json(results))
        }
        // A --feed the plugin never asked for is most likely a misspelt key.
        let asked = Set(results.flatMap { $0.requests.map(\.key) })
        if results.allSatisfy({ $0.error == nil }) {
            for recorded in feeds where !asked.contains(recorded.key) {
                StandardError.write("warning: --feed \(recorded.key)=\(recorded.pattern): the plugin asked for no request with key `\(recorded.key)`\(didYouMean(recorded.key, among: Array(asked))); it was not used\n")
            }
        }
        if results.contains(where: { $0.error != nil }) { throw ExitCode(3) }
    }

    /// A batch plugin, called as collect calls it: the requests of every period at once, each
    /// answered from its --feed file, then one `observe` with every period that has its bodies.
    private func runBatch(_ plugin: any BatchIndicatorPlugin, periods: [Period], context: PluginContext,
                          world: PluginTestWorld) throws -> [PluginTestResult] {
        var results = periods.map { PluginTestResult(period: $0) }
        var batch: [(index: Int, responses: PeriodResponses)] = []
        for (index, (period, listed)) in zip(periods, plugin.requests(for: periods, context: context)).enumerated() {
            switch listed {
            case .failure(let error):
                results[index].error = "asking for its feeds: \(error)"
            case .success(let requests):
                if let problem = requests.repeatedKeyProblem(period: period) {
                    results[index].error = "asking for its feeds: \(problem)"
                    continue
                }
                if let responses = try answer(requests, for: period, world: world, into: &results[index]) {
                    batch.append((index, PeriodResponses(period: period, responses: FeedResponses(responses))))
                }
            }
        }
        guard !batch.isEmpty else { return results }
        let observed = plugin.observe(batch.map(\.responses), context: context)
        for ((index, _), outcome) in zip(batch, observed) {
            check(outcome.mapError { $0 as any Error }, into: &results[index], context: context)
        }
        return results
    }

    /// The bodies for `requests` of `period`, each from its --feed file (noted in `result`); nil
    /// with `result.error` set when a request cannot be made.
    private func answer(_ requests: [FeedRequest], for period: Period, world: PluginTestWorld,
                        into result: inout PluginTestResult) throws -> [FeedResponse]? {
        var responses: [FeedResponse] = []
        for request in requests {
            let requestPeriod = request.period ?? period
            let url: String
            do {
                url = try FeedPathTemplate.url(base: world.baseURL(of: request.feed), path: request.path, query: request.query,
                                               values: FeedPathTemplate.values(for: requestPeriod))
            } catch {
                let problem = switch error {
                case .malformed(let problem, let template): "has \(problem) in `\(template)`"
                case .unknownPlaceholders(let names): "uses unknown placeholders \(names.map { "{\($0)}" }.joined(separator: ", "))"
                case .climbsOutOfBase(_, let resolved): "climbs out of its feed's base URL with `..` (it would request \(resolved))"
                }
                result.error = "the request `\(request.key)` (feed `\(request.feed)`, \(request.path)) \(problem)"
                return nil
            }
            guard let recorded = feeds.first(where: { $0.key == request.key }) else {
                let given = feeds.isEmpty ? "no --feed was given" : "--feed was given for " + feeds.map { "`\($0.key)`" }.joined(separator: ", ")
                throw PluginsShowCommand.fail("\(period.label): the plugin asked for `\(request.key)` (feed `\(request.feed)`, \(request.path) → \(url)) but \(given); add --feed \(request.key)=FILE")
            }
            let file = recorded.file(for: requestPeriod)
            guard let body = RecordedFeedArgument.body(of: file) else {
                throw PluginsShowCommand.fail("--feed \(recorded.key)=\(recorded.pattern): cannot read \(file) for \(requestPeriod.label)")
            }
            responses.append(FeedResponse(key: request.key, feed: request.feed, url: url, status: 200,
                                          headers: ["content-type": RecordedFeedArgument.contentType(of: file)], body: body))
            result.requests.append(.init(key: request.key, feed: request.feed, url: url, file: file))
        }
        return responses
    }

    /// Keeps an observation that passes the checks collect makes before it stores one (what
    /// collect refuses fails here too), or the reason it failed.
    private func check(_ outcome: Result<Observation, any Error>, into result: inout PluginTestResult, context: PluginContext) {
        switch outcome {
        case .success(let observation):
            let problems = ObservationCheck.problems(observation, for: context.indicator)
            if problems.isEmpty {
                result.observation = observation
            } else {
                result.error = "collect would refuse the observation: " + problems.joined(separator: "; ")
            }
        case .failure(let error):
            result.error = "\(error)"
        }
    }
}

/// `--feed KEY=FILE`.
struct RecordedFeedArgument: Sendable {
    var key: String
    /// The file, perhaps with `{period}` in it.
    var pattern: String

    static func parse(_ text: String) throws -> RecordedFeedArgument {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
            throw ValidationError("--feed \(text): expected KEY=FILE, the request key the plugin uses and a file holding a recorded body, e.g. --feed document=admissions.json")
        }
        return RecordedFeedArgument(key: String(text[..<equals]), pattern: String(text[text.index(after: equals)...]))
    }

    /// The file for `period`: `{period}` replaced by its label without spaces.
    func file(for period: Period) -> String {
        pattern.replacingOccurrences(of: "{period}", with: period.label.replacingOccurrences(of: " ", with: ""))
    }

    /// The body a feed would have given with the bytes of `file`, as `pioneer collect` holds
    /// it: in memory up to the size collect keeps in memory, else left in the file, which the
    /// plugin then reads in pieces (a recorded 700 MB extract is tried in the memory collect
    /// needs for it, not loaded whole). Nil when the file cannot be read.
    ///
    /// A body left in a file is a read-only copy of the recording: a plugin given the file
    /// (`bodies: file`) is given the copy, so a mistaken write changes nothing of the user's.
    static func body(of file: String) -> FeedResponse.Body? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        if attributes?[.type] as? FileAttributeType == .typeRegular, FileManager.default.isReadableFile(atPath: file),
           let size = (attributes?[.size] as? NSNumber)?.intValue, size > TransportRequest.defaultBodyInMemoryLimit {
            return copy(of: file).map { .file($0) }
        }
        return FileManager.default.contents(atPath: file).map { .memory($0) }
    }

    /// The folder of this run's copies, made when the first is needed.
    private static let copies = Mutex<URL?>(nil)

    private static func copy(of file: String) -> URL? {
        copies.withLock { folder -> URL? in
            let fileManager = FileManager.default
            if folder == nil {
                let made = fileManager.temporaryDirectory.appending(path: "pioneer-plugin-test-\(getpid())-\(UUID().uuidString)")
                guard (try? fileManager.createDirectory(at: made, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])) != nil else { return nil }
                folder = made
            }
            guard let folder else { return nil }
            let copy = folder.appending(path: "\(UUID().uuidString)-\(URL(fileURLWithPath: file).lastPathComponent)")
            guard (try? fileManager.copyItem(at: URL(fileURLWithPath: file), to: copy)) != nil else { return nil }
            try? fileManager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: copy.path)
            return copy
        }
    }

    /// Removes this run's copies.
    static func removeCopies() {
        copies.withLock { folder in
            if let folder { try? FileManager.default.removeItem(at: folder) }
            folder = nil
        }
    }

    /// The content type a feed would send with a file of this name.
    static func contentType(of file: String) -> String {
        switch URL(fileURLWithPath: file).pathExtension.lowercased() {
        case "json": "application/json"
        case "csv": "text/csv; charset=utf-8"
        case "xml": "application/xml"
        default: "text/plain; charset=utf-8"
        }
    }
}

/// The site a plugin is tested against: a real one (--site) or the test site.
struct PluginTestWorld {
    var info: SiteInfo
    /// The declared feeds and their base URLs; nil when every feed the config names counts as declared.
    var baseURLs: [String: String]?

    var feeds: Set<String>? { baseURLs.map { Set($0.keys) } }

    func baseURL(of feed: String) -> String {
        baseURLs?[feed] ?? "http://\(feed).test"
    }

    static let testSite = PluginTestWorld(
        info: SiteInfo(id: "test-site", name: "Test site", population: ["total": 136_000, "aged_65_plus": 35_400]),
        baseURLs: nil)

    init(info: SiteInfo, baseURLs: [String: String]?) {
        self.info = info
        self.baseURLs = baseURLs
    }

    init(site: Site) {
        self.init(info: site.info, baseURLs: Dictionary(site.feeds.map { ($0.name, $0.baseURL) }, uniquingKeysWith: { first, _ in first }))
    }
}
