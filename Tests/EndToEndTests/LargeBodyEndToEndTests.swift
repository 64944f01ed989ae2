// `pioneer collect` over bodies far larger than it keeps in memory: a CSV and a JSON export
// generated on the fly by a loopback server are counted and summed correctly while the
// process's peak memory (GNU time's maximum resident set) grows by much less than the body;
// a large cached body is kept as a file beside the store, reused on a 304 and removed once
// the feed's body changes; `pioneer plugin test` reads a large recorded body from its file.
import Foundation
import Hummingbird
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite("large bodies", .serialized)
struct LargeBodyEndToEndTests {
    /// Blocks of rows repeated to make each body; rows carry a long note so that a body of a
    /// useful size has few enough rows for the debug build to read in seconds.
    static let blocks = 40
    static let rowsPerBlock = 1_000
    static let note = String(repeating: "x", count: 380)

    static let csvBlock: ByteBuffer = {
        var text = ""
        for index in 0..<rowsPerBlock {
            text += "\(index);\(index % 4 == 0 ? "85+" : "65-74");\(index % 10);\(note)\n"
        }
        return ByteBuffer(string: text)
    }()

    static let jsonBlock: ByteBuffer = {
        var text = ""
        for index in 0..<rowsPerBlock {
            text += "{\"id\": \(index), \"band\": \"\(index % 4 == 0 ? "85+" : "65-74")\", \"admissions\": \(index % 10), \"note\": \"\(note)\"},\n"
        }
        return ByteBuffer(string: text)
    }()

    /// Bytes in each generated body (about 16 MB), above the 8 MB kept in memory.
    static var csvSize: Int { blocks * csvBlock.readableBytes }

    /// Rows aged 85+ (every fourth), and the sum of their admissions (0, 4, 8, 2, 6, … in each block).
    static let expectedCount = blocks * rowsPerBlock / 4
    static let expectedSum = blocks * (0..<rowsPerBlock).filter { $0 % 4 == 0 }.map { $0 % 10 }.reduce(0, +)

    /// The cached feed's body: about 9 MB, version `version`; its admissions sum to `version * 1000`.
    static func cachedBody(version: Int) -> ByteBuffer {
        var text = "{\"version\": \(version), \"data\": [\n"
        let padding = String(repeating: "p", count: 900)
        for index in 0..<10_000 {
            text += "{\"admissions\": \(index < 1_000 ? version : 0), \"note\": \"\(padding)\"},\n"
        }
        text += "{\"admissions\": 0}]}\n"
        return ByteBuffer(string: text)
    }

    final class CachedVersion: @unchecked Sendable {
        // @unchecked: `value` is only touched under `lock`.
        private let lock = NSLock()
        private var value = 1
        private(set) var notModified = 0

        var current: Int { lock.withLock { value } }
        func bump() { lock.withLock { value += 1 } }
        func countNotModified() { lock.withLock { notModified += 1 } }
    }

    func withServer<T>(_ version: CachedVersion, _ body: (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/big.csv") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/csv"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "id;band;admissions;note\n"))
                for _ in 0..<Self.blocks { try await writer.write(Self.csvBlock) }
                try await writer.finish(nil)
            })
        }
        router.get("/big.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "{\"generated\": \"2026-07-01\", \"data\": [\n"))
                for _ in 0..<Self.blocks { try await writer.write(Self.jsonBlock) }
                try await writer.write(ByteBuffer(string: "{\"id\": -1, \"band\": \"65-74\", \"admissions\": 0}]}\n"))
                try await writer.finish(nil)
            })
        }
        router.get("/cached.json") { request, _ -> Response in
            let current = version.current
            let etag = "\"v\(current)\""
            if request.headers[.ifNoneMatch] == etag {
                version.countNotModified()
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            return Response(status: .ok, headers: [.contentType: "application/json", .eTag: etag],
                            body: ResponseBody(byteBuffer: Self.cachedBody(version: current)))
        }
        return try await withLoopbackServer(router, label: "pioneer.large-body-test", body)
    }

    static func siteYAML(port: Int) -> String {
        var text = """
        site:
          id: big
          name: Large extracts
          region: Loopback
          wave: Test
          focus: [large extracts]
        feeds:
          exports:
            base_url: http://127.0.0.1:\(port)
            timeout: 60
        indicators:

        """
        let indicators: [(id: String, plugin: String, config: String)] = [
            ("csv-count", "csv", "{ feed: exports, path: /big.csv, delimiter: \";\", where: { band: \"85+\" }, aggregate: count }"),
            ("json-sum", "json", "{ feed: exports, path: /big.json, select: \"$.data[?@.band == '85+'].admissions\", aggregate: sum }"),
            ("cached-sum", "json", "{ feed: exports, path: /cached.json, select: \"$.data[*].admissions\", aggregate: sum }"),
            // The `survey` plugin counting the same rows as answers: the share aged 85+.
            ("survey-csv", "survey", "{ feed: exports, path: /big.csv, format: csv, field: band, agree: [\"85+\"], disagree: [\"65-74\"] }"),
            ("survey-json", "survey", "{ feed: exports, path: /big.json, records: \"$.data\", field: band, agree: [\"85+\"], disagree: [\"65-74\"] }"),
        ]
        for indicator in indicators {
            let survey = indicator.plugin == "survey"
            text += """
              - id: \(indicator.id)
                name: \(indicator.id)
                kind: outcome
                value_type: \(survey ? "proportion" : "count")
                unit: \(survey ? "share aged 85+" : "admissions")
                period: month
                better: lower
                plugin: \(indicator.plugin)
                config: \(indicator.config)

            """
        }
        return text
    }

    /// Runs `pioneer arguments` under GNU time: the run, and its peak resident memory in kB.
    static func measured(_ arguments: [String], environment: [String: String]) async throws -> (run: PioneerBinary.Run, peakKB: Int) {
        let time = URL(fileURLWithPath: "/usr/bin/time")
        try #require(FileManager.default.isExecutableFile(atPath: time.path), "needs GNU time at /usr/bin/time")
        let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
        return try await withTemporaryFolder(prefix: "pioneer-measured") { folder in
            let report = folder.appending(path: "time")
            let run = try await PioneerBinary.run(process: time, ["-f", "%M", "-o", report.path, pioneer.path] + arguments,
                                                  environment: environment)
            let text = try String(contentsOf: report, encoding: .utf8)
            let peak = try #require(text.split(separator: "\n").last.flatMap { Int($0) }, "GNU time wrote no figure: \(text)")
            return (run, peak)
        }
    }

    static func value(of indicator: String, site: String, store: String) async throws -> String? {
        let listing = try await PioneerBinary.run(["measures", site, "--store", store, "--format", "csv"])
        for line in listing.stdout.split(separator: "\n") {
            let fields: [Substring] = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count > 6, fields[1] == indicator { return String(fields[6]) }
        }
        return nil
    }

    /// The site of large feeds from the server on `port`, written into `folder`, with a store
    /// and a temporary folder of its own (TMPDIR in `environment`), so a test can see that
    /// the large bodies written there are removed.
    struct LargeSite {
        var site: URL
        var store: String
        var temporary: URL
        var environment: [String: String]

        init(in folder: URL, port: Int) throws {
            site = folder.appending(path: "big")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try LargeBodyEndToEndTests.siteYAML(port: port).write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
            store = folder.appending(path: "store.sqlite").path
            temporary = folder.appending(path: "tmp")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = temporary.path
        }
    }

    @Test("a CSV and a JSON body of 16 MB are read, by the csv, json and survey plugins, with memory growing by far less than the body")
    func largeBodiesInBoundedMemory() async throws {
        try await withServer(CachedVersion()) { port in
            try await withTemporaryFolder(prefix: "pioneer-large") { folder in
                let large = try LargeSite(in: folder, port: port)
                let (site, store, temporary, environment) = (large.site, large.store, large.temporary, large.environment)
                func collect(_ indicator: String) async throws -> Int {
                    let (run, peak) = try await Self.measured(["collect", site.path, "--period", "2026-06", "--store", store,
                                                               "--indicator", indicator, "--quiet"], environment: environment)
                    #expect(run.status == 0, "\(indicator): \(run.stderr)")
                    return peak
                }
                // The baseline: the same process collecting a body of 9 MB.
                let baseline = try await collect("cached-sum")
                let csvPeak = try await collect("csv-count")
                let jsonPeak = try await collect("json-sum")
                let surveyCSVPeak = try await collect("survey-csv")
                let surveyJSONPeak = try await collect("survey-json")
                #expect(try await Self.value(of: "csv-count", site: site.path, store: store) == "\(Self.expectedCount)")
                #expect(try await Self.value(of: "json-sum", site: site.path, store: store) == "\(Self.expectedSum)")
                // Every fourth row is aged 85+; the JSON has one more row, aged 65-74.
                let rows = Self.blocks * Self.rowsPerBlock
                #expect(try await Self.value(of: "survey-csv", site: site.path, store: store).flatMap(Double.init)
                        == Double(Self.expectedCount) / Double(rows))
                #expect(try await Self.value(of: "survey-json", site: site.path, store: store).flatMap(Double.init)
                        == Double(Self.expectedCount) / Double(rows + 1))
                // Held whole, a 16 MB body costs its bytes, its text and its rows: several times its size.
                let allowance = Self.csvSize / 1024 / 3
                #expect(csvPeak - baseline < allowance, "the CSV run peaked at \(csvPeak) kB against \(baseline) kB")
                #expect(jsonPeak - baseline < allowance, "the JSON run peaked at \(jsonPeak) kB against \(baseline) kB")
                #expect(surveyCSVPeak - baseline < allowance, "the survey's CSV run peaked at \(surveyCSVPeak) kB against \(baseline) kB")
                #expect(surveyJSONPeak - baseline < allowance, "the survey's JSON run peaked at \(surveyJSONPeak) kB against \(baseline) kB")
                #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty,
                        "the bodies written to the temporary folder are removed once read")
            }
        }
    }

    @Test("a large body that cannot be written out fails its feed naming the file and the reason, leaving nothing behind")
    func aBodyThatCannotBeWrittenFailsWithTheSystemsReason() async throws {
        try await withServer(CachedVersion()) { port in
            try await withTemporaryFolder(prefix: "pioneer-large-full") { folder in
                let large = try LargeSite(in: folder, port: port)
                let (site, store, temporary, environment) = (large.site, large.store, large.temporary, large.environment)
                // A limit on the size of any file the process writes (in KB): the 16 MB body
                // stops at 10 MB, as on a disk that fills up part-way.
                let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
                let run = try await PioneerBinary.run(
                    process: URL(fileURLWithPath: "/bin/sh"),
                    ["-c", "ulimit -f 10240 && exec \"$0\" \"$@\"", pioneer.path, "collect", site.path, "--period", "2026-06",
                     "--store", store, "--indicator", "csv-count", "--quiet"],
                    environment: environment)
                #expect(run.status == 3, "\(run.stdout) \(run.stderr)")
                let output = run.stdout + run.stderr
                #expect(output.contains("csv-count 2026-06: feed \"exports\": GET http://127.0.0.1:\(port)/big.csv failed: cannot write the body to the temporary file \(temporary.path)/pioneer-bodies-"), "\(output)")
                #expect(output.contains(": File too large"), "\(output)")
                #expect(!output.contains("NSCocoaErrorDomain"), "\(output)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty, "the part written is removed")
                #expect(try await Self.value(of: "csv-count", site: site.path, store: store) == nil)
            }
        }
    }

    @Test("a large cached body is kept beside the store, reused on a 304 and removed once replaced")
    func largeCachedBodyAndCleanup() async throws {
        let version = CachedVersion()
        try await withServer(version) { port in
            try await withTemporaryFolder(prefix: "pioneer-large-cache") { folder in
                let site = folder.appending(path: "big")
                try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
                try Self.siteYAML(port: port).write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
                let storePath = folder.appending(path: "store.sqlite").path
                let arguments = ["collect", site.path, "--period", "2026-06", "--store", storePath, "--indicator", "cached-sum", "--quiet"]
                let bodies = URL(fileURLWithPath: storePath + "-bodies")
                func files() throws -> [String] {
                    try FileManager.default.contentsOfDirectory(atPath: bodies.path).sorted()
                }

                let first = try await PioneerBinary.run(arguments)
                #expect(first.status == 0, "\(first.stderr)")
                let kept = try files()
                #expect(kept.count == 1)
                let permissions = try FileManager.default.attributesOfItem(atPath: bodies.appending(path: kept[0]).path)[.posixPermissions] as? NSNumber
                #expect(permissions?.intValue == 0o400, "the kept body is read-only, and its owner's alone")
                let store = try MeasureStore(readingAt: storePath)
                let cached = try #require(try store.cachedFeedBody(feed: "big/exports", url: "http://127.0.0.1:\(port)/cached.json"))
                #expect(cached.body.isEmpty, "the body is a file, not a row in SQLite")
                #expect(cached.file?.fileURL?.lastPathComponent == kept.first)
                #expect(cached.contentHash == "sha256:" + (kept.first ?? ""))
                #expect(try await Self.value(of: "cached-sum", site: site.path, store: storePath) == "1000")

                // Unchanged: the server answers 304 and the value comes from the kept file.
                let second = try await PioneerBinary.run(arguments)
                #expect(second.status == 0, "\(second.stderr)")
                #expect(version.notModified == 1)
                #expect(try files() == kept)

                // The kept file changed in place (its owner can make it writable again, and a
                // plugin run as root may write it): the 304 does not vouch for it. The period
                // fails naming the file, the entry is forgotten, and the next run fetches afresh.
                let keptFile = bodies.appending(path: kept[0])
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keptFile.path)
                let handle = try FileHandle(forWritingTo: keptFile)
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(" ".utf8))
                try handle.close()
                let tampered = try await PioneerBinary.run(arguments)
                #expect(tampered.status == 3, "\(tampered.stdout) \(tampered.stderr)")
                #expect((tampered.stdout + tampered.stderr).contains("answered 304 Not Modified, but the cached copy \(keptFile.path) no longer has the content it was kept with"),
                        "\(tampered.stdout) \(tampered.stderr)")
                #expect(version.notModified == 2)
                #expect(try MeasureStore(readingAt: storePath).cachedFeedBody(feed: "big/exports", url: "http://127.0.0.1:\(port)/cached.json") == nil)
                #expect(try await Self.value(of: "cached-sum", site: site.path, store: storePath) == "1000", "the stored value stands")
                let afresh = try await PioneerBinary.run(arguments)
                #expect(afresh.status == 0, "\(afresh.stdout) \(afresh.stderr)")
                #expect(version.notModified == 2, "fetched unconditionally")
                #expect(try files() == kept, "the body kept again, under its digest")

                // The kept file removed by hand: the next request is unconditional, not a 304
                // with nothing to reuse, and the body is kept again.
                try FileManager.default.removeItem(at: bodies.appending(path: kept[0]))
                let refetched = try await PioneerBinary.run(arguments)
                #expect(refetched.status == 0, "\(refetched.stdout) \(refetched.stderr)")
                #expect(version.notModified == 2, "no 304 for a body that is no longer kept")
                #expect(try files() == kept)
                #expect(try await Self.value(of: "cached-sum", site: site.path, store: storePath) == "1000")

                // Changed: the new body is kept, and the old file is removed at the end of the run.
                version.bump()
                let third = try await PioneerBinary.run(arguments)
                #expect(third.status == 0, "\(third.stderr)")
                #expect(try await Self.value(of: "cached-sum", site: site.path, store: storePath) == "2000")
                let now = try files()
                #expect(now.count == 1)
                #expect(now != kept)

                // Over the limit the bodies a run did not use go: with `--body-cache 0`, a run of
                // another indicator leaves none of them.
                let other = try await PioneerBinary.run(["collect", site.path, "--period", "2026-06", "--store", storePath,
                                                         "--indicator", "csv-count", "--quiet", "--body-cache", "0"])
                #expect(other.status == 0, "\(other.stderr)")
                #expect(try files().isEmpty)
                #expect(try MeasureStore(readingAt: storePath).cachedFeedBody(feed: "big/exports", url: "http://127.0.0.1:\(port)/cached.json") == nil)
                let wrong = try await PioneerBinary.run(arguments + ["--body-cache", "lots"])
                #expect(wrong.status == 2)
                #expect(wrong.stderr.hasPrefix("error: The value 'lots' is invalid for '--body-cache <size>': give a size such as `500MB` or `10GB`, a byte count, or 0"),
                        "\(wrong.stderr)")
            }
        }
    }

    /// One indicator entry, as `plugin test --config` reads it.
    static func indicatorEntry(id: String, plugin: String, config: String) -> String {
        """
        id: \(id)
        name: Admissions aged 85 and over
        kind: outcome
        value_type: count
        unit: admissions
        period: month
        better: lower
        plugin: \(plugin)
        config: \(config)

        """
    }

    /// Writes a recorded CSV body of `blocks` blocks of rows, with its header, into `folder`.
    static func recordedCSV(_ name: String, blocks: Int, in folder: URL) throws -> String {
        var body = Data("id;band;admissions;note\n".utf8)
        let block = Data(csvBlock.readableBytesView)
        for _ in 0..<blocks { body.append(block) }
        let file = folder.appending(path: name)
        try body.write(to: file)
        return file.path
    }

    @Test("plugin test reads a large recorded body from its file, in the memory collect needs for it")
    func pluginTestReadsALargeRecordedBodyInBoundedMemory() async throws {
        try await withTemporaryFolder(prefix: "pioneer-large-recorded") { folder in
            let config = folder.appending(path: "csv.yaml")
            try Self.indicatorEntry(id: "csv-count", plugin: "csv",
                                    config: #"{ feed: exports, path: /big.csv, delimiter: ";", where: { band: "85+" }, aggregate: count }"#)
                .write(to: config, atomically: true, encoding: .utf8)
            func recorded(_ name: String, blocks: Int) throws -> String {
                try Self.recordedCSV(name, blocks: blocks, in: folder)
            }
            let small = try recorded("small.csv", blocks: 1)
            let large = try recorded("large.csv", blocks: Self.blocks)
            func test(_ file: String) async throws -> (value: Double?, peakKB: Int) {
                let (run, peak) = try await Self.measured(
                    ["plugin", "test", "csv", "--config", config.path, "--feed", "export=\(file)",
                     "--period", "2026-06", "--format", "json"], environment: ProcessInfo.processInfo.environment)
                #expect(run.status == 0, "\(file): \(run.stderr)")
                let rows = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
                return (rows?.first?["value"] as? Double, peak)
            }
            let baseline = try await test(small)
            #expect(baseline.value == Double(Self.rowsPerBlock / 4))
            let measured = try await test(large)
            #expect(measured.value == Double(Self.expectedCount))
            // Loaded whole, as it was, the 16 MB file cost at least its own size.
            let allowance = Self.csvSize / 1024 / 3
            #expect(measured.peakKB - baseline.peakKB < allowance,
                    "plugin test peaked at \(measured.peakKB) kB for the large file against \(baseline.peakKB) kB")
            #expect(FileManager.default.fileExists(atPath: large), "the recorded file is left in place")
        }
    }

    /// An external plugin that counts the rows of its CSV body aged 85+: from `body_file` a line
    /// at a time when the site declares `bodies: file`, else from the inline `body`.
    static let countingPlugin = """
    #!/usr/bin/env python3
    import json, sys
    request = json.load(sys.stdin)
    method = request["method"]
    if method == "describe":
        print(json.dumps({"protocol": 1, "summary": "Counts rows aged 85+", "methods": ["requests", "observe"]}))
    elif method == "requests":
        print(json.dumps({"protocol": 1, "requests": [
            {"period": p["id"], "key": "export", "feed": "exports", "path": "/big.csv"} for p in request["periods"]]}))
    else:
        observations = []
        for period in request["periods"]:
            response = period["responses"]["export"]
            if "body_file" in response:
                with open(response["body_file"], encoding="utf-8") as body:
                    count = sum(1 for line in body if line.split(";")[1:2] == ["85+"])
                try:
                    # A careless plugin writes to its body file: it must not reach the recording.
                    with open(response["body_file"], "a") as body:
                        body.write("TAMPERED")
                except OSError:
                    pass
            else:
                count = sum(1 for line in response["body"].splitlines() if line.split(";")[1:2] == ["85+"])
            observations.append({"period": period["id"], "value": count})
        print(json.dumps({"protocol": 1, "observations": observations}))

    """

    @Test("an external plugin declared with `bodies: file` reads a large body from its file; inline, a body over 64 MB is refused")
    func externalPluginReadsALargeBodyFromItsFile() async throws {
        try await withTemporaryFolder(prefix: "pioneer-large-exec") { folder in
            func site(_ bodies: String) throws -> URL {
                let site = folder.appending(path: bodies).appending(path: "big")
                let plugins = site.appending(path: "plugins")
                try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
                let script = plugins.appending(path: "count85.py")
                try Self.countingPlugin.write(to: script, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
                try """
                site: { id: big, name: Large extracts, region: Loopback, wave: Test, focus: [large extracts] }
                feeds:
                  exports: { base_url: "http://127.0.0.1:9" }
                plugins:
                  count85: { kind: exec, command: plugins/count85.py, bodies: \(bodies) }
                indicators:
                  - { id: count85, name: Aged 85+, kind: outcome, value_type: count, unit: admissions, period: month, better: lower, plugin: count85, config: {} }

                """.write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
                return site
            }
            let config = folder.appending(path: "count85.yaml")
            try Self.indicatorEntry(id: "count85", plugin: "count85", config: "{}").write(to: config, atomically: true, encoding: .utf8)
            func recorded(_ name: String, blocks: Int) throws -> String {
                try Self.recordedCSV(name, blocks: blocks, in: folder)
            }
            let small = try recorded("small.csv", blocks: 1)
            let large = try recorded("large.csv", blocks: Self.blocks)
            let fileSite = try site("file")
            func test(_ file: String, site: URL) async throws -> (run: PioneerBinary.Run, peakKB: Int) {
                try await Self.measured(["plugin", "test", "count85", "--site", site.path, "--config", config.path,
                                         "--feed", "export=\(file)", "--period", "2026-06", "--format", "json"],
                                        environment: ProcessInfo.processInfo.environment)
            }
            func value(_ run: PioneerBinary.Run) -> Double? {
                let rows = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
                return rows?.first?["value"] as? Double
            }
            let baseline = try await test(small, site: fileSite)
            #expect(baseline.run.status == 0, "\(baseline.run.stderr)")
            #expect(value(baseline.run) == Double(Self.rowsPerBlock / 4))
            let recordedBefore = try Data(contentsOf: URL(fileURLWithPath: large))
            let measured = try await test(large, site: fileSite)
            #expect(measured.run.status == 0, "\(measured.run.stderr)")
            #expect(value(measured.run) == Double(Self.expectedCount))
            // The plugin was given a read-only copy (it had the recording itself, and wrote to it).
            #expect(try Data(contentsOf: URL(fileURLWithPath: large)) == recordedBefore, "the plugin changed the recorded file")
            // Inline, the 16 MB body would be held as text and again as the encoded request.
            let allowance = Self.csvSize / 1024 / 3
            #expect(measured.peakKB - baseline.peakKB < allowance,
                    "pioneer peaked at \(measured.peakKB) kB for the large body against \(baseline.peakKB) kB")

            // Inline, a body over 64 MB fails its period with the way out.
            let huge = try recorded("huge.csv", blocks: Self.blocks * 5)
            let size = (try FileManager.default.attributesOfItem(atPath: huge)[.size] as? NSNumber)?.intValue ?? 0
            let megabytes = (size + (1 << 19)) >> 20
            let inline = try await test(huge, site: try site("inline"))
            #expect(inline.run.status == 3, "\(inline.run.stdout) \(inline.run.stderr)")
            #expect(inline.run.stdout.contains("cannot pass the body of http://127.0.0.1:9/big.csv on: it is \(megabytes) MB, more than the 64 MB a plugin is given in its request; declare `bodies: file`"),
                    "\(inline.run.stdout)")
        }
    }
}
