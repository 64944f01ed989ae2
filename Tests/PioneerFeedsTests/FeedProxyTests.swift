// A feed behind a proxy: libcurl sends the request to the proxy named in the site YAML,
// which is a real HTTP server on 127.0.0.1 here, and never resolves the feed's own host.
import Foundation
import Hummingbird
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds

@Suite("Feeds through a proxy")
struct FeedProxyTests {
    @Test("a feed with a proxy is fetched through it, for the feed's host, with its headers")
    func fetchedThroughTheProxy() async throws {
        let seen = RequestLog()
        try await LoopbackServer.run(routes: { router in
            router.get("/api/admissions") { request, _ in
                seen.record("\(request.head.authority ?? "no host") \(request.uri) auth=\(request.headers[.authorization] ?? "none")")
                return #"{"value": 7}"#
            }
        }) { proxy in
            // `.invalid` never resolves (RFC 6761): only the proxy can have answered.
            var feed = testFeed("http://bi.example.invalid", auth: .bearer(token: secret("PROXY_TEST_TOKEN")))
            feed.proxy = proxy.baseURL
            let client = FeedClient(environment: ["PROXY_TEST_TOKEN": "t0k3n"])
            let result = await client.fetch(FeedFetchRequest(feed: feed, url: "http://bi.example.invalid/api/admissions?month=2026-05"))
            let fetched = try #require(result.success, "\(String(describing: result.failure))")
            #expect(String(decoding: fetched.body, as: UTF8.self) == #"{"value": 7}"#)
            #expect(fetched.url == "http://bi.example.invalid/api/admissions?month=2026-05")
            // The proxy was asked for the feed's host: libcurl never resolved it itself.
            #expect(seen.entries == ["bi.example.invalid /api/admissions?month=2026-05 auth=Bearer t0k3n"])
        }
    }

    @Test("a proxy that refuses connections is named as the cause, beside the feed's URL")
    func proxyDown() async throws {
        let port = try await LoopbackServer.closedPort()
        var feed = testFeed("http://bi.example.invalid")
        feed.proxy = "http://127.0.0.1:\(port)"
        let result = await FeedClient(environment: [:]).fetch(FeedFetchRequest(feed: feed, url: "http://bi.example.invalid/x"))
        let error = try #require(result.failure)
        #expect(error.description.hasPrefix("feed \"bi\": GET http://bi.example.invalid/x failed: "))
        // It said "connection refused", as if the feed's server had refused.
        #expect(error.cause == .proxy("could not connect to the proxy http://127.0.0.1:\(port) (connection refused)"), "\(error)")
        #expect(error.description.hasSuffix("failed: proxy: could not connect to the proxy http://127.0.0.1:\(port) (connection refused)"), "\(error)")
    }
}

/// What a test server saw, in order.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func record(_ entry: String) { lock.withLock { items.append(entry) } }
    var entries: [String] { lock.withLock { items } }
}
