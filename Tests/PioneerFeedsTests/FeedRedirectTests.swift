// Redirects and secrets: what a real loopback server sees when a feed's server sends the
// client to another host name, another port, or back again.
import Foundation
import Hummingbird
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds

@Suite("Feed client redirects")
struct FeedRedirectTests {
    /// The environment every test's secrets come from.
    private let environment = ["BI_TOKEN": "t0ken", "BI_KEY": "k3y", "BI_USER": "user", "BI_PASS": "pass"]

    /// A feed on `baseURL` with a bearer token, a secret header and a plain header.
    private func bearerFeed(_ baseURL: String) -> FeedDefinition {
        testFeed(baseURL, auth: .bearer(token: secret("BI_TOKEN")),
                 headers: ["X-Api-Key": "${BI_KEY}", "X-Api-Version": "2"])
    }

    /// Routes: `/landing` answers with the headers that arrived and the host name used;
    /// `/to?url=U` redirects to `U` with a 302.
    private func routes(_ router: Router<BasicRequestContext>) {
        router.get("/landing") { request, _ in
            ["authorization", "x-api-key", "x-api-version"]
                .map { "\($0)=\(LoopbackServer.header($0, of: request))" }
                .joined(separator: ";") + ";host=\(request.head.authority ?? "")"
        }
        router.get("/to") { request, _ in
            Response(status: .found, headers: [.location: request.uri.queryParameters.get("url") ?? "/landing"])
        }
    }

    private func landing(_ feed: FeedDefinition, url: String) async throws -> String {
        let result = await FeedClient(environment: environment).fetch(FeedFetchRequest(feed: feed, url: url))
        return String(decoding: try result.get().body, as: UTF8.self)
    }

    private func redirect(to target: String) -> String {
        "/to?url=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target)
    }

    @Test("a redirect on the same origin keeps the token and the secret header")
    func sameOriginKeepsSecrets() async throws {
        try await LoopbackServer.run(routes: routes) { server in
            let seen = try await landing(bearerFeed(server.baseURL), url: server.url(redirect(to: "/landing")))
            #expect(seen == "authorization=Bearer t0ken;x-api-key=k3y;x-api-version=2;host=127.0.0.1:\(server.port)")
        }
    }

    @Test("a redirect to another host name drops the token and every ${...} header, and keeps plain headers")
    func otherHostDropsSecrets() async throws {
        try await LoopbackServer.run(routes: routes) { server in
            let other = "http://localhost:\(server.port)/landing"
            let seen = try await landing(bearerFeed(server.baseURL), url: server.url(redirect(to: other)))
            #expect(seen == "authorization=;x-api-key=;x-api-version=2;host=localhost:\(server.port)")
        }
    }

    @Test("a redirect from the localhost name to 127.0.0.1 drops them too")
    func otherHostTheOtherWay() async throws {
        try await LoopbackServer.run(routes: routes) { server in
            let feed = bearerFeed("http://localhost:\(server.port)")
            let start = "http://localhost:\(server.port)" + redirect(to: server.url("/landing"))
            let seen = try await landing(feed, url: start)
            #expect(seen == "authorization=;x-api-key=;x-api-version=2;host=127.0.0.1:\(server.port)")
        }
    }

    @Test("a redirect to another port is another origin")
    func otherPortDropsSecrets() async throws {
        try await LoopbackServer.run(routes: routes) { first in
            try await LoopbackServer.run(routes: routes) { second in
                let seen = try await landing(bearerFeed(first.baseURL), url: first.url(redirect(to: second.url("/landing"))))
                #expect(seen == "authorization=;x-api-key=;x-api-version=2;host=127.0.0.1:\(second.port)")
            }
        }
    }

    @Test("basic credentials are not sent to another host")
    func basicCredentialsDropped() async throws {
        try await LoopbackServer.run(routes: routes) { server in
            let feed = testFeed(server.baseURL, auth: .basic(username: secret("BI_USER"), password: secret("BI_PASS")))
            let same = try await landing(feed, url: server.url(redirect(to: "/landing")))
            #expect(same.hasPrefix("authorization=Basic " + Data("user:pass".utf8).base64EncodedString() + ";"))
            let other = try await landing(feed, url: server.url(redirect(to: "http://localhost:\(server.port)/landing")))
            #expect(other.hasPrefix("authorization=;"))
        }
    }

    @Test("once a chain has left the feed's origin, a redirect back does not bring the secrets back")
    func secretsStayDroppedOnTheWayBack() async throws {
        try await LoopbackServer.run(routes: routes) { server in
            let back = server.url("/landing")
            let away = "http://localhost:\(server.port)" + redirect(to: back)
            let seen = try await landing(bearerFeed(server.baseURL), url: server.url(redirect(to: away)))
            #expect(seen == "authorization=;x-api-key=;x-api-version=2;host=127.0.0.1:\(server.port)")
        }
    }

    @Test("max_redirects 0 leaves a redirect as the answer: an error naming the status")
    func followingOff() async throws {
        try await LoopbackServer.run(routes: routes) { server in
            let feed = testFeed(server.baseURL, maxRedirects: 0)
            let error = try #require(await FeedClient(environment: environment)
                .fetch(FeedFetchRequest(feed: feed, url: server.url("/to"))).failure)
            #expect(error.description == "feed \"bi\": GET \(server.url("/to")) failed: HTTP 302 Found")
        }
    }

    @Test("a failure after a redirect names the URL it was redirected to")
    func failureAfterRedirect() async throws {
        let closed = try await LoopbackServer.closedPort()
        try await LoopbackServer.run(routes: routes) { server in
            let start = server.url(redirect(to: "http://127.0.0.1:\(closed)/landing"))
            let error = try #require(await FeedClient(environment: environment)
                .fetch(FeedFetchRequest(feed: testFeed(server.baseURL), url: start)).failure)
            #expect(error.description
                == "feed \"bi\": GET \(start) (redirected to http://127.0.0.1:\(closed)/landing) failed: connection refused")
        }
    }

    // MARK: The rule itself

    @Test("origins compare scheme, host (any case) and port, with the scheme's default port")
    func origins() {
        let origin = FeedURL.origin(of: "https://BI.nhs.uk/api")
        #expect(origin == FeedURL.origin(of: "https://bi.nhs.uk:443/other"))
        #expect(origin != FeedURL.origin(of: "http://bi.nhs.uk/api"))
        #expect(origin != FeedURL.origin(of: "https://bi.nhs.uk:8443/api"))
        #expect(origin != FeedURL.origin(of: "https://evil.example/api"))
        #expect(FeedURL.origin(of: "http://bi.nhs.uk/a") == FeedURL.origin(of: "http://bi.nhs.uk:80/b"))
    }

    @Test("a redirect from https to http on the same host drops the secrets")
    func schemeDowngrade() {
        let request = TransportRequest(
            url: "https://bi.nhs.uk/a",
            headers: [TransportRequest.Header("Authorization", "Bearer t"), TransportRequest.Header("X-Key", "k", isSecret: true),
                      TransportRequest.Header("Accept", "application/json")],
            credentials: .basic(username: "u", password: "p"))
        var chain = RedirectChain(request, limit: 5)
        let next = chain.next(after: TransportResponse(status: 301, headers: ["location": "http://bi.nhs.uk/b"],
                                                       effectiveURL: request.url))
        guard case .follow(let dropped) = next else {
            Issue.record("expected the redirect to be followed, got \(next)")
            return
        }
        #expect(dropped == ["Authorization", "X-Key", "basic (credentials hidden)"])
        #expect(chain.request.url == "http://bi.nhs.uk/b")
        #expect(chain.request.headers.map(\.name) == ["Accept"])
        #expect(chain.request.credentials == .none)
    }

    @Test("relative Location values resolve against the URL that answered")
    func relativeLocations() {
        #expect(RedirectChain.resolve("/new", against: "https://bi.nhs.uk/api/old?x=1") == "https://bi.nhs.uk/new")
        #expect(RedirectChain.resolve("new", against: "https://bi.nhs.uk/api/old") == "https://bi.nhs.uk/api/new")
        #expect(RedirectChain.resolve("//other.nhs.uk/x", against: "https://bi.nhs.uk/a") == "https://other.nhs.uk/x")
        #expect(RedirectChain.resolve("https://bi.nhs.uk/b#part", against: "https://bi.nhs.uk/a") == "https://bi.nhs.uk/b")
    }
}
