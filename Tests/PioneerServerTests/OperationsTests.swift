// What the people running the service rely on: /health, /metrics, a request id on every
// answer and in every log line, logs without tokens or bodies, and the request timeout.
import Foundation
import GRDB
import Logging
import PioneerIntake
import PioneerServer
import Testing

@Suite("Running the service", .serialized)
struct OperationsTests {
    @Test(arguments: IntakeStore.Kind.allCases)
    func healthChecksTheDatabaseAndNeedsNoToken(kind: IntakeStore.Kind) async throws {
        try await IntakeTestServer.with(store: kind) { server in
            let answer = try await server.send("GET", "/health")
            #expect(answer.status == 200)
            #expect(answer.text == #"{"status":"ok"}"#)
        }
    }

    @Test func metricsCountSubmissionsByOutcomeAndTimeRequests() async throws {
        try await IntakeTestServer.with { server in
            let token = try server.token("torbay"), bytes = try IntakeFixture.json("torbay")
            _ = try await server.submit(bytes, token: token)
            _ = try await server.submit(bytes, token: token)
            _ = try await server.submit(Array("{".utf8), token: token)
            _ = try await server.submit(try IntakeFixture.json("cambridge"), token: token)

            let answer = try await server.send("GET", "/metrics")
            #expect(answer.status == 200)
            #expect(answer.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let text = answer.text
            for line in [
                #"pioneer_submissions_total{outcome="created"} 1"#,
                #"pioneer_submissions_total{outcome="duplicate"} 1"#,
                #"pioneer_submissions_total{outcome="malformed"} 1"#,
                #"pioneer_submissions_total{outcome="forbidden"} 1"#,
                #"pioneer_submissions_total{outcome="unprocessable"} 0"#,
                "pioneer_store_errors_total 0",
                #"pioneer_http_requests_total{method="POST",route="/v1/returns",status="201"} 1"#,
            ] {
                #expect(text.contains(line + "\n"), "no line `\(line)` in:\n\(text)")
            }
            #expect(text.contains("# TYPE pioneer_http_request_duration_seconds histogram"))
            #expect(text.contains(#"pioneer_http_request_duration_seconds_count{method="POST",route="/v1/returns",status="403"} 1"#))
        }
    }

    @Test func everyAnswerCarriesARequestIdTheCallersWhenUsable() async throws {
        try await IntakeTestServer.with { server in
            let echoed = try await server.send("GET", "/health", headers: ["X-Request-Id": "site-torbay.42"])
            #expect(echoed.header("X-Request-Id") == "site-torbay.42")
            let replaced = try await server.send("GET", "/health", headers: ["X-Request-Id": "has spaces and ; semicolons"])
            let fresh = try #require(replaced.header("X-Request-Id"))
            #expect(fresh != "has spaces and ; semicolons" && UUID(uuidString: fresh) != nil)
            let notFound = try await server.send("GET", "/v2/nothing", headers: ["X-Request-Id": "lost-1"])
            #expect(notFound.status == 404)
            #expect(notFound.header("X-Request-Id") == "lost-1")
            #expect(try notFound.decode(HTTPAnswer.ErrorBody.self) == .init(
                error: "there is nothing at this address; the API is described in openapi/intake.yaml", requestId: "lost-1"))
        }
    }

    @Test func theLogHasTheRequestIdOnEveryLineAndNoTokenOrBody() async throws {
        let log = CapturedLog()
        try await IntakeTestServer.with(logger: log.logger()) { server in
            let token = try server.token("torbay")
            _ = try await server.send("POST", "/v1/returns", token: token, contentType: "application/json",
                                      headers: ["X-Request-Id": "submit-1"], body: try IntakeFixture.json("torbay"))
            _ = try await server.send("POST", "/v1/returns", token: "pio_not-a-real-token", contentType: "application/json",
                                      headers: ["X-Request-Id": "submit-2"], body: try IntakeFixture.json("torbay"))
            _ = try await server.send("GET", "/", authorization: "Basic " + Data("office:\(server.officeToken)".utf8).base64EncodedString(),
                                      headers: ["X-Request-Id": "dashboard-1"])

            let lines = log.all.filter { $0.contains("request.id=") }
            #expect(lines.contains { $0.contains("request.id=submit-1") && $0.contains("http.status=201") })
            #expect(lines.contains { $0.contains("request.id=submit-1") && $0.contains("submission.version=1") })
            #expect(lines.contains { $0.contains("request.id=submit-2") && $0.contains("http.status=401") })
            #expect(lines.contains { $0.contains("request.id=dashboard-1") && $0.contains("http.status=200") })
            for line in log.all {
                #expect(!line.contains(token) && !line.contains(server.officeToken) && !line.contains("pio_"), "a token in the log: \(line)")
                #expect(!line.contains("care-plans") && !line.contains("numerator"), "a return's content in the log: \(line)")
            }
        }
    }

    /// A refused return's site id is logged as it was written, escaped: a newline in it once
    /// started a forged line of the server's log, and a NUL went into the log raw.
    @Test func aSiteIdWithANewlineOrANULCannotForgeALogLine() async throws {
        let log = CapturedLog()
        try await IntakeTestServer.with(logger: log.logger()) { server in
            let forged = "evil\n2026-04-10T09:00:00+0000 info pioneer.serve: forged"
            let answer = try await server.submit(try IntakeFixture.json(forged), token: server.officeToken)
            #expect(answer.status == 422)
            let nul = try await server.submit(try IntakeFixture.json("tor\u{0}bay"), token: server.officeToken)
            #expect(nul.status == 422)
            let lines = log.all.filter { $0.contains("submission.site=") }
            #expect(lines.contains { $0.contains("submission.site=evil\\n2026-04-10T09:00:00+0000 info pioneer.serve: forged") })
            for line in log.all {
                #expect(!line.contains("\n") && !line.contains("\u{0}"), "a raw control character in the log: \(line)")
            }
        }
    }

    @Test func aDatabaseThatFailsUnderTheServerIs503WithRetryAfterAndNothingReadsAsStored() async throws {
        let log = CapturedLog()
        try await IntakeTestServer.with(logger: log.logger()) { server in
            let token = try server.token("torbay"), bytes = try IntakeFixture.json("torbay")
            // Another connection takes the table away, as a failing disk or an operator's
            // mistake would: the server's next write fails inside its transaction.
            let database = try DatabaseQueue(path: server.store.path)
            try await database.write { db in try db.execute(sql: "ALTER TABLE submission RENAME TO submission_away") }
            let failed = try await server.submit(bytes, token: token)
            #expect(failed.status == 503)
            #expect(failed.header("Retry-After") == "1")
            let body = try failed.decode(HTTPAnswer.ErrorBody.self)
            #expect(body.error == "the server cannot use its database just now; try again shortly")
            #expect(!failed.text.contains(server.store.path) && !failed.text.contains("submission_away"))
            #expect(log.all.contains { $0.contains("the store failed") && $0.contains(server.store.path) })

            try await database.write { db in try db.execute(sql: "ALTER TABLE submission_away RENAME TO submission") }
            #expect(try await server.stored("torbay").isEmpty)
            let retried = try await server.submit(bytes, token: token)
            #expect(retried.status == 201)
            #expect(try await server.stored("torbay").map(\.version) == [1])
            let metrics = try await server.send("GET", "/metrics")
            #expect(metrics.text.contains("pioneer_store_errors_total 1\n"))
        }
    }

    @Test func aBodyThatDoesNotArriveInTimeIs408() async throws {
        try await IntakeTestServer.with(requestTimeout: .seconds(1)) { server in
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let connection = try RawHTTPConnection(port: port)
            defer { connection.close() }
            // Headers promising 1,000 bytes, then 10 of them, then nothing.
            try connection.send("POST /v1/returns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(try server.token("torbay"))\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"schemaV")
            let started = ContinuousClock.now
            let answer = await connection.readResponse(timeout: .seconds(30))
            // Long before the connection's idle limit (2 × 1 s + 10 s): the timeout answered, not the idle close.
            #expect(started.duration(to: .now) < .seconds(12))
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
            #expect(answer.contains("the body did not arrive within 1 s (pioneer serve --request-timeout)"), "\(answer)")
            #expect(try await server.stored("torbay").isEmpty)
        }
    }

    @Test func aBodyWhoseChunksAreNotChunksIs400NotAServerError() async throws {
        try await IntakeTestServer.with { server in
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let connection = try RawHTTPConnection(port: port)
            defer { connection.close() }
            // A chunk size that is not hexadecimal: the parser refuses the body (it was a 500).
            try connection.send("POST /v1/returns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(try server.token("torbay"))\r\n"
                                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Request-Id: framing\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            let answer = await connection.readResponse(timeout: .seconds(30))
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
            #expect(answer.contains("the request body was cut short or is not framed as its Content-Length or chunked encoding says; nothing was stored"), "\(answer)")
            #expect(try await server.stored("torbay").isEmpty)
            let metrics = try await server.send("GET", "/metrics")
            #expect(!metrics.text.contains("status=\"500\""), "\(metrics.text)")
        }
    }


    /// Found by a tester: on a damaged database a stored return was served with a digest
    /// header its bytes no longer had.
    @Test func storedBytesThatNoLongerMatchTheirDigestAreNotServed() async throws {
        try await IntakeTestServer.with { server in
            let token = try server.token("torbay")
            let stored = try await server.submit(try IntakeFixture.json("torbay"), token: token)
            #expect(stored.status == 201)
            let id = try #require(try await server.stored("torbay").first?.id)
            #expect(try await server.send("GET", "/v1/returns/\(id)", token: token).status == 200)
            let database = try DatabaseQueue(path: server.store.path)
            try await database.write { db in
                try db.execute(sql: "UPDATE submission SET body = CAST(replace(CAST(body AS TEXT), 'torbay', 'torbaz') AS BLOB) WHERE id = ?", arguments: [id])
            }
            let damaged = try await server.send("GET", "/v1/returns/\(id)", token: token)
            #expect(damaged.status == 500)
            #expect(damaged.text.contains("no longer match the digest they were received with"), "\(damaged.text)")
        }
    }

    @Test func anHTTP10RequestIsAnsweredAndItsConnectionClosedUnlessItAsksToKeepIt() async throws {
        try await IntakeTestServer.with { server in
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let plain = try RawHTTPConnection(port: port)
            defer { plain.close() }
            try plain.send("GET /health HTTP/1.0\r\n\r\n")
            let answer = await plain.readUntilClosed(timeout: .seconds(20))
            // It was kept open until the idle timeout, far beyond this.
            #expect(answer.closed, "\(answer.text)")
            #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(answer.text)")
            #expect(answer.text.hasSuffix(#"{"status":"ok"}"#), "\(answer.text)")

            let kept = try RawHTTPConnection(port: port)
            defer { kept.close() }
            try kept.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(await kept.readResponse(timeout: .seconds(20)).hasPrefix("HTTP/1.1 200"))
            try kept.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(await kept.readResponse(timeout: .seconds(20)).hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aRequestThatIsNotHTTPGetsAJSON400WithARequestIdInTheLog() async throws {
        let log = CapturedLog()
        try await IntakeTestServer.with(logger: log.logger()) { server in
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let garbage = try RawHTTPConnection(port: port)
            defer { garbage.close() }
            try garbage.send("HELLO THERE\r\n\r\n")
            let answer = await garbage.readUntilClosed(timeout: .seconds(20))
            #expect(answer.closed)
            #expect(answer.text.hasPrefix("HTTP/1.1 400"), "\(answer.text)")
            #expect(answer.text.contains("Content-Type: application/json; charset=utf-8"), "\(answer.text)")
            #expect(answer.text.contains(#""error":"the request could not be read as HTTP: the request line does not start with a method such as GET or POST""#),
                    "\(answer.text)")
            let id = try #require(answer.text.split(separator: "\r\n").first { $0.hasPrefix("X-Request-Id: ") }?.dropFirst("X-Request-Id: ".count))
            #expect(answer.text.contains(#""requestId":"\#(id)""#), "\(answer.text)")
            #expect(log.all.contains { $0.contains("request refused") && $0.contains("request.id=\(id)") }, "\(log.all)")

            // After a good request on the same connection: the good one answered first, then the 400.
            let pipelined = try RawHTTPConnection(port: port)
            defer { pipelined.close() }
            try pipelined.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nHELLO THERE\r\n\r\n")
            let both = await pipelined.readUntilClosed(timeout: .seconds(20))
            #expect(both.closed)
            #expect(both.text.hasPrefix("HTTP/1.1 200"), "\(both.text)")
            #expect(both.text.contains(#"{"status":"ok"}HTTP/1.1 400 Bad Request"#), "\(both.text)")
            #expect(both.text.contains("the request could not be read as HTTP"), "\(both.text)")
        }
    }

    @Test func headIsAnsweredAsGetWithoutTheBodyAndAnUnansweredMethodIs405NamingTheOthers() async throws {
        try await IntakeTestServer.with { server in
            let office = server.officeToken
            // A monitor's HEAD /health (it was a 404, the service "down").
            let get = try await server.send("GET", "/health")
            let head = try await server.send("HEAD", "/health")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("Content-Length") == String(get.body.count), "\(head)")
            #expect(try await server.send("HEAD", "/v1/status", token: office).status == 200)
            #expect(try await server.send("HEAD", "/v1/status").status == 401)
            // A method the address does not answer: 405 with Allow, in the API's error shape (it was a 404).
            for (method, path, allow) in [("DELETE", "/v1/returns", "GET, HEAD, POST"), ("PUT", "/health", "GET, HEAD"),
                                          ("PATCH", "/v1/returns/anything", "GET, HEAD")] {
                let answer = try await server.send(method, path, token: office)
                #expect(answer.status == 405, "\(method) \(path): \(answer.status)")
                #expect(answer.header("Allow") == allow, "\(method) \(path)")
                #expect(try answer.decode(HTTPAnswer.ErrorBody.self).error == "this address does not answer that method; the API is described in openapi/intake.yaml")
            }
            #expect(try await server.send("GET", "/nowhere").status == 404)
        }
    }

}
