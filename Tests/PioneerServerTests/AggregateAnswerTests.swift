// The office's `GET /v1/aggregate` answer, written by the aggregate's own JSON writer: the
// same bytes JSONEncoder (sorted keys, slashes unescaped) writes for the same aggregate.
import Foundation
import PioneerAggregate
import PioneerIntake
import Testing

@Suite("The aggregate answer's bytes", .serialized, .timeLimit(.minutes(5)))
struct AggregateAnswerTests {
    @Test(arguments: IntakeStore.Kind.allCases)
    func theAggregateAnswerIsTheBytesJSONEncoderWritesForTheSameAggregate(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            for (site, plans) in [("torbay", (30.0, 100.0)), ("cambridge", (200.0, 1000.0)), ("northumbria", (0.1 + 0.2, 3.0))] {
                #expect(try await server.submit(try IntakeFixture.json(site, plans: plans), token: try server.token(site)).status == 201)
            }
            let answer = try await server.send("GET", "/v1/aggregate?period=2026-03", token: server.officeToken)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.header("Content-Type") == "application/json; charset=utf-8")
            // Doubles come back from their shortest text exactly, so encoding what was read gives
            // JSONEncoder's bytes for the aggregate the server wrote.
            let national = try JSONDecoder().decode(NationalAggregate.self, from: answer.body)
            #expect(national.indicators.contains { $0.funnel != nil })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            #expect(Array(answer.body) == Array(try encoder.encode(national)))
        }
    }
}
