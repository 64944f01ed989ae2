// The SQLite store's write-ahead log is copied into the database file by a thread of its own,
// while the store stays open and before SQLite's own checkpoint (at 1,000 pages) would run.
import Foundation
import PioneerIntake
import PioneerTesting
import Testing

@Suite("SQLite log checkpoints")
struct WALCheckpointTests {
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    @Test func theLogIsCopiedIntoTheFileWhileTheStoreStaysOpen() async throws {
        try await withTemporaryFolder(prefix: "pioneer-wal") { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            let store = try IntakeStore(path: path)
            let service = IntakeService(store: store, programme: IntakeFixture.programme,
                                        clock: TestClock(IntakeFixture.at("2026-04-10")).function)
            // Let the thread copy what opening wrote, then measure the file.
            try await Task.sleep(for: .milliseconds(500))
            let before = Self.size(path)
            for made in 0..<5 {
                let bytes = try IntakeFixture.bytes("a", made: "2026-04-10T0\(made):00:00.000Z")
                let outcome = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
                #expect(outcome.kind == .created)
            }
            // Far fewer than 1,000 pages: only the checkpoint thread copies them into the file.
            #expect(Self.size(path + "-wal") < 1_000 * 4_096)
            var grown = false
            for _ in 0..<100 where !grown {
                try await Task.sleep(for: .milliseconds(50))
                grown = Self.size(path) > before
            }
            #expect(grown, "the database file stayed at \(before) bytes: the log was not copied into it")
            #expect(try await store.submissions(site: "a", period: nil).map(\.version) == [1, 2, 3, 4, 5])
            await store.close()
            #expect(try await IntakeStore(path: path).integrityCheck() == ["ok"])
        }
    }
}
