// POST /v1/returns against a real server and store: each case checks the status code, the
// import summary and the versions stored (GET /v1/returns), as the issue lists them.
import Foundation
import PioneerIntake
import PioneerReturns
import PioneerServer
import Testing

@Suite("Submitting returns", .serialized)
struct SubmissionTests {
    @Test(arguments: IntakeStore.Kind.allCases)
    func aFirstSubmissionIsStoredAsVersionOneAndCounts(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let answer = try await server.submit(try IntakeFixture.json("torbay"), token: try server.token("torbay"))
            #expect(answer.status == 201, "\(answer.text)")
            let summary = try answer.decode(ImportSummary.self)
            #expect(summary.status == .accepted)
            #expect(summary.site == "torbay" && summary.period == "2026-03" && summary.version == 1)
            #expect(!summary.duplicate && !summary.late)
            #expect(summary.accepted == 2 && summary.rejected == 0)
            #expect(summary.values.map(\.indicator).sorted() == ["admissions", "care-plans"])
            #expect(summary.digest.hasPrefix("sha256:") && summary.digest.count == 7 + 64)
            #expect(answer.header("X-Request-Id")?.isEmpty == false)

            let stored = try await server.stored("torbay")
            #expect(stored.map(\.version) == [1])
            #expect(stored.first?.counts == true && stored.first?.id == summary.submission)
            #expect(stored.first?.digest == summary.digest)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aResubmissionBecomesVersionTwoAndTheLatestCounts(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let token = try server.token("torbay")
            let first = try await server.submit(try IntakeFixture.json("torbay", plans: (30, 100)), token: token)
            let second = try await server.submit(try IntakeFixture.json("torbay", plans: (35, 100)), token: token)
            #expect(first.status == 201 && second.status == 201, "\(second.text)")
            #expect(try second.decode(ImportSummary.self).version == 2)

            let stored = try await server.stored("torbay")
            #expect(stored.map(\.version) == [1, 2])
            #expect(stored.map(\.counts) == [false, true])
            // The aggregate takes the version that counts.
            let aggregate = try await server.send("GET", "/v1/aggregate?period=2026-03", token: server.officeToken)
            #expect(aggregate.status == 200, "\(aggregate.text)")
            #expect(aggregate.text.contains("\"numerator\":35"), "the aggregate should use version 2 (35 of 100): \(aggregate.text.prefix(800))")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theSameBytesTwiceAreOneVersionAnsweredAgain(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let token = try server.token("torbay"), bytes = try IntakeFixture.json("torbay")
            let first = try await server.submit(bytes, token: token)
            let again = try await server.submit(bytes, token: token)
            #expect(first.status == 201)
            #expect(again.status == 200, "\(again.text)")
            let original = try first.decode(ImportSummary.self), repeated = try again.decode(ImportSummary.self)
            #expect(repeated.duplicate)
            #expect(repeated.version == 1 && repeated.submission == original.submission && repeated.digest == original.digest)
            #expect(try await server.stored("torbay").count == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aSubmissionAfterTheSoftDeadlineIsAcceptedAndMarkedLate(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(now: IntakeFixture.afterSoftDeadline, store: kind) { server in
            let answer = try await server.submit(try IntakeFixture.json("torbay"), token: try server.token("torbay"))
            #expect(answer.status == 201, "\(answer.text)")
            let summary = try answer.decode(ImportSummary.self)
            #expect(summary.late)
            #expect(summary.status != .rejected)
            #expect(try await server.stored("torbay").map(\.late) == [true])

            let status = try await server.send("GET", "/v1/status?period=2026-03", token: server.officeToken)
            let torbay = try status.decode(PeriodStatus.self).sites.first { $0.site == "torbay" }
            #expect(torbay?.status == "late")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aSiteTokenCannotSubmitAnotherSitesReturn(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let answer = try await server.submit(try IntakeFixture.json("tower-hamlets"), token: try server.token("torbay"))
            #expect(answer.status == 403, "\(answer.text)")
            let summary = try answer.decode(ImportSummary.self)
            #expect(summary.status == .rejected)
            #expect(summary.problems.contains { $0.contains("tower-hamlets") })
            // Stored, as every submission is, but no version of tower-hamlets' return counts.
            #expect(try await server.stored("tower-hamlets").allSatisfy { !$0.counts && $0.status == .rejected })
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func noTokenAndAnUnknownTokenGetTheSame401ThatNamesNeither(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let bytes = try IntakeFixture.json("torbay")
            let unknown = "pio_" + String(repeating: "A", count: 43)
            let answers = [
                try await server.submit(bytes, token: nil),
                try await server.submit(bytes, token: unknown),
                try await server.submit(bytes, token: nil, contentType: "application/json"),
                try await server.send("POST", "/v1/returns", authorization: "Basic " + Data("x:\(try server.token("torbay"))".utf8).base64EncodedString(),
                                      contentType: "application/json", body: bytes),
            ]
            for answer in answers {
                #expect(answer.status == 401, "\(answer.text)")
                #expect(answer.header("WWW-Authenticate") == #"Bearer realm="pioneer""#)
                let error = try answer.decode(HTTPAnswer.ErrorBody.self)
                #expect(error.error == "a valid token is needed: send it as `Authorization: Bearer <token>`")
                #expect(error.requestId == answer.header("X-Request-Id"))
                #expect(!answer.text.contains(unknown) && !answer.text.contains("pio_"))
            }
            #expect(try await server.stored("torbay").isEmpty)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aRevokedTokenIsRefusedAtOnce(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let token = try server.token("torbay")
            #expect(try await server.submit(try IntakeFixture.json("torbay"), token: token).status == 201)
            let id = try #require(server.siteTokenIDs["torbay"]), store = server.store
            _ = try await store.revokeToken(id: id)
            let answer = try await server.submit(try IntakeFixture.json("torbay", plans: (40, 100)), token: token)
            #expect(answer.status == 401, "\(answer.text)")
            #expect(try answer.decode(HTTPAnswer.ErrorBody.self).error.hasPrefix("a valid token is needed"))
            #expect(try await server.stored("torbay").count == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aBodyOverTheLimitIs413BeforeAnythingIsStored(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(maximumBodySize: 2_000, store: kind) { server in
            let bytes = try IntakeFixture.json("torbay")
            #expect(bytes.count > 2_000)
            let answer = try await server.submit(bytes, token: try server.token("torbay"))
            #expect(answer.status == 413, "\(answer.text)")
            let error = try answer.decode(HTTPAnswer.ErrorBody.self)
            #expect(error.error == "the body is \(bytes.count) bytes; this server accepts at most 2 kB (pioneer serve --max-body)")
            #expect(try await server.stored("torbay").isEmpty)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func malformedJSONIs400AndSaysWhereItBroke(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let bytes = Array("{\n  \"schemaVersion\": 1,\n  \"site\": }\n".utf8)
            let answer = try await server.submit(bytes, token: try server.token("torbay"))
            #expect(answer.status == 400, "\(answer.text)")
            let summary = try answer.decode(ImportSummary.self)
            #expect(summary.status == .rejected && summary.version == nil && summary.period == nil)
            let problem = try #require(summary.problems.first)
            #expect(problem.contains("line 3") && problem.contains("column"), "\(problem)")
            // Stored all the same, with the caller's site and no version.
            let all = try await server.send("GET", "/v1/returns?site=torbay", token: server.officeToken)
            let records = try all.decode(IntakeTestServer.SubmissionList.self).submissions
            #expect(records.count == 1 && records.first?.version == nil && records.first?.status == .rejected)
        }
    }

    @Test func jsonThatIsNotAReturnIs400WhateverItLacksAndAnUnknownVersionIs422() async throws {
        try await IntakeTestServer.with { server in
            // `{}` was a 422 and `{"schemaVersion": 1}` a 400: both are JSON that is not a return.
            for body in ["{}", #"{"a": "x"}"#, #"{"schemaVersion": 1}"#, #"{"resourceType": "Bundle"}"#] {
                let answer = try await server.submit(Array(body.utf8), token: try server.token("torbay"))
                #expect(answer.status == 400, "\(body): \(answer.text)")
            }
            let newer = try await server.submit(Array(#"{"schemaVersion": 2}"#.utf8), token: try server.token("torbay"))
            #expect(newer.status == 422, "\(newer.text)")
            // A compressed body: refused before anything is stored (it was stored, and rejected, as the return's bytes).
            let gzipped = try await server.send("POST", "/v1/returns", token: try server.token("torbay"), contentType: "application/json",
                                                headers: ["Content-Encoding": "gzip"], body: [0x1F, 0x8B, 0x08, 0x00])
            #expect(gzipped.status == 415, "\(gzipped.text)")
            #expect(try gzipped.decode(HTTPAnswer.ErrorBody.self).error == "a return is sent as it is, without a Content-Encoding; this request has Content-Encoding `gzip`")
            // Compressed as a transfer coding before chunking: it was stored as malformed bytes.
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let raw = try RawHTTPConnection(port: port)
            defer { raw.close() }
            try raw.send("POST /v1/returns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(try server.token("torbay"))\r\n"
                         + "Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4\r\n\u{1F}xyz\r\n0\r\n\r\n")
            let transferred = await raw.readResponse(timeout: .seconds(20))
            #expect(transferred.hasPrefix("HTTP/1.1 415"), "\(transferred)")
            #expect(transferred.contains("this request has Transfer-Encoding `gzip`"), "\(transferred)")
            let stored = try await server.send("GET", "/v1/returns?site=torbay", token: server.officeToken)
            #expect(try stored.decode(IntakeTestServer.SubmissionList.self).submissions.count == 5, "the five answered bodies, not the compressed ones")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aTamperedReturnIs422ForItsDigest(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            var tampered = try IntakeFixture.siteReturn("torbay")
            tampered.indicators[0].measures[0].numerator = 90
            tampered.indicators[0].measures[0].value = 0.9
            let answer = try await server.submit(Array(try ReturnCoding.pretty(tampered)), token: try server.token("torbay"))
            #expect(answer.status == 422, "\(answer.text)")
            let summary = try answer.decode(ImportSummary.self)
            #expect(summary.status == .rejected)
            #expect(summary.problems.contains { $0.contains("digest") }, "\(summary.problems)")
            #expect(try await server.stored("torbay").allSatisfy { !$0.counts })
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aSiteTheProgrammeDoesNotExpectIs422(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let answer = try await server.submit(try IntakeFixture.json("nowhere"), token: server.officeToken)
            #expect(answer.status == 422, "\(answer.text)")
            let summary = try answer.decode(ImportSummary.self)
            #expect(summary.status == .rejected)
            #expect(summary.problems.contains { $0.contains("nowhere") }, "\(summary.problems)")
            #expect(try await server.stored("nowhere").allSatisfy { !$0.counts })
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anotherContentTypeIs415AndSaysWhatToSend(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let answer = try await server.submit(try IntakeFixture.json("torbay"), token: try server.token("torbay"), contentType: "text/csv")
            #expect(answer.status == 415, "\(answer.text)")
            #expect(try answer.decode(HTTPAnswer.ErrorBody.self).error
                == "a return is sent as application/json, or as application/xml (or application/adx+xml) for ADX; this request has Content-Type `text/csv`")
            #expect(try await server.stored("torbay").isEmpty)
        }
    }

    @Test(arguments: [
        ("billion laughs", """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
        <adx xmlns="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ISO:ADX(1.0)"><group orgUnit="&lol3;"/></adx>
        """),
        ("external entity", """
        <?xml version="1.0"?>
        <!DOCTYPE adx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <adx xmlns="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ISO:ADX(1.0)"><group orgUnit="&secret;"/></adx>
        """),
    ])
    func xmlWithADoctypeIs400AndNothingIsExpanded(name: String, xml: String) async throws {
        try await IntakeTestServer.with { server in
            let answer = try await server.submit(Array(xml.utf8), token: try server.token("torbay"), contentType: "application/xml")
            #expect(answer.status == 400, "\(name): \(answer.text)")
            let summary = try answer.decode(ImportSummary.self)
            #expect(summary.status == .rejected && summary.version == nil)
            #expect(summary.problems.contains { $0.contains("DOCTYPE") }, "\(name): \(summary.problems)")
            #expect(!answer.text.contains("root:") && !answer.text.contains("lollol"))
        }
    }
}
