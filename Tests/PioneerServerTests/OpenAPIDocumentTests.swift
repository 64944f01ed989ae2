// openapi/intake.yaml is the API: a valid OpenAPI 3.1 document (openapi-spec-validator), whose
// paths and methods are exactly the router's, and whose status codes are exactly those the
// server answers each route with (a tour of the API provokes each one).
import Foundation
import GRDB
import PioneerIntake
import PioneerServer
import PioneerTesting
import Testing

@Suite("The OpenAPI document")
struct OpenAPIDocumentTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let document = packageRoot.appendingPathComponent("openapi/intake.yaml").path
    static let missingPython = "openapi-spec-validator (PyPI) is needed to check openapi/intake.yaml: run scripts/install-python-packages.sh"

    /// Runs a Python snippet with the document's path as its argument; its stdout.
    ///
    /// The wait is asynchronous: blocking one of the few cooperative threads for the
    /// seconds Python takes to start would stall the other suites' servers and clients.
    static func python(_ script: String) async throws -> String {
        let run = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, document], timeout: 300)
        #expect(!run.stderr.contains("ModuleNotFoundError"), Comment(rawValue: missingPython))
        #expect(run.status == 0, "python3 failed:\n\(run.stderr)")
        return run.stdout
    }

    /// `METHOD /path` → the status codes the document gives it.
    static func documentedResponses() async throws -> [String: Set<Int>] {
        let json = try await python("""
        import json, sys, yaml
        doc = yaml.safe_load(open(sys.argv[1]))
        print(json.dumps({f"{m.upper()} {p}": sorted(op["responses"]) for p, item in doc["paths"].items()
                          for m, op in item.items() if m in ("get", "post", "put", "patch", "delete")}))
        """)
        let decoded = try JSONDecoder().decode([String: [String]].self, from: Data(json.utf8))
        return decoded.mapValues { Set($0.compactMap(Int.init)) }
    }

    /// The routes that use the database (authentication included), so answer 503 when it fails.
    static let readsTheStore: Set<String> = ["POST /v1/returns", "GET /v1/returns", "GET /v1/returns/{id}", "GET /v1/status",
                                             "GET /v1/aggregate", "GET /v1/history", "GET /", "GET /health"]

    @Test func theDocumentIsValidOpenAPI31() async throws {
        let output = try await Self.python("""
        import sys
        from openapi_spec_validator import validate
        from openapi_spec_validator.readers import read_from_filename
        spec, _ = read_from_filename(sys.argv[1])
        assert spec["openapi"].startswith("3.1"), spec["openapi"]
        validate(spec)
        print("valid")
        """)
        #expect(output == "valid\n")
    }

    @Test func theRouterServesExactlyTheDocumentsPathsAndMethods() async throws {
        try await withTemporaryFolder(prefix: "pioneer-openapi") { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            let store = try await onOwnThread { try IntakeStore(path: path) }
            let served = Set(IntakeServer(store: store, programme: IntakeFixture.programme).routes())
            let documented = Set(try await Self.documentedResponses().keys)
            #expect(served.subtracting(documented).isEmpty, "served but not in openapi/intake.yaml: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "in openapi/intake.yaml but not served: \(documented.subtracting(served).sorted())")
        }
    }

    @Test func everyStatusCodeTheServerAnswersIsTheDocumentsAndEveryDocumentedOneHappens() async throws {
        let documented = try await Self.documentedResponses()
        var observed: [String: Set<Int>] = [:]
        try await IntakeTestServer.with(maximumBodySize: 20_000, requestTimeout: .milliseconds(500)) { server in
            func see(_ route: String, _ answer: HTTPAnswer) {
                observed[route, default: []].insert(answer.status)
                #expect(answer.header("X-Request-Id") != nil, "\(route) answered \(answer.status) without X-Request-Id")
            }
            let torbay = try server.token("torbay"), office = server.officeToken
            let bytes = try IntakeFixture.json("torbay")

            // POST /v1/returns
            see("POST /v1/returns", try await server.submit(bytes, token: torbay))                                   // 201
            see("POST /v1/returns", try await server.submit(bytes, token: torbay))                                   // 200
            see("POST /v1/returns", try await server.submit(Array("[".utf8), token: torbay))                         // 400
            see("POST /v1/returns", try await server.submit(bytes, token: nil))                                      // 401
            see("POST /v1/returns", try await server.submit(try IntakeFixture.json("cambridge"), token: torbay))     // 403
            see("POST /v1/returns", try await server.submit(Array(repeating: 0x20, count: 30_000), token: torbay))   // 413
            see("POST /v1/returns", try await server.submit(bytes, token: torbay, contentType: "text/plain"))        // 415
            see("POST /v1/returns", try await server.submit(try IntakeFixture.json("nowhere"), token: office))       // 422
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let slow = try RawHTTPConnection(port: port)
            try slow.send("POST /v1/returns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(torbay)\r\nContent-Type: application/json\r\nContent-Length: 100\r\nX-Request-Id: slow\r\n\r\n{")
            let slowAnswer = await slow.readResponse(timeout: .seconds(10))
            slow.close()
            let slowStatus = Int(slowAnswer.split(separator: " ").dropFirst().first ?? "") ?? 0
            see("POST /v1/returns", HTTPAnswer(status: slowStatus, headers: slowAnswer.lowercased().contains("x-request-id: slow") ? ["X-Request-Id": "slow"] : [:], body: Data()))  // 408

            // GET /v1/returns
            see("GET /v1/returns", try await server.send("GET", "/v1/returns", token: torbay))                       // 200
            see("GET /v1/returns", try await server.send("GET", "/v1/returns?period=later", token: office))         // 400
            see("GET /v1/returns", try await server.send("GET", "/v1/returns"))                                      // 401
            see("GET /v1/returns", try await server.send("GET", "/v1/returns?site=cambridge", token: torbay))        // 403

            // GET /v1/returns/{id}
            let id = try #require(try await server.stored("torbay").first?.id)
            see("GET /v1/returns/{id}", try await server.send("GET", "/v1/returns/\(id)", token: torbay))            // 200
            see("GET /v1/returns/{id}", try await server.send("GET", "/v1/returns/\(id)"))                           // 401
            see("GET /v1/returns/{id}", try await server.send("GET", "/v1/returns/\(id)", token: try server.token("cambridge"))) // 403
            see("GET /v1/returns/{id}", try await server.send("GET", "/v1/returns/nothing", token: office))          // 404
            let database = try DatabaseQueue(path: server.store.path)
            try await database.write { db in
                try db.execute(sql: "UPDATE submission SET body = CAST(replace(CAST(body AS TEXT), 'torbay', 'torbaz') AS BLOB) WHERE id = ?", arguments: [id])
            }
            try database.close()
            see("GET /v1/returns/{id}", try await server.send("GET", "/v1/returns/\(id)", token: torbay))            // 500, bytes damaged

            // GET /v1/status, /v1/aggregate, /
            for route in ["/v1/status", "/v1/aggregate", "/v1/history", "/"] {
                see("GET \(route)", try await server.send("GET", route, token: office))                              // 200
                see("GET \(route)", try await server.send("GET", "\(route)?period=never", token: office))           // 400
                see("GET \(route)", try await server.sendRaw("GET", route))                                                // 401
                if route != "/v1/status" {
                    see("GET \(route)", try await server.send("GET", route, token: torbay))                          // 403
                }
            }
            see("GET /health", try await server.send("GET", "/health"))                                              // 200
            see("GET /metrics", try await server.send("GET", "/metrics"))                                            // 200
        }
        for (route, codes) in observed.sorted(by: { $0.key < $1.key }) {
            let listed = documented[route] ?? []
            #expect(codes.subtracting(listed).isEmpty, "\(route) answered \(codes.subtracting(listed).sorted()), which openapi/intake.yaml does not list")
        }
        for (route, codes) in documented.sorted(by: { $0.key < $1.key }) {
            // 503 answers a database that cannot be used: every route that reads the store lists it.
            #expect(codes.contains(503) == Self.readsTheStore.contains(route), "\(route): 503 should be listed exactly for the routes that use the database")
            let seen = (observed[route] ?? []).union(Self.readsTheStore.contains(route) ? [503] : [])
            #expect(codes.subtracting(seen).isEmpty, "openapi/intake.yaml lists \(codes.subtracting(seen).sorted()) for \(route), which the tour never saw")
        }
    }
}
