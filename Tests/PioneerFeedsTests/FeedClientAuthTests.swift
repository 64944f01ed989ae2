// Credentials and headers: what reaches the server, and what happens when a secret is missing.
import Foundation
import Hummingbird
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds

@Suite("Feed client auth and headers")
struct FeedClientAuthTests {
    /// A server whose `/echo` answers with the named request header.
    private func withEchoServer(_ body: (LoopbackServer) async throws -> Void) async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/echo/:header") { request, context in
                let name = context.parameters.get("header") ?? ""
                return LoopbackServer.header(name, of: request)
            }
        }, body)
    }

    private func echo(_ header: String, server: LoopbackServer, feed: FeedDefinition,
                      environment: [String: String]) async throws -> String {
        let client = FeedClient(environment: environment)
        let result = await client.fetch(FeedFetchRequest(feed: feed, url: server.url("/echo/\(header)")))
        return String(decoding: try result.get().body, as: UTF8.self)
    }

    @Test("a bearer token is sent in the Authorization header")
    func bearer() async throws {
        try await withEchoServer { server in
            let feed = testFeed(server.baseURL, auth: .bearer(token: secret("BI_TOKEN")))
            let sent = try await echo("Authorization", server: server, feed: feed, environment: ["BI_TOKEN": "s3cret"])
            #expect(sent == "Bearer s3cret")
        }
    }

    @Test("basic auth sends the user and password")
    func basic() async throws {
        try await withEchoServer { server in
            let feed = testFeed(server.baseURL, auth: .basic(username: secret("BI_USER"), password: secret("BI_PASS")))
            let sent = try await echo("Authorization", server: server, feed: feed,
                                      environment: ["BI_USER": "user", "BI_PASS": "pass"])
            #expect(sent == "Basic " + Data("user:pass".utf8).base64EncodedString())
        }
    }

    @Test("extra headers are sent with ${VAR} filled in")
    func headerVariables() async throws {
        try await withEchoServer { server in
            let feed = testFeed(server.baseURL, headers: ["X-Api-Key": "key-${BI_KEY}"])
            let sent = try await echo("X-Api-Key", server: server, feed: feed, environment: ["BI_KEY": "42"])
            #expect(sent == "key-42")
        }
    }

    @Test("a missing credential is an error naming the variable and the feed, and nothing is sent")
    func missingCredential() async throws {
        let counter = RequestCounter()
        try await LoopbackServer.run(routes: { router in
            router.get("/data") { _, _ in
                counter.arrive()
                return "data"
            }
        }) { server in
            let feed = testFeed(server.baseURL, auth: .bearer(token: secret("BI_TOKEN")))
            let client = FeedClient(environment: ["BI_TOKEN": ""])
            let error = try #require(await client.fetch(FeedFetchRequest(feed: feed, url: server.url("/data"))).failure)
            #expect(error.attempts == 0)
            #expect(error.description
                == "feed \"bi\": \(server.url("/data")): credential ${BI_TOKEN} is not set (bearer token); nothing was sent")
            #expect(counter.total == 0)
        }
    }

    @Test("a missing header variable is reported like a credential")
    func missingHeaderVariable() async {
        let feed = testFeed("http://127.0.0.1:9", headers: ["X-Api-Key": "${BI_KEY}"])
        let error = await FeedClient(environment: [:]).fetch(FeedFetchRequest(feed: feed, url: "http://127.0.0.1:9/x")).failure
        #expect(error?.description.contains("credential ${BI_KEY} is not set (header X-Api-Key)") == true)
    }

    // MARK: Through the transport seam

    @Test("NTLM and Negotiate credentials reach the transport resolved")
    func challengeSchemes() async throws {
        let transport = RecordingTransport()
        let client = FeedClient(transport: transport, environment: ["U": "DOMAIN\\alice", "P": "pw"])
        let ntlm = testFeed("https://bi.nhs.uk", auth: .ntlm(username: secret("U"), password: secret("P")))
        let negotiate = testFeed("https://bi.nhs.uk", auth: .negotiate(username: nil, password: nil))
        _ = await client.fetch(FeedFetchRequest(feed: ntlm, url: "https://bi.nhs.uk/a"))
        _ = await client.fetch(FeedFetchRequest(feed: negotiate, url: "https://bi.nhs.uk/b"))
        let requests = transport.requests
        #expect(requests.map(\.credentials) == [
            .ntlm(username: "DOMAIN\\alice", password: "pw"), .negotiate(username: "", password: ""),
        ])
        #expect(requests.allSatisfy { $0.header("Authorization") == nil })
        #expect("\(requests[0].credentials)" == "ntlm (credentials hidden)")
    }

    @Test("both missing basic credentials are named")
    func bothMissing() async {
        let feed = testFeed("https://bi.nhs.uk", auth: .basic(username: secret("BI_USER"), password: secret("BI_PASS")))
        let error = await FeedClient(transport: RecordingTransport(), environment: [:])
            .fetch(FeedFetchRequest(feed: feed, url: "https://bi.nhs.uk/a")).failure
        #expect(error?.cause.description == "credentials ${BI_USER} and ${BI_PASS} are not set (basic auth)")
    }

    @Test("a header value with a line break is refused before sending")
    func headerInjection() async {
        let transport = RecordingTransport()
        let feed = testFeed("https://bi.nhs.uk", headers: ["X-Site": "${SITE}"])
        let error = await FeedClient(transport: transport, environment: ["SITE": "torbay\r\nX-Evil: 1"])
            .fetch(FeedFetchRequest(feed: feed, url: "https://bi.nhs.uk/a")).failure
        #expect(error?.cause.description == "header X-Site has a line break in its value")
        #expect(transport.requests.isEmpty)

        // Another control character pasted into a secret is refused too, rather than sent.
        let control = await FeedClient(transport: transport, environment: ["SITE": "torbay\u{1}"])
            .fetch(FeedFetchRequest(feed: feed, url: "https://bi.nhs.uk/a")).failure
        #expect(control?.cause.description == "header X-Site has a control character in its value")
        #expect(transport.requests.isEmpty)
    }

    @Test("a ${VAR} in the proxy URL is filled in, and an unset one is named before sending")
    func proxyVariables() async {
        var feed = testFeed("https://bi.nhs.uk")
        feed.proxy = "http://pioneer:${PROXY_PASS}@proxy.nhs.local:3128"
        let transport = RecordingTransport()
        _ = await FeedClient(transport: transport, environment: ["PROXY_PASS": "pw"])
            .fetch(FeedFetchRequest(feed: feed, url: "https://bi.nhs.uk/a"))
        // The login goes to the proxy apart from its URL (see FeedSecurityTests).
        #expect(transport.requests.first?.proxy == "http://proxy.nhs.local:3128")
        #expect(transport.requests.first?.proxyLogin == TransportRequest.ProxyLogin(username: "pioneer", password: "pw"))

        let unset = RecordingTransport()
        let error = await FeedClient(transport: unset, environment: [:])
            .fetch(FeedFetchRequest(feed: feed, url: "https://bi.nhs.uk/a")).failure
        #expect(error?.description == "feed \"bi\": https://bi.nhs.uk/a: credential ${PROXY_PASS} is not set (proxy); nothing was sent")
        #expect(unset.requests.isEmpty)
    }

    @Test("headers filled in from ${VAR} and bearer tokens are marked secret; plain headers are not")
    func secretMarks() async {
        let transport = RecordingTransport()
        let feed = testFeed("https://bi.nhs.uk", auth: .bearer(token: secret("T")),
                            headers: ["X-Api-Key": "${K}", "X-Api-Version": "2", "X-Site": "torbay-${SITE}"])
        _ = await FeedClient(transport: transport, environment: ["T": "t", "K": "k", "SITE": "s"])
            .fetch(FeedFetchRequest(feed: feed, url: "https://bi.nhs.uk/a"))
        let headers = transport.requests.first?.headers ?? []
        #expect(headers.filter(\.isSecret).map(\.name) == ["Authorization", "X-Api-Key", "X-Site"])
        #expect(headers.filter { !$0.isSecret }.map(\.name) == ["X-Api-Version"])
    }

    @Test("validators become If-None-Match and If-Modified-Since")
    func conditionalHeaders() async {
        let transport = RecordingTransport()
        let validators = CacheValidators(etag: "\"abc\"", lastModified: "Mon, 01 Jun 2026 00:00:00 GMT")
        _ = await FeedClient(transport: transport, environment: [:])
            .fetch(FeedFetchRequest(feed: testFeed("https://bi.nhs.uk"), url: "https://bi.nhs.uk/a", validators: validators))
        #expect(transport.requests.first?.header("if-none-match") == "\"abc\"")
        #expect(transport.requests.first?.header("If-Modified-Since") == "Mon, 01 Jun 2026 00:00:00 GMT")
    }
}

/// A transport that records requests and answers 200 with an empty body.
final class RecordingTransport: FeedTransport {
    private let recorded = Locked<[TransportRequest]>([])

    var requests: [TransportRequest] { recorded.withLock { $0 } }

    func perform(_ request: TransportRequest) async -> Result<TransportResponse, TransportError> {
        recorded.withLock { $0.append(request) }
        return .success(TransportResponse(status: 200, effectiveURL: request.url))
    }
}
