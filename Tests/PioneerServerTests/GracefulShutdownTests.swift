// A graceful shutdown (what SIGTERM and SIGINT start in `pioneer serve`) lets a submission
// under way finish: its body is read, its transaction commits, its answer is sent, and only
// then does the server stop. New connections are refused meanwhile.
import Foundation
import PioneerIntake
import PioneerServer
import PioneerTesting
import Testing

@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    @Test func aSubmissionUnderWayWhenTheServerIsToldToStopStillCompletes() async throws {
        try await withTemporaryFolder(prefix: "pioneer-shutdown") { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            let store = try await onOwnThread { try IntakeStore(path: path) }
            let token = try await store.createToken(role: .site, site: "torbay").token
            let server = IntakeServer(store: store, programme: IntakeFixture.programme,
                                      configuration: IntakeServerConfiguration(port: 0, requestTimeout: .seconds(90)),
                                      clock: { IntakeFixture.onTime })
            let running = try await server.start()

            let bytes = try IntakeFixture.json("torbay")
            let half = bytes.count / 2
            let connection = try RawHTTPConnection(port: running.port)
            defer { connection.close() }
            try connection.send("POST /v1/returns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                                + "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\r\n")
            try connection.send(String(decoding: bytes[..<half], as: UTF8.self))
            try await Task.sleep(for: .milliseconds(200))

            // Stop while half the body is still to come.
            let stopping = Task { await running.stop() }
            // The listener closes once shutdown begins: a new connection is refused. Under the
            // whole suite on two cores shutting down can take seconds, so the test waits up to 30.
            var refused = false
            for _ in 0..<300 where !refused {
                try await Task.sleep(for: .milliseconds(100))
                do {
                    try RawHTTPConnection(port: running.port).close()
                } catch {
                    refused = true
                }
            }
            #expect(refused, "a new connection was still accepted 30 s after shutdown began")
            try connection.send(String(decoding: bytes[half...], as: UTF8.self))
            let answer = await connection.readResponse(timeout: .seconds(60))
            #expect(answer.hasPrefix("HTTP/1.1 201"), "\(answer.prefix(300))")
            await stopping.value

            let stored = try await store.submissions(site: "torbay", period: "2026-03")
            #expect(stored.map(\.version) == [1])
            #expect(try await store.integrityCheck() == ["ok"])
        }
    }
}
