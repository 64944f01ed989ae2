// A real intake server on 127.0.0.1 (a free port) over a real SQLite store in a scratch
// folder or a fresh database on the tests' PostgreSQL cluster, with a site token for each of the fixture's sites, an office token, and a clock the
// test can move; and a client that sends real HTTP requests to it.
import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PioneerCore
import PioneerIntake
import PioneerServer
import PioneerTesting
import Testing

/// A clock a test sets; the server reads it for deadlines and the default period.
final class TestClock: @unchecked Sendable {
    // @unchecked: `now` is only read and written with `lock` held.
    private let lock = NSLock()
    private var now: Date

    init(_ now: Date) { self.now = now }

    func set(_ date: Date) { lock.withLock { now = date } }
    func read() -> Date { lock.withLock { now } }
}

struct IntakeTestServer {
    var baseURL: String
    var store: IntakeStore
    var clock: TestClock
    var metrics: IntakeMetrics
    /// Site id → its token.
    var siteTokens: [String: String]
    var officeToken: String
    /// Site id → its token's public id, for revoking.
    var siteTokenIDs: [String: String]

    /// Starts a server, runs `body` against it, and stops it (gracefully) whatever `body` does.
    static func with<T>(programme: Programme = IntakeFixture.programme, now: Date = IntakeFixture.onTime,
                        maximumBodySize: Int = IntakeServerConfiguration.defaultMaximumBodySize,
                        requestTimeout: Duration = .seconds(10), logger: Logger? = nil, store kind: IntakeStore.Kind = .sqlite,
                        _ body: (IntakeTestServer) async throws -> T) async throws -> T {
        try await withTemporaryFolder(prefix: "pioneer-serve") { folder in
            let store: IntakeStore
            switch kind {
            case .sqlite:
                let path = folder.appendingPathComponent("intake.sqlite").path
                store = try await onOwnThread { try IntakeStore(path: path) }
            case .postgres:
                store = try await IntakeStore.open(try await PostgresCluster.shared().createDatabase(), databaseTimeout: .seconds(120))
            }
            var tokens: [(String, String, String)] = []
            let office: (token: String, record: TokenRecord)
            do {
                for site in programme.sites {
                    let created = try await store.createToken(role: .site, site: site)
                    tokens.append((site, created.token, created.record.id))
                }
                office = try await store.createToken(role: .office, site: nil)
            } catch {
                await store.close()
                throw error
            }
            var siteTokens: [String: String] = [:], siteTokenIDs: [String: String] = [:]
            for (site, token, id) in tokens {
                siteTokens[site] = token
                siteTokenIDs[site] = id
            }
            let clock = TestClock(now)
            let metrics = IntakeMetrics()
            let server = IntakeServer(store: store, programme: programme,
                                      configuration: IntakeServerConfiguration(host: "127.0.0.1", port: 0, maximumBodySize: maximumBodySize,
                                                                               requestTimeout: requestTimeout),
                                      metrics: metrics, logger: logger, clock: { clock.read() })
            let running = try await server.start()
            let harness = IntakeTestServer(baseURL: running.baseURL, store: store, clock: clock, metrics: metrics,
                                           siteTokens: siteTokens, officeToken: office.token, siteTokenIDs: siteTokenIDs)
            do {
                let result = try await body(harness)
                await running.stop()
                await store.close()
                return result
            } catch {
                await running.stop()
                await store.close()
                throw error
            }
        }
    }

    func token(_ site: String) throws -> String {
        try #require(siteTokens[site], "no token made for site \(site)")
    }
}

/// One HTTP exchange's answer.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            Issue.record("the answer (HTTP \(status)) is not a \(type): \(text.prefix(500))")
            throw error
        }
    }

    /// The documented error body.
    struct ErrorBody: Decodable, Equatable {
        var error: String
        var requestId: String
    }
}

extension IntakeTestServer {
    /// One session for every test: a session per request would open (and keep) connections and
    /// descriptors faster than they close, and the other suites' servers need them too.
    static let session = URLSession(configuration: .ephemeral)

    /// Sends one request with URLSession (libcurl underneath, as `pioneer submit` uses).
    func send(_ method: String, _ path: String, token: String? = nil, authorization: String? = nil,
              contentType: String? = nil, headers: [String: String] = [:], body: [UInt8]? = nil) async throws -> HTTPAnswer {
        let url = try #require(URL(string: baseURL + path), "not a URL: \(baseURL + path)")
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }
        let (data, response) = try await Self.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse, "not an HTTP response")
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return HTTPAnswer(status: http.statusCode, headers: fields, body: data)
    }

    /// POST /v1/returns with `bytes` as JSON.
    func submit(_ bytes: [UInt8], token: String?, contentType: String = "application/json") async throws -> HTTPAnswer {
        try await send("POST", "/v1/returns", token: token, contentType: contentType, body: bytes)
    }

    /// Every stored submission for `site` and March, as the office sees them.
    func stored(_ site: String, period: String = "2026-03") async throws -> [SubmissionRecord] {
        let answer = try await send("GET", "/v1/returns?site=\(site)&period=\(period)", token: officeToken)
        #expect(answer.status == 200, "GET /v1/returns answered \(answer.status): \(answer.text)")
        return try answer.decode(SubmissionList.self).submissions
    }

    struct SubmissionList: Decodable {
        var submissions: [SubmissionRecord]
    }
}

extension IntakeTestServer {
    /// One request over a bare connection, for answers URLSession would act on rather than
    /// show (a 401 with a Basic challenge, which it would try to answer).
    func sendRaw(_ method: String, _ path: String) async throws -> HTTPAnswer {
        let port = try #require(Int(baseURL.split(separator: ":").last ?? ""))
        let connection = try RawHTTPConnection(port: port)
        defer { connection.close() }
        try connection.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let text = await connection.readResponse(timeout: .seconds(20))
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first?.components(separatedBy: "\r\n") ?? []
        let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPAnswer(status: status, headers: headers, body: Data(parts.dropFirst().joined(separator: "\r\n\r\n").utf8))
    }
}
