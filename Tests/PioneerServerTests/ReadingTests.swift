// What sites and the office read back: the submissions (every version), a submission's bytes,
// a period's status, the national aggregate, and who may read which.
import Foundation
import PioneerIntake
import PioneerServer
import Testing

@Suite("Reading returns, status and the aggregate", .serialized)
struct ReadingTests {
    @Test(arguments: IntakeStore.Kind.allCases)
    func aSiteTokenListsOnlyItsOwnSubmissionsAndIsRefusedAnothersList(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            #expect(try await server.submit(try IntakeFixture.json("torbay"), token: try server.token("torbay")).status == 201)
            #expect(try await server.submit(try IntakeFixture.json("cambridge"), token: try server.token("cambridge")).status == 201)

            let own = try await server.send("GET", "/v1/returns", token: try server.token("torbay"))
            #expect(own.status == 200)
            #expect(try own.decode(IntakeTestServer.SubmissionList.self).submissions.map(\.site) == ["torbay"])

            let other = try await server.send("GET", "/v1/returns?site=cambridge", token: try server.token("torbay"))
            #expect(other.status == 403, "\(other.text)")
            #expect(try other.decode(HTTPAnswer.ErrorBody.self).error
                == "a site token can read only its own site's returns; this token is torbay's")

            let everyone = try await server.send("GET", "/v1/returns?period=2026-03", token: server.officeToken)
            #expect(Set(try everyone.decode(IntakeTestServer.SubmissionList.self).submissions.compactMap(\.site)) == ["torbay", "cambridge"])
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aSubmissionsBytesComeBackExactlyAsReceived(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let bytes = try IntakeFixture.json("torbay")
            let summary = try await server.submit(bytes, token: try server.token("torbay")).decode(ImportSummary.self)
            let id = try #require(summary.submission)

            let own = try await server.send("GET", "/v1/returns/\(id)", token: try server.token("torbay"))
            #expect(own.status == 200)
            #expect(Array(own.body) == bytes)
            #expect(own.header("Content-Type") == "application/json")
            #expect(own.header("Digest-SHA256") == summary.digest)

            #expect(try await server.send("GET", "/v1/returns/\(id)", token: server.officeToken).body == Data(bytes))
            let other = try await server.send("GET", "/v1/returns/\(id)", token: try server.token("cambridge"))
            #expect(other.status == 403, "\(other.text)")
            let missing = try await server.send("GET", "/v1/returns/no-such-id", token: server.officeToken)
            #expect(missing.status == 404)
            #expect(try missing.decode(HTTPAnswer.ErrorBody.self).error == "there is no submission with the id `no-such-id`")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aMalformedSubmissionsBytesComeBackAsPlainBytesNotAsJSON(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            // Not UTF-8, sent as JSON: stored as sent, and not passed off as JSON when read back.
            let bytes: [UInt8] = [0x7B, 0xFF, 0xFE, 0x22, 0x7D]
            let answer = try await server.submit(bytes, token: try server.token("torbay"))
            #expect(answer.status == 400, "\(answer.text)")
            let id = try #require(try answer.decode(ImportSummary.self).submission)
            let stored = try await server.send("GET", "/v1/returns/\(id)", token: try server.token("torbay"))
            #expect(stored.status == 200)
            #expect(Array(stored.body) == bytes)
            #expect(stored.header("Content-Type") == "application/octet-stream")
            // Text that is not XML, sent as ADX: not passed off as XML either (it was).
            let text = Array("this is not XML <<<".utf8)
            let adx = try await server.submit(text, token: try server.token("torbay"), contentType: "application/xml")
            #expect(adx.status == 400, "\(adx.text)")
            let adxID = try #require(try adx.decode(ImportSummary.self).submission)
            let storedADX = try await server.send("GET", "/v1/returns/\(adxID)", token: try server.token("torbay"))
            #expect(Array(storedADX.body) == text)
            #expect(storedADX.header("Content-Type") == "application/octet-stream")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theStatusListsEveryExpectedSiteAndASiteSeesOnlyItsOwnRow(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(now: IntakeFixture.afterSoftDeadline, store: kind) { server in
            server.clock.set(IntakeFixture.onTime)
            #expect(try await server.submit(try IntakeFixture.json("torbay"), token: try server.token("torbay")).status == 201)
            server.clock.set(IntakeFixture.afterSoftDeadline)
            #expect(try await server.submit(try IntakeFixture.json("cambridge"), token: try server.token("cambridge")).status == 201)

            let office = try await server.send("GET", "/v1/status?period=2026-03", token: server.officeToken)
            #expect(office.status == 200, "\(office.text)")
            let status = try office.decode(PeriodStatus.self)
            #expect(status.period == "2026-03" && status.softDeadline == "2026-04-15" && status.hardDeadline == "2026-04-30")
            #expect(status.sites.map(\.site) == IntakeFixture.sites)
            #expect(status.sites.map(\.status) == ["on time", "awaited", "late", "awaited"])
            #expect(status.sites.map(\.version) == [1, nil, 1, nil])

            let site = try await server.send("GET", "/v1/status?period=2026-03", token: try server.token("torbay"))
            #expect(try site.decode(PeriodStatus.self).sites.map(\.site) == ["torbay"])

            // Without ?period=, the latest period due on the server's clock: March on 20 April.
            let latest = try await server.send("GET", "/v1/status", token: server.officeToken)
            #expect(try latest.decode(PeriodStatus.self).period == "2026-03")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aPeriodThatIsNotOneOrNotCollectedIs400(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let nonsense = try await server.send("GET", "/v1/status?period=soon", token: server.officeToken)
            #expect(nonsense.status == 400)
            #expect(try nonsense.decode(HTTPAnswer.ErrorBody.self).error.hasPrefix("period: `soon` is not a period"))
            let week = try await server.send("GET", "/v1/aggregate?period=2026-W10", token: server.officeToken)
            #expect(week.status == 400)
            #expect(try week.decode(HTTPAnswer.ErrorBody.self).error
                == "period: 2026-W10 (ISO week) is not a reporting period of the programme pioneers, which collects returns for: month, calendar quarter")
            let listing = try await server.send("GET", "/v1/returns?period=soon", token: server.officeToken)
            #expect(listing.status == 400)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theAggregateIsTheOfficesAndPoolsTheCountingVersions(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            for (site, plans) in [("torbay", (30.0, 100.0)), ("cambridge", (200.0, 1000.0))] {
                #expect(try await server.submit(try IntakeFixture.json(site, plans: plans), token: try server.token(site)).status == 201)
            }
            let answer = try await server.send("GET", "/v1/aggregate?period=2026-03", token: server.officeToken)
            #expect(answer.status == 200, "\(answer.text)")
            let json = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
            #expect(json["period"] as? String == "2026-03")
            #expect(json["accepted"] as? [String] == ["torbay", "cambridge"])
            let indicators = try #require(json["indicators"] as? [[String: Any]])
            let plans = try #require(indicators.first { $0["id"] as? String == "care-plans" })
            let pooled = try #require(plans["pooled"] as? [String: Any])
            // Σ numerators ÷ Σ denominators: 230 / 1100.
            #expect(abs((pooled["value"] as? Double ?? 0) - 230.0 / 1100.0) < 1e-9, "\(pooled)")

            let site = try await server.send("GET", "/v1/aggregate?period=2026-03", token: try server.token("torbay"))
            #expect(site.status == 403)
            #expect(try site.decode(HTTPAnswer.ErrorBody.self).error
                == "this needs an office token; a site token can submit and read only its own site's returns")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theDashboardAsksABrowserForTheOfficeTokenAndShowsTheStatusGrid(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            #expect(try await server.submit(try IntakeFixture.json("torbay"), token: try server.token("torbay")).status == 201)

            let asked = try await server.sendRaw("GET", "/")
            #expect(asked.status == 401)
            #expect(asked.header("WWW-Authenticate") == #"Basic realm="pioneer", charset="UTF-8""#)

            let basic = "Basic " + Data("office:\(server.officeToken)".utf8).base64EncodedString()
            let page = try await server.send("GET", "/?period=2026-03", authorization: basic)
            #expect(page.status == 200, "\(page.text.prefix(500))")
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains("<th scope=\"row\">torbay</th>"))
            #expect(page.text.contains("<span class=\"status on-time\">on time</span>"))
            #expect(page.text.contains("<span class=\"status awaited\">awaited</span>"))
            #expect(!page.text.contains("<script"))

            #expect(try await server.send("GET", "/", token: server.officeToken).status == 200)
            #expect(try await server.send("GET", "/", token: try server.token("torbay")).status == 403)
        }
    }
}
