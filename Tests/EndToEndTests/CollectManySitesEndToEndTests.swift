// `pioneer collect` over several sites: they are collected at once (one site alone could never
// fill the server the way they do), each into its own store, with each site's report, and a
// site whose feeds are unreachable failing alone with the exit status and messages naming it.
import Foundation
import Hummingbird
import PioneerStore
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct CollectManySitesEndToEndTests {
    private static func siteYAML(_ id: String, baseURL: String, count: Int) -> String {
        ManyIndicatorsSite.yaml(id, baseURL: baseURL, count: count)
    }

    /// Answers every path with `{"value": 7}` after `delay`; `peak` is the most requests served at once.
    private final class Peak: @unchecked Sendable {
        private let lock = NSLock()
        private var current = 0
        private var highest = 0
        func began() { lock.withLock { current += 1; highest = max(highest, current) } }
        func ended() { lock.withLock { current -= 1 } }
        var value: Int { lock.withLock { highest } }
    }

    private static func withSlowFeed(delay: Duration, peak: Peak, _ body: (String) async throws -> Void) async throws {
        let router = Router()
        router.get("**") { _, _ -> Response in
            peak.began()
            defer { peak.ended() }
            try await Task.sleep(for: delay)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"value": 7}"#)))
        }
        try await withLoopbackServer(router, label: "pioneer.many-sites.feed") { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }

    @Test func sitesAreCollectedAtOnceAndAnUnreachableOneFailsAloneNamingItself() async throws {
        let peak = Peak()
        try await Self.withSlowFeed(delay: .milliseconds(150), peak: peak) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-many-sites") { root in
                // Port 1 on loopback: nothing listens there, so every connection is refused.
                let sites = [("north", baseURL, 4), ("south", baseURL, 4), ("down", "http://127.0.0.1:1", 2)]
                for (id, url, count) in sites {
                    let folder = root.appendingPathComponent(id)
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    try Self.siteYAML(id, baseURL: url, count: count)
                        .write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                }
                // Two hosts (the feed server, and port 1 for `down`): each may have half the 16 slots.
                let run = try await PioneerBinary.run(["collect", "north", "down", "south", "--period", "2026-05",
                                                       "--max-parallel", "16"], in: root.path)
                #expect(run.status == 3, "\(run.stderr)")
                // Each site alone has 4 feeds: more than 4 at once means the sites were collected together.
                #expect(peak.value > 4, "at most \(peak.value) requests at once")
                #expect(peak.value <= 8)

                // Each site's report, whole and in the order the sites were given.
                let north = try #require(run.stdout.range(of: "north: run 1, periods 2026-05"), "\(run.stdout)")
                let down = try #require(run.stdout.range(of: "down: run 1, periods 2026-05"), "\(run.stdout)")
                let south = try #require(run.stdout.range(of: "south: run 1, periods 2026-05"), "\(run.stdout)")
                #expect(north.lowerBound < down.lowerBound && down.lowerBound < south.lowerBound)
                let downReport = run.stdout[down.lowerBound..<south.lowerBound]
                #expect(downReport.contains("Failed:"))
                #expect(downReport.contains("down-1 2026-05: feed \"bi\": GET http://127.0.0.1:1/down/1?month=2026-05 failed"),
                        "\(downReport)")
                #expect(!run.stdout[north.lowerBound..<down.lowerBound].contains("Failed:"))
                #expect(!run.stdout[south.lowerBound...].contains("Failed:"))

                for (id, _, count) in sites {
                    let store = try MeasureStore(readingAt: MeasureStore.defaultPath(siteDirectory: root.appendingPathComponent(id).path))
                    #expect(try store.measureCount() == (id == "down" ? 0 : count), "\(id)")
                }

                // --quiet prints only the failing site's failures, under its name.
                let quiet = try await PioneerBinary.run(["collect", "north", "down", "south", "--period", "2026-05",
                                                         "--quiet"], in: root.path)
                #expect(quiet.status == 3)
                #expect(quiet.stdout.isEmpty)
                #expect(quiet.stderr.hasPrefix("down: 2 failed:\n"), "\(quiet.stderr)")
                #expect(!quiet.stderr.contains("north") && !quiet.stderr.contains("south"), "\(quiet.stderr)")
            }
        }
    }

    /// Runs `body` with the address of a `pioneer bench-feeds` (answering `/bench/N.json` after
    /// `latency` ms) in a process of its own, so its answers are not held up by the other suites
    /// running in this one.
    private static func withBenchFeeds(latency: Int, in root: URL, _ body: (String) async throws -> Void) async throws {
        let binary = try #require(PioneerBinary.url(), "build the pioneer executable first: swift build --product pioneer")
        let log = root.appendingPathComponent("bench-feeds-\(latency).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        let server = Process()
        server.executableURL = binary
        server.arguments = ["bench-feeds", "--port", "0", "--latency-ms", "\(latency)"]
        server.standardOutput = logHandle
        server.standardError = logHandle
        let serving = try StartedProcess.start(server)
        defer {
            serving.signal(SIGKILL)
            _ = serving.exitBlocking(within: 30)
        }
        var baseURL: String?
        let deadline = ContinuousClock.now + .seconds(30)
        while baseURL == nil, ContinuousClock.now < deadline, serving.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            baseURL = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
                .first { $0.hasPrefix("http://127.0.0.1:") }.map(String.init)
        }
        try await body(try #require(baseURL, "pioneer bench-feeds printed no address"))
    }

    /// A site whose server accepts requests and never answers, beside a site on another host:
    /// the stuck host held every transfer slot (the per-host limit was the overall one) and the
    /// healthy site waited for its timeouts. Now each host may have half the slots when a run
    /// reaches several, and the healthy site is done long before the stuck one times out.
    @Test func anUnresponsiveHostDoesNotHoldUpAnotherHostsSite() async throws {
        try await withTemporaryFolder(prefix: "pioneer-stuck-host") { root in
            // Both servers in processes of their own: one answers after 30 s, one after 100 ms.
            try await Self.withBenchFeeds(latency: 30_000, in: root) { stuckURL in
                try await Self.withBenchFeeds(latency: 100, in: root) { wellURL in
                    for (id, url, count) in [("stuck", stuckURL, 4), ("well", wellURL, 8)] {
                        let folder = root.appendingPathComponent(id)
                        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                        var yaml = Self.siteYAML(id, baseURL: url, count: count)
                            .replacingOccurrences(of: "/\(id)/", with: "/bench/").replacingOccurrences(of: "?month=", with: ".json?month=")
                        if id == "stuck" { yaml = yaml.replacingOccurrences(of: "timeout: 120", with: "timeout: 4") }
                        try yaml.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                    }
                    let run = try await PioneerBinary.run(["collect", "stuck", "well", "--period", "2026-05", "--max-parallel", "4",
                                                           "--json"], in: root.path)
                    #expect(run.status == 3, "\(run.stderr)")
                    let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
                    let sites = try #require(document["runs"] as? [[String: Any]], "\(run.stdout)")
                    let well = try #require(sites.first { $0["site"] as? String == "well" })
                    let stuck = try #require(sites.first { $0["site"] as? String == "stuck" })
                    let elapsed = try #require(well["elapsed"] as? Double)
                    // The stuck site's 4 feeds time out 2 at a time: 8 s at least. Behind 4 of them
                    // at once, the healthy site took as long as the first round, 4 s.
                    let stuckElapsed = try #require(stuck["elapsed"] as? Double)
                    #expect(stuckElapsed >= 7.5)
                    #expect(elapsed < stuckElapsed / 2, "the healthy site took \(elapsed) s, the stuck one \(stuckElapsed) s")
                    #expect((well["counts"] as? [String: Any])?["collected"] as? Int == 8, "\(well)")
                }
            }
        }
    }

    /// `current/torbay` and `old/torbay` under `root`, both declaring site id `torbay`, their feed unreachable.
    private static func writeTwoTorbayFolders(in root: URL) throws {
        for folder in ["current/torbay", "old/torbay"] {
            let url = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try siteYAML("torbay", baseURL: "http://127.0.0.1:9", count: 1)
                .write(to: url.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        }
    }

    /// Two folders declaring the same site id, collected into one store, would replace each
    /// other's measures: the second is refused, naming both folders, and the run fails.
    @Test func twoFoldersWithOneSiteIdAreNotCollectedIntoOneStore() async throws {
        try await withTemporaryFolder(prefix: "pioneer-same-id") { root in
            // A site's id is its folder's name: the same name under two parents (an old copy kept).
            try Self.writeTwoTorbayFolders(in: root)
            let store = root.appendingPathComponent("shared.sqlite").path
            let run = try await PioneerBinary.run(["collect", "current/torbay", "old/torbay", "--period", "2026-05", "--store", store],
                                                  in: root.path)
            #expect(run.status != 0)
            #expect(run.stderr.contains("declares site id `torbay`, as ") && run.stderr.contains("current/torbay does, and both would write to \(store)"),
                    "\(run.stderr)")
            #expect(try MeasureStore(readingAt: store).runs().count == 1)
        }
    }

    /// The same, in two commands: the store remembers the folder each site id was collected
    /// from, and refuses another folder declaring that id while the first still does, unless
    /// told to take over; a copy of a folder collected into its own store, or a folder whose
    /// first home is gone, is collected.
    @Test func aSecondFolderWithOneSiteIdIsRefusedInALaterCommandWhileTheFirstStillDeclaresIt() async throws {
        try await withTemporaryFolder(prefix: "pioneer-same-id-later") { root in
            let root = root.resolvingSymlinksInPath()
            try Self.writeTwoTorbayFolders(in: root)
            let store = root.appendingPathComponent("shared.sqlite").path
            let collect = { (folder: String, extra: [String]) in
                try await PioneerBinary.run(["collect", folder, "--period", "2026-05", "--store", store, "--quiet"] + extra,
                                            in: root.path)
            }
            // Nothing answers on port 9: the feed fails, but the run is recorded with its folder.
            let first = try await collect("current/torbay", [])
            #expect(first.status != 0 && !first.stderr.contains("still declares"), "\(first.stderr)")
            #expect(try MeasureStore(readingAt: store).runs().count == 1)

            let refused = try await collect("old/torbay", [])
            #expect(refused.status == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("measure store \(store): site id `torbay` is collected into this store from "
                                            + "\(root.path)/current/torbay, which still declares it; \(root.path)/old/torbay declares it too"),
                    "\(refused.stderr)")
            #expect(refused.stderr.contains("give each folder its own site id or its own store; "
                                            + "or, if old/torbay now stands for the site, collect it with --take-over"), "\(refused.stderr)")
            #expect(try MeasureStore(readingAt: store).runs().count == 1)

            // Told to take over: collected, and from then on the first folder is the one refused.
            let takeOver = try await collect("old/torbay", ["--take-over"])
            #expect(!takeOver.stderr.contains("still declares"), "\(takeOver.stderr)")
            #expect(try MeasureStore(readingAt: store).runs().count == 2)
            let back = try await collect("current/torbay", [])
            #expect(back.stderr.contains("from \(root.path)/old/torbay, which still declares it"), "\(back.stderr)")

            // The folder it was taken from no longer declares the id (its file is gone): collected.
            try FileManager.default.removeItem(at: root.appendingPathComponent("old/torbay/site.yaml"))
            let afterRemoval = try await collect("current/torbay", [])
            #expect(!afterRemoval.stderr.contains("still declares"), "\(afterRemoval.stderr)")
            #expect(try MeasureStore(readingAt: store).runs().count == 3)

            // A folder's own store goes with it: a copy collected into its copied store is not refused.
            let ownStore = root.appendingPathComponent("current/torbay/.pioneer/store.sqlite").path
            _ = try await PioneerBinary.run(["collect", "current/torbay", "--period", "2026-05", "--quiet"], in: root.path)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("copy"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: root.appendingPathComponent("current/torbay"),
                                             to: root.appendingPathComponent("copy/torbay"))
            let copy = try await PioneerBinary.run(["collect", "copy/torbay", "--period", "2026-05", "--quiet"], in: root.path)
            #expect(!copy.stderr.contains("still declares"), "\(copy.stderr)")
            #expect(try MeasureStore(readingAt: root.appendingPathComponent("copy/torbay/.pioneer/store.sqlite").path).runs().count == 2)
            #expect(try MeasureStore(readingAt: ownStore).runs().count == 1)
        }
    }

    /// One site given by its path and through a link to its folder: one store, so the two
    /// runs go one after the other (they ran at once on two handles to the file).
    @Test func aSiteReachedThroughALinkIsOneStoreCollectedInTurn() async throws {
        try await Self.withSlowFeed(delay: .milliseconds(50), peak: Peak()) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-linked-site") { root in
                let real = root.appendingPathComponent("real/w")
                try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
                try Self.siteYAML("w", baseURL: baseURL, count: 6).write(to: real.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                try FileManager.default.createDirectory(at: root.appendingPathComponent("link"), withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link/w"), withDestinationURL: real)
                let run = try await PioneerBinary.run(["collect", "real/w", "link/w", "--period", "2026-05"], in: root.path)
                #expect(run.status == 0, "\(run.stderr)")
                let runs = try MeasureStore(readingAt: MeasureStore.defaultPath(siteDirectory: real.path)).runs().sorted { $0.id < $1.id }
                #expect(runs.count == 2)
                if runs.count == 2, let finished = runs[0].finishedAt {
                    #expect(runs[1].startedAt >= finished, "the runs overlapped: \(runs)")
                }
                // `..` after a link is where the system reads site.yaml from: the store goes there
                // too, not into a second store at the path read without the link.
                let deep = root.appendingPathComponent("deep/down")
                try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(at: real.appendingPathComponent("sub"), withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(at: deep.appendingPathComponent("link"), withDestinationURL: real.appendingPathComponent("sub"))
                let dotted = try await PioneerBinary.run(["collect", "deep/down/link/../", "--period", "2026-05"], in: root.path)
                #expect(dotted.status == 0, "\(dotted.stderr)")
                #expect(try MeasureStore(readingAt: MeasureStore.defaultPath(siteDirectory: real.path)).runs().count == 3)
                #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("deep/down/.pioneer").path))
            }
        }
    }

    /// A folder given by its path and as `link/..` from a link inside it is one folder: into a
    /// shared store it is collected twice, in turn, not refused as a second folder with its id.
    @Test func oneFolderGivenAlsoAsDotDotAfterALinkIsNotASecondFolderWithItsId() async throws {
        try await Self.withSlowFeed(delay: .milliseconds(1), peak: Peak()) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-link-dotdot") { root in
                let real = root.appendingPathComponent("real/w")
                try FileManager.default.createDirectory(at: real.appendingPathComponent("sub"), withIntermediateDirectories: true)
                try Self.siteYAML("w", baseURL: baseURL, count: 3).write(to: real.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                try FileManager.default.createDirectory(at: root.appendingPathComponent("deep/down"), withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("deep/down/link"),
                                                           withDestinationURL: real.appendingPathComponent("sub"))
                let store = root.appendingPathComponent("shared.sqlite").path
                let both = try await PioneerBinary.run(["collect", "real/w", "deep/down/link/..", "--period", "2026-05", "--store", store],
                                                       in: root.path)
                #expect(both.status == 0, "\(both.stderr)")
                #expect(!both.stderr.contains("declares site id"), "\(both.stderr)")
                #expect(try MeasureStore(readingAt: store).runs().count == 2)
                // And in a later command: the folder recorded is the one the link leads back to.
                let later = try await PioneerBinary.run(["collect", "deep/down/link/..", "--period", "2026-05", "--store", store],
                                                        in: root.path)
                #expect(later.status == 0, "\(later.stderr)")
                #expect(!later.stderr.contains("still declares"), "\(later.stderr)")
                #expect(try MeasureStore(readingAt: store).runs().count == 3)
            }
        }
    }

    /// Each site's store is opened as soon as the site has loaded, while the others still load:
    /// a site that fails to load gets no store, and each store made is its owner's alone.
    @Test func aSiteThatFailsToLoadGetsNoStoreWhileTheOthersAreCollectedIntoTheirs() async throws {
        try await Self.withSlowFeed(delay: .milliseconds(1), peak: Peak()) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-store-on-load") { root in
                let ids = ["a", "b", "broken", "c"]
                for id in ids {
                    let folder = root.appendingPathComponent(id)
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    var yaml = Self.siteYAML(id, baseURL: baseURL, count: 3)
                    if id == "broken" { yaml = yaml.replacingOccurrences(of: "better: higher", with: "better: highr") }
                    try yaml.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                }
                let run = try await PioneerBinary.run(["collect"] + ids + ["--period", "2026-05"], in: root.path)
                #expect(run.status == 1, "\(run.stderr)")
                #expect(run.stderr.contains("broken/site.yaml:"), "\(run.stderr)")
                #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("broken/.pioneer").path))
                for id in ["a", "b", "c"] {
                    let path = MeasureStore.defaultPath(siteDirectory: root.appendingPathComponent(id).path)
                    #expect(try MeasureStore(readingAt: path).measureCount() == 3, "\(id)")
                    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                    #expect(mode == 0o600, "\(id): mode \(String(mode ?? 0, radix: 8))")
                }
            }
        }
    }

    /// An --indicator only a site that failed to load declares: that site's configuration is
    /// the error (exit 1), not a usage error saying no such indicator exists.
    @Test func anIndicatorOfASiteThatFailedToLoadIsNotAUsageError() async throws {
        try await withTemporaryFolder(prefix: "pioneer-indicator-broken") { root in
            for (id, broken) in [("a", false), ("b", true)] {
                let folder = root.appendingPathComponent(id)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                var yaml = Self.siteYAML(id, baseURL: "http://127.0.0.1:9", count: 2)
                if broken { yaml = yaml.replacingOccurrences(of: "better: higher", with: "better: highr") }
                try yaml.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            }
            let run = try await PioneerBinary.run(["collect", "a", "b", "--period", "2026-05", "--indicator", "b-1"], in: root.path)
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr.contains("better: `highr`") || run.stderr.contains("highr"), "\(run.stderr)")
            #expect(!run.stderr.contains("--indicator: no indicator"), "\(run.stderr)")
        }
    }

    /// Forty sites whose stores need about six files each, under a hard limit of 100 files
    /// (pioneer raises its soft limit to the hard one, and no further): the stores are opened a
    /// few at a time, in turns, and never all at once. (Run into, the limit once ended the process
    /// with SIGILL: libdispatch's thread monitor traps when it cannot open a file under /proc.)
    /// No feed is reached: port 9 refuses.
    @Test func sitesBeyondTheOpenFileLimitAreCollectedInTurns() async throws {
        try await withTemporaryFolder(prefix: "pioneer-many-files") { root in
            try Self.writeSites(1...40, in: root, baseURL: "http://127.0.0.1:9")
            let run = try await Self.runLimited(hardLimit: 100, ["collect", "--root", root.path, "--period", "2026-06"])
            // Every feed refused: the runs are recorded, each with its failure.
            #expect(run.status == 3, "\(run.stdout) \(run.stderr)")
            #expect(run.stderr.contains("the limit on open files (100, `ulimit -n`) allows "), "\(run.stderr)")
            #expect(run.stderr.contains("stores open at once: the sites' 40 stores are collected in "), "\(run.stderr)")
            #expect(!run.stderr.contains("cannot be opened"), "\(run.stderr)")
            for number in 1...40 {
                #expect(run.stdout.contains("  site\(number)-1 2026-06: feed \"bi\": GET http://127.0.0.1:9/"), "site\(number)")
                let path = MeasureStore.defaultPath(siteDirectory: root.appending(path: "site\(number)").path)
                let runs = try MeasureStore(readingAt: path).runs()
                #expect(runs.count == 1, "site\(number)")
            }
        }
    }

    /// Forty sites under a limit of 1 GB of address space (`ulimit -v`): glibc's malloc gave
    /// each allocating thread an arena reserving 64 MB, the run reserved 1.7 GB, and it hung or
    /// died failing to allocate. Held to two arenas under a limit, it runs. No feed is reached:
    /// port 9 refuses.
    @Test func fortySitesRunUnderALimitOfOneGigabyteOfAddressSpace() async throws {
        try await withTemporaryFolder(prefix: "pioneer-address-space") { root in
            try Self.writeSites(1...40, in: root, baseURL: "http://127.0.0.1:9")
            let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
            let run = try await PioneerBinary.run(
                process: URL(fileURLWithPath: "/bin/sh"),
                ["-c", "ulimit -v 1000000 && exec \"$0\" \"$@\"", pioneer.path,
                 "collect", "--root", root.path, "--period", "2026-06", "--quiet"])
            #expect(run.status == 3, "\(run.stdout) \(run.stderr)")
            #expect(!run.stderr.contains("failed to allocate") && !run.stderr.contains("out of memory"), "\(run.stderr)")
            for number in 1...40 {
                #expect(run.stderr.contains("  site\(number)-1 2026-06: feed \"bi\": GET http://127.0.0.1:9/"), "site\(number)")
            }
        }
    }

    /// Ctrl-C while the first turn's feeds are slow to answer: the turn's runs are recorded as
    /// interrupted, and the sites still waiting for a turn are named, with no store made for them.
    @Test func ctrlCDuringATurnNamesTheSitesNotYetCollected() async throws {
        let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
        try await withTemporaryFolder(prefix: "pioneer-turns-interrupted") { root in
            try await SlowFeed.run(delay: .seconds(20)) { port in
                try Self.writeSites(1...12, in: root, baseURL: "http://127.0.0.1:\(port)")
                let errors = root.appending(path: "stderr")
                _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
                let handle = try FileHandle(forWritingTo: errors)
                defer { try? handle.close() }
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "ulimit -Sn 20 && ulimit -Hn 100 && exec \"$0\" \"$@\"", pioneer.path,
                                     "collect", "--root", root.path, "--period", "2026-06", "--json"]
                let documentFile = root.appending(path: "stdout")
                _ = FileManager.default.createFile(atPath: documentFile.path, contents: nil)
                let documentHandle = try FileHandle(forWritingTo: documentFile)
                defer { try? documentHandle.close() }
                process.standardOutput = documentHandle
                process.standardError = handle
                let child = try StartedProcess.start(process)
                // The turns are said before the first one starts; its feeds take 20 s to answer.
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline, child.isRunning {
                    try await Task.sleep(for: .milliseconds(50))
                    if ((try? String(contentsOf: errors, encoding: .utf8)) ?? "").contains("are collected in") { break }
                }
                try await Task.sleep(for: .seconds(2))
                child.signal(SIGINT)
                let end = await child.exit(within: 60)
                let output = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
                #expect(end.status == 130, "\(output)")
                #expect(output.contains("stores open at once: the sites' 12 stores are collected in "), "\(output)")
                let waiting = try #require(output.split(separator: "\n").first { $0.hasPrefix("not collected, interrupted before their turn: ") },
                                           "\(output)")
                #expect(waiting.hasSuffix("site9"), "\(waiting)")
                #expect(!waiting.contains("site1,"), "\(waiting)")
                #expect(output.contains("run 1 of site1"), "\(output)")
                #expect(!FileManager.default.fileExists(atPath: MeasureStore.defaultPath(siteDirectory: root.appending(path: "site9").path)))
                // The --json document names them too (it said `errors: []`).
                let document = try JSONSerialization.jsonObject(with: Data(contentsOf: documentFile)) as? [String: Any]
                #expect((document?["errors"] as? [String])?.contains(String(waiting)) == true, "\(String(describing: document))")
            }
        }
    }

    @Test func aLimitTooLowForOneStoreAndOneFetchIsRefusedNamingIt() async throws {
        try await withTemporaryFolder(prefix: "pioneer-few-files") { root in
            try Self.writeSites(1...1, in: root, baseURL: "http://127.0.0.1:9")
            let site = root.appending(path: "site1")
            let run = try await Self.runLimited(hardLimit: 30, ["collect", "--root", root.path, "--period", "2026-06"])
            #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
            #expect(run.stderr.hasPrefix("pioneer may open only 30 files (`ulimit -n`), and needs at least "), "\(run.stderr)")
            #expect(run.stderr.contains("; raise the limit"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: MeasureStore.defaultPath(siteDirectory: site.path)))
        }
    }

    /// Sites `site1`… under `root`, each with one indicator on a feed at `baseURL`.
    private static func writeSites(_ numbers: ClosedRange<Int>, in root: URL, baseURL: String) throws {
        for number in numbers {
            let site = root.appending(path: "site\(number)")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try siteYAML("site\(number)", baseURL: baseURL, count: 1)
                .write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
        }
    }

    /// Runs pioneer under a hard limit on open files (the soft one lower still, as pioneer raises it).
    private static func runLimited(hardLimit: Int, _ arguments: [String]) async throws -> PioneerBinary.Run {
        let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
        return try await PioneerBinary.run(
            process: URL(fileURLWithPath: "/bin/sh"),
            ["-c", "ulimit -Sn 20 && ulimit -Hn \(hardLimit) && exec \"$0\" \"$@\"", pioneer.path] + arguments)
    }

    @Test func aSlowServerIsCollectedFromManyTransfersAtOnceNotOneByOne() async throws {
        try await withTemporaryFolder(prefix: "pioneer-slow-feeds") { root in try await Self.withBenchFeeds(latency: 100, in: root) { base in
            let feeds = 64
            let site = root.appendingPathComponent("slowshire")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try Self.siteYAML("slowshire", baseURL: base, count: feeds).replacingOccurrences(of: "/slowshire/", with: "/bench/")
                .replacingOccurrences(of: "?month=", with: ".json?month=")
                .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            let run = try await PioneerBinary.run(["collect", "slowshire", "--period", "2026-05", "--max-parallel", "16",
                                                   "--json"], in: root.path)
            #expect(run.status == 0, "\(run.stderr)")
            let store = try MeasureStore(readingAt: MeasureStore.defaultPath(siteDirectory: site.path))
            #expect(try store.measureCount() == feeds)
            // The run's own time (planning, fetching, storing), not the process's: starting a debug
            // binary on a machine busy with the other suites can take seconds by itself.
            let output = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            let runs = try #require(output?["runs"] as? [[String: Any]])
            let elapsed = try #require(runs.first?["elapsed"] as? Double, "\(run.stdout.prefix(500))")
            // One at a time: 64 x 100 ms = 6.4 s; 16 at a time: 0.4 s. The bound is generous for a
            // loaded machine; the tight figure is scripts/bench-scale.sh's.
            #expect(elapsed < 5, "\(elapsed) s")
        } }
    }
}
