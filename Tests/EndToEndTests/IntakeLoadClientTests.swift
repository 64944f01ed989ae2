// The load test's client, `pioneer bench-intake`, against a real server: a warm-up left out of
// the figures but held to the database check, and the timeline it keeps for finding stalls.
import Foundation
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(3)))
struct IntakeLoadClientTests {
    static let sites = ["load-01", "load-02"]

    @Test func theWarmUpIsLeftOutOfTheFiguresButTheDatabaseMustHoldItAndTheTimelineListsTheMeasuredOnes() async throws {
        try await withTemporaryFolder(prefix: "pioneer-load-client") { folder in
            let (programme, database, tokens) = try await IntakeServeProcess.loadClientFiles(sites: Self.sites, in: folder)
            let timeline = folder.appendingPathComponent("timeline.txt")

            let server = try await IntakeServeProcess.start(database: database, programme: programme.path, in: folder)
            let run: PioneerBinary.Run
            do {
                run = try await PioneerBinary.run([
                    "bench-intake", "--to", server.baseURL, "--tokens", tokens.path, "--count", "12", "--warm-up", "6",
                    "--concurrency", "3", "--months", "4", "--indicators", "5", "--db", database, "--timeline", timeline.path,
                ])
                await server.stop()
            } catch {
                await server.stop()
                throw error
            }

            #expect(run.status == 0, "bench-intake failed:\n\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("warm-up (left out of the figures below): 6 sent, 6 answered 2xx; latency p50 "))
            #expect(run.stdout.contains("submissions: 12 sent of 12, 12 answered 2xx (201: 12), 0 without an answer"))
            // The database check covers the warm-up's submissions as well as the measured ones.
            #expect(run.stdout.contains("database: 18 accepted submissions stored (18 distinct digests) against 18 answered 2xx; lost 0"))
            #expect(run.stdout.contains("answered=12 sent=12 lost=0"))

            // One line per measured submission, in the order sent: seconds, milliseconds, status.
            let lines = try String(contentsOf: timeline, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 12)
            let fields = lines.map { $0.split(separator: " ") }
            #expect(fields.allSatisfy { $0.count == 3 && Double($0[0]) != nil && Double($0[1]) != nil && $0[2] == "201" })
            let sent = fields.compactMap { Double($0[0]) }
            #expect(sent == sent.sorted())
        }
    }

    @Test func aNegativeWarmUpIsRefusedByName() async throws {
        let run = try await PioneerBinary.run([
            "bench-intake", "--to", "http://127.0.0.1:9", "--tokens", "/nonexistent", "--warm-up=-1",
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--warm-up must be between 0 and 100000, got -1"))
    }
}
