// PioneerTesting's helpers: the local HTTP feed server and the harness's own checks.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JSONPlugin
import PioneerKit
import PioneerExtraction
import PioneerTesting
import Testing

@Suite("PioneerTesting")
struct PioneerTestingTests {
    @Test(.timeLimit(.minutes(3)))
    func localFeedServerServesRoutesOn127001AndLogsRequests() async throws {
        let server = LocalFeedServer(routes: [
            "/admissions": .json(#"{"total": 12}"#),
            "/admissions?month=2026-05": .status(503, body: "down for maintenance"),
        ])
        try await server.run { baseURL in
            #expect(baseURL.hasPrefix("http://127.0.0.1:"))
            let (body, ok) = try await fetch("\(baseURL)/admissions?month=2026-06")
            #expect(ok.statusCode == 200)
            #expect(ok.value(forHTTPHeaderField: "Content-Type") == "application/json")
            #expect(String(decoding: body, as: UTF8.self) == #"{"total": 12}"#)
            let (down, unavailable) = try await fetch("\(baseURL)/admissions?month=2026-05")
            #expect(unavailable.statusCode == 503)
            #expect(String(decoding: down, as: UTF8.self) == "down for maintenance")
            let (missing, notFound) = try await fetch("\(baseURL)/nothing")
            #expect(notFound.statusCode == 404)
            #expect(String(decoding: missing, as: UTF8.self).hasPrefix("no route for /nothing; routes: /admissions"))
        }
        #expect(await server.requests == ["/admissions?month=2026-06", "/admissions?month=2026-05", "/nothing"])
    }

    @Test(.timeLimit(.minutes(3)))
    func withLocalFeedServerStopsTheServerAfterwards() async throws {
        let baseURL = try await withLocalFeedServer(["/x": "hello"]) { baseURL in
            let (body, _) = try await fetch("\(baseURL)/x")
            #expect(String(decoding: body, as: UTF8.self) == "hello")
            return baseURL
        }
        await #expect(throws: (any Error).self) {
            _ = try await fetch("\(baseURL)/x")
        }
    }

    @Test func harnessRejectsBodiesThePluginDidNotAskFor() throws {
        let harness = try PluginHarness(JSONIndicatorPlugin.self, config: ["feed": "bi", "path": "/t", "select": "$.total"])
        #expect {
            try harness.run(.month(2026, 6), bodies: ["doc": "{}"])
        } throws: { error in
            (error as? HarnessError)?.message == "the `json` plugin asked for `document` (feed `bi`, /t) but the test gave bodies only for `doc`"
        }
    }

    @Test func harnessThrowsTheConfigurationIssues() {
        #expect {
            _ = try PluginHarness(JSONIndicatorPlugin.self, config: ["feed": "bi", "path": "/t"])
        } throws: { error in
            (error as? ConfigError)?.description == "<test>: error: config.select: missing required key `select`"
        }
    }

    @Test func harnessURLsFillThePeriodAndEncodeTheQuery() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "/a?q={period}", query: ["band": "65+", "to": "{period.end}"])
        #expect(try PluginHarness<JSONIndicatorPlugin>.url(for: request, period: .financialQuarter(2026, 1))
                == "http://bi.test/a?q=FY2026-27%20Q1&band=65%2B&to=2026-06-30")
    }

    private func fetch(_ address: String) async throws -> (Data, HTTPURLResponse) {
        guard let url = URL(string: address) else { throw HarnessError("bad URL \(address)") }
        var request = URLRequest(url: url)
        // Generous: the whole suite runs at once, and a loaded machine must not turn a slow answer into a failure.
        request.timeoutInterval = 60
        // A new connection each time: the test of the server's end must not ride a kept-alive one.
        request.setValue("close", forHTTPHeaderField: "Connection")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw HarnessError("not an HTTP response") }
        return (data, http)
    }
}
