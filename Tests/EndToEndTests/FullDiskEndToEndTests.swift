// A disk that really fills up (ENOSPC, not a limit on one file's size): the intake server's
// database and a measure store, each on a small tmpfs mounted in a user and mount namespace of
// their own (`unshare -Urm`), so no privilege is needed and nothing outside the test is touched.
// The server says its disk is full and stores nothing half-way; collect stops, keeping and
// naming what it stored. Where the system allows no user namespaces the suite is skipped.
import Foundation
import GRDB
import Hummingbird
import PioneerIntake
import PioneerReturns
import PioneerStore
import PioneerTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: FullDisk.available, "unshare -Urm is not allowed here: no small disk to fill"))
struct FullDiskEndToEndTests {
    @Test func theIntakeServerSaysItsDiskIsFullAndStoresNothingHalfWay() async throws {
        try await withTemporaryFolder(prefix: "pioneer-full-intake") { folder in
            let folder = folder.resolvingSymlinksInPath()
            let sites = ["torbay"]
            let programme = folder.appendingPathComponent("programme.yaml")
            try IntakeServeProcess.programme(sites: sites).write(to: programme, atomically: true, encoding: .utf8)
            let seed = folder.appendingPathComponent("seed.sqlite").path
            let token = try await IntakeServeProcess.token(site: "torbay", database: seed)
            let seedSize = FullDisk.size(ofDatabase: seed)
            let (mount, out) = try FullDisk.folders(in: folder)
            let database = mount.appendingPathComponent("intake.sqlite").path
            // Room for the database as it is and a few dozen returns more.
            let launcher = FullDisk.launcher(mount: mount, kilobytes: seedSize / 1024 + 1_024, copying: seed, to: database, out: out)
            let server = try await IntakeServeProcess.start(database: database, programme: programme.path, in: folder, launcher: launcher)

            var created: [String] = []
            var full: (status: Int, retryAfter: String?, body: String)?
            do {
                for version in 1...2_000 {
                    let bytes = try ReturnCoding.pretty(try AggregateEndToEndTests.siteReturn(
                        "torbay", plans: (Double(version), 100_000), admissions: (50, 20_000)))
                    let answer = try await server.post(token: token, body: bytes)
                    if answer.status == 201 {
                        created.append(answer.body)
                        continue
                    }
                    full = answer
                    break
                }
                // Still full: the next one is refused the same way, and the server still answers.
                let again = try await server.post(token: token, body: try ReturnCoding.pretty(
                    try AggregateEndToEndTests.siteReturn("torbay", plans: (1, 3), admissions: (50, 20_000))))
                #expect(again.status == 503, "\(again.body)")
                await server.stop()
            } catch {
                await server.stop()
                throw error
            }
            let refusal = try #require(full, "2,000 returns fitted on the small disk:\n\(server.output)")
            #expect(refusal.status == 503, "\(refusal.body)")
            #expect(refusal.retryAfter == "300")
            #expect(refusal.body.contains(#""error":"the server's disk is full, so nothing was stored; send it again once the office has made room""#),
                    "\(refusal.body)")
            #expect(created.count >= 5, "too few returns fitted before the disk was full: \(created.count)")

            // The database as the server left it on the full disk: sound, holding every return it
            // answered 201 for, each version once, and nothing else.
            let copy = out.appendingPathComponent("intake.sqlite").path
            let store = try IntakeStore(path: copy)
            #expect(try await store.integrityCheck() == ["ok"])
            let stored = try await store.submissions(site: "torbay", period: nil)
            #expect(stored.count == created.count, "answered 201: \(created.count); stored: \(stored.count)")
            #expect(stored.compactMap(\.version).sorted() == Array(1...created.count))
            await store.close()
        }
    }

    @Test func collectIntoAStoreOnAFullDiskStopsKeepingAndNamingWhatItStored() async throws {
        let router = Router()
        router.get("**") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"value": 7}"#)))
        }
        try await withLoopbackServer(router, label: "pioneer.full-disk.feed") { port in
            try await withTemporaryFolder(prefix: "pioneer-full-store") { folder in
                let folder = folder.resolvingSymlinksInPath()
                let site = folder.appendingPathComponent("full")
                try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
                try ManyIndicatorsSite.yaml("full", baseURL: "http://127.0.0.1:\(port)", count: 400)
                    .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
                let (mount, out) = try FullDisk.folders(in: folder)
                let store = mount.appendingPathComponent("store.sqlite").path
                let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
                let launcher = FullDisk.launcher(mount: mount, kilobytes: 300, copying: nil, to: nil, out: out)
                let run = try await PioneerBinary.run(
                    process: URL(fileURLWithPath: launcher[0]),
                    Array(launcher.dropFirst()) + [pioneer.path, "collect", site.path, "--period", "2026-05", "--store", store,
                                                   "--max-parallel", "8"])
                let reason = "measure store \(store): the disk is full"
                #expect(run.status == 3 || run.status == 1, "\(run.stdout)\n\(run.stderr)")
                let copy = out.appendingPathComponent("store.sqlite").path
                let reader = try MeasureStore(readingAt: copy)
                if let stopped = run.stdout.range(of: "Stopped: \(reason). ") {
                    // Stopped part-way: what it says it kept is what the store holds.
                    let kept = Int(run.stdout[stopped.upperBound...].prefix { $0.isNumber })
                    let count = try reader.measureCount()
                    #expect(kept != nil && kept == count, "\(run.stdout)")
                    #expect(run.stdout.contains(" not collected. Once the store can be written again, run the same command to finish."))
                } else {
                    // Filled by the very last write: all stored, the run not closed.
                    #expect(run.stdout.contains("Not closed: \(reason). Every indicator-period above is stored"), "\(run.stdout)\n\(run.stderr)")
                    #expect(try reader.measureCount() == 400)
                }
                #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("SQLite reported"), "\(run.stderr)")
                let integrity = try await DatabaseQueue(path: copy).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
                #expect(integrity == ["ok"])
            }
        }
    }

    @Test func aReturnOrReportWrittenToAFullDiskReplacesNothingAndLeavesNoPartFile() async throws {
        try await withTemporaryFolder(prefix: "pioneer-full-return") { folder in
            let folder = folder.resolvingSymlinksInPath()
            let stores = folder.appendingPathComponent("stores").path
            let demo = try await PioneerBinary.run(["demo", "--root", AggregateRoundTripEndToEndTests.sites, "--store-dir", stores])
            try #require(demo.status == 0, "pioneer demo failed:\n\(demo.stderr)")
            let (mount, out) = try FullDisk.folders(in: folder)
            let pioneer = try #require(PioneerBinary.url(), "build the pioneer executable first")
            // An earlier return on the disk, then a filler leaving a few KB: less than either file needs.
            let earlier = folder.appendingPathComponent("earlier.json").path
            try Data(#"{"earlier": true}"#.utf8).write(to: URL(fileURLWithPath: earlier))
            let output = mount.appendingPathComponent("torbay.json").path
            let report = mount.appendingPathComponent("torbay.html").path
            let site = AggregateRoundTripEndToEndTests.sites + "/torbay"
            let script = """
                dd if=/dev/zero of="$1/filler" bs=1k count=56 2>/dev/null || exit 96
                "$2" return "$3" --period 2026-03 --store-dir "$4" --allow-incomplete --output "$1/torbay.json" 2>"$5/return.err"
                echo $? > "$5/return.status"
                "$2" report "$3" --store-dir "$4" --output "$1/torbay.html" 2>"$5/report.err"
                echo $? > "$5/report.status"
                rm "$1/filler"
                """
            let launcher = FullDisk.launcher(mount: mount, kilobytes: 64, copying: earlier, to: output, out: out)
            let run = try await PioneerBinary.run(process: URL(fileURLWithPath: launcher[0]), Array(launcher.dropFirst())
                                                  + ["/bin/sh", "-c", script, "sh", mount.path, pioneer.path, site, stores, out.path])
            #expect(run.status == 0, "\(run.stderr)")
            let read = { (name: String) in (try? String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)) ?? "" }
            #expect(read("return.status") == "1\n")
            #expect(read("return.err") == "error: cannot write the return to \(output): cannot write it (the disk is full); nothing was replaced\n")
            #expect(read("report.status") == "1\n")
            #expect(read("report.err") == "error: cannot write the report to \(report): cannot write it (the disk is full); nothing was replaced\n")
            // The earlier return as it was, and no part-written file beside it.
            let left = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasSuffix(".err") && !$0.hasSuffix(".status") }
            #expect(left == ["torbay.json"], "\(left)")
            #expect(read("torbay.json") == #"{"earlier": true}"#)
        }
    }
}

/// A small tmpfs in a namespace of its own, for a command that must meet a full disk.
enum FullDisk {
    /// Whether this system lets an unprivileged process make a user and mount namespace and mount a tmpfs in it.
    static let available: Bool = {
        // On a folder of its own, so the check depends on no folder the system may lack.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-full-disk-check-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-Urm", "/bin/sh", "-c", #"mount -t tmpfs -o size=64k tmpfs "$1""#, "sh", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard let started = try? StartedProcess.start(process) else { return false }
        let end = started.exitBlocking(within: 30)
        return end.reason == .exit && end.status == 0
    }()

    /// `mount`, where the tmpfs goes, and `out`, where what is on it is copied when the command ends.
    static func folders(in folder: URL) throws -> (mount: URL, out: URL) {
        let mount = folder.appendingPathComponent("small-disk")
        let out = folder.appendingPathComponent("after")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        return (mount, out)
    }

    /// The bytes a SQLite database takes with its write-ahead log.
    static func size(ofDatabase path: String) -> Int {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }

    /// The program and arguments that run a command (given after them) on a tmpfs of `kilobytes`
    /// mounted at `mount`, after copying `source` to `destination` on it; when the command ends
    /// (SIGTERM is passed on to it), what the tmpfs holds is copied to `out`, and its status returned.
    static func launcher(mount: URL, kilobytes: Int, copying source: String?, to destination: String?, out: URL) -> [String] {
        let script = """
            mount=$1; size=$2; source=$3; destination=$4; out=$5; shift 5
            mount -t tmpfs -o size=${size}k tmpfs "$mount" || exit 97
            if [ -n "$source" ]; then cp "$source" "$destination" || exit 98; fi
            "$@" &
            child=$!
            trap 'kill -TERM $child' TERM INT
            wait $child
            status=$?
            # Interrupted by the trap: wait for the command itself to end.
            if kill -0 $child 2>/dev/null; then wait $child; status=$?; fi
            cp -a "$mount"/. "$out"/
            exit $status
            """
        return ["/usr/bin/unshare", "-Urm", "/bin/sh", "-c", script, "sh", mount.path, String(kilobytes),
                source ?? "", destination ?? "", out.path]
    }
}
