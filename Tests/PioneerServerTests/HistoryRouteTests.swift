// GET /v1/history: the pooled national series up to a period, in the JSON `pioneer aggregate
// --history --format json` gives as its `history`, for the office only, with `periods` checked.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerIntake
import PioneerKit
import PioneerServer
import Testing

@Suite("The history route", .serialized, .timeLimit(.minutes(5)))
struct HistoryRouteTests {
    @Test(arguments: IntakeStore.Kind.allCases)
    func theHistoryIsTheServicesSeriesInPioneerAggregatesJSON(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            for site in ["torbay", "cambridge"] {
                #expect(try await server.submit(try IntakeFixture.json(site), token: try server.token(site)).status == 201)
            }
            let answer = try await server.send("GET", "/v1/history?period=2026-03&periods=36", token: server.officeToken)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.header("Content-Type") == "application/json; charset=utf-8")

            let service = IntakeService(store: server.store, programme: IntakeFixture.programme, clock: { IntakeFixture.onTime })
            let history = try await service.history(period: IntakeFixture.march, options: FunnelOptions(), periods: 36)
            #expect(answer.text == (try ReportJSON.encode(history)) + "\n")
            #expect(history.series.map(\.indicator).contains("care-plans"))
            #expect(answer.text.contains("\"period_type\" : \"month\""), "snake_case keys, as pioneer aggregate writes them")
        }
    }

    @Test func aBadNumberOfPeriodsIsRefusedWithWhatIsAllowed() async throws {
        try await IntakeTestServer.with { server in
            for text in ["0", "121", "many", "-3", "2.5"] {
                let answer = try await server.send("GET", "/v1/history?period=2026-03&periods=\(text)", token: server.officeToken)
                #expect(answer.status == 400, "\(text): \(answer.text)")
                #expect(try answer.decode(HTTPAnswer.ErrorBody.self).error == "periods: `\(text)` is not a number of periods from 1 to 120")
            }
            #expect(try await server.send("GET", "/v1/history", token: server.officeToken).status == 200)
            #expect(try await server.send("GET", "/v1/history?period=never", token: server.officeToken).status == 400)
            #expect(try await server.send("GET", "/v1/history", token: try server.token("torbay")).status == 403)
            #expect(try await server.send("GET", "/v1/history").status == 401)
        }
    }
}
