// What a trust's security reviewer checks in how feeds are fetched: a proxy's login never in a
// URL or message, a proxy's refusal never retried into a locked account, `no_proxy` never
// sending a feed past its proxy, trailer fields never taken for headers, `verify: false` kept
// to the feed's own origin, and the temporary body folder never one another user made.
import Foundation
import Hummingbird
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds
#if canImport(Glibc)
import Glibc
#endif

/// `Fixtures/scripted_answer.py`: answers every connection with fixed bytes, logging request lines.
private struct ScriptedAnswer {
    let port: Int
    let log: URL
    let process: StartedProcess

    static func start(_ answer: String, in folder: URL) async throws -> ScriptedAnswer {
        let answerFile = folder.appendingPathComponent("answer.bin")
        try Data(answer.utf8).write(to: answerFile)
        let log = folder.appendingPathComponent("requests.log")
        let output = folder.appendingPathComponent("port.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/scripted_answer.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, answerFile.path, log.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        let started = try StartedProcess.start(process)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, started.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first, let port = Int(line) {
                return ScriptedAnswer(port: port, log: log, process: started)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = await started.exit(within: 0)
        throw CancellationError()
    }

    var requests: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() async { _ = await process.exit(within: 0) }
}

@Suite("How feeds are fetched, as a security reviewer checks it", .serialized, .timeLimit(.minutes(2)))
struct FeedSecurityTests {
    private func withScripted(_ answer: String, _ body: (ScriptedAnswer) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-scripted") { folder in
            let server = try await ScriptedAnswer.start(answer, in: folder)
            do { try await body(server) } catch { await server.stop(); throw error }
            await server.stop()
        }
    }

    @Test("a proxy password holding @ / # % and a space reaches the proxy as written, and no message shows it")
    func proxyLoginSentApart() async throws {
        let password = "p@ss/w#rd %41 x"
        let seen = RequestLog()
        try await LoopbackServer.run(routes: { router in
            router.get("/api/admissions") { request, _ in
                seen.record(request.headers[.proxyAuthorization] ?? "none")
                return #"{"value": 7}"#
            }
        }) { proxy in
            var feed = testFeed("http://bi.example.invalid")
            feed.proxy = proxy.baseURL.replacingOccurrences(of: "http://", with: "http://svc%5Cpioneer:${PROXY_PASSWORD}@")
            let client = FeedClient(environment: ["PROXY_PASSWORD": password])
            let result = await client.fetch(FeedFetchRequest(feed: feed, url: "http://bi.example.invalid/api/admissions"))
            #expect(result.success?.status == 200, "\(String(describing: result.failure))")
            let login = Data("svc\\pioneer:\(password)".utf8).base64EncodedString()
            #expect(seen.entries == ["Basic \(login)"])
        }
        // A proxy that is down: the message names it, without the login.
        let port = try await LoopbackServer.closedPort()
        var feed = testFeed("http://bi.example.invalid")
        feed.proxy = "http://svc:${PROXY_PASSWORD}@127.0.0.1:\(port)"
        let result = await FeedClient(environment: ["PROXY_PASSWORD": password]).fetch(FeedFetchRequest(feed: feed, url: "http://bi.example.invalid/x"))
        let error = try #require(result.failure)
        #expect(error.description.hasSuffix("failed: proxy: could not connect to the proxy http://127.0.0.1:\(port) (connection refused)"), "\(error)")
        #expect(!error.description.contains("p@ss") && !error.description.contains("svc"))
    }

    @Test("a proxy that refuses the tunnel (407) is said as such and not retried")
    func proxyRefusalNotRetried() async throws {
        let refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"trust\"\r\nContent-Length: 0\r\n\r\n"
        try await withScripted(refusal) { proxy in
            var feed = testFeed("https://bi.example.invalid", retries: 2)
            feed.proxy = "http://svc:${PROXY_PASSWORD}@127.0.0.1:\(proxy.port)"
            let result = await FeedClient(environment: ["PROXY_PASSWORD": "wrong"])
                .fetch(FeedFetchRequest(feed: feed, url: "https://bi.example.invalid/api"))
            let error = try #require(result.failure)
            #expect(error.cause == .proxyRefused(status: 407), "\(error)")
            #expect(error.attempts == 1)
            #expect(error.description.hasSuffix("failed: proxy: the proxy refused to open a tunnel to the server (HTTP 407 Proxy Authentication Required); check the user name and password in the feed's `proxy` (not retried, so as not to lock the account out)"),
                    "\(error)")
            #expect(proxy.requests == ["CONNECT bi.example.invalid:443 HTTP/1.1"])
        }
    }

    // That `no_proxy` in the environment does not send a feed past the proxy it names is
    // checked on the binary (FeedProxyEndToEndTests): setting the variable here would change
    // the environment of every test running at once.

    @Test("trailer fields of a chunked body neither wipe the body nor become its validators")
    func trailerFieldsIgnored() async throws {
        let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nTrailer: ETag\r\n\r\n"
            + "c\r\n{\"total\": 5}\r\n0\r\nHTTP/x: y\r\nHTTP/1.1 200 x: y\r\nETag: \"from-the-trailer\"\r\n\r\n"
        try await withScripted(answer) { server in
            let feed = testFeed("http://127.0.0.1:\(server.port)")
            let result = await FeedClient(environment: [:]).fetch(FeedFetchRequest(feed: feed, url: feed.baseURL + "/api"))
            let fetched = try #require(result.success, "\(String(describing: result.failure))")
            #expect(String(decoding: fetched.body, as: UTF8.self) == #"{"total": 5}"#)
            #expect(fetched.validators.etag == nil)
        }
    }

    @Test("verify: false stays with the feed's origin: a hop to another origin is verified again")
    func verifyOffStaysWithTheOrigin() {
        var request = TransportRequest(url: "https://localhost:8443/api", tls: FeedTLS(verify: false))
        request.keyPassword = nil
        var chain = RedirectChain(request, limit: 5)
        let sameOrigin = TransportResponse(status: 302, headers: ["location": "/api/2"], body: Data(), effectiveURL: request.url)
        guard case .follow = chain.next(after: sameOrigin) else { Issue.record("not followed"); return }
        #expect(chain.request.tls.verify == false)
        let elsewhere = TransportResponse(status: 302, headers: ["location": "https://files.nhs.example/x"], body: Data(),
                                          effectiveURL: chain.request.url)
        guard case .follow = chain.next(after: elsewhere) else { Issue.record("not followed"); return }
        #expect(chain.request.url == "https://files.nhs.example/x")
        #expect(chain.request.tls.verify == true)
    }

    @Test("a temporary body folder already there and open to others is refused; this user's own 0700 one is used")
    func temporaryFolderNotAnotherUsers() async throws {
        try await withTemporaryFolder(prefix: "pioneer-tmp-bodies") { parent in
            let open = parent.appendingPathComponent("pioneer-bodies-1-open")
            try FileManager.default.createDirectory(at: open, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
            chmod(open.path, 0o777)
            guard case .failure(let failure) = TemporaryBodies.create(open) else {
                Issue.record("a folder open to everyone was used")
                return
            }
            #expect(failure.message == "the temporary folder \(open.path) for large bodies already exists and is not this process's own; "
                    + "nothing is written into it (remove it, or set TMPDIR to a folder of your own)")
            let link = parent.appendingPathComponent("pioneer-bodies-2-link")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: open)
            #expect((try? TemporaryBodies.create(link).get()) == nil, "a link was followed")

            let fresh = parent.appendingPathComponent("pioneer-bodies-3-fresh")
            #expect((try? TemporaryBodies.create(fresh).get()) == fresh)
            let mode = try FileManager.default.attributesOfItem(atPath: fresh.path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o700)
            #expect((try? TemporaryBodies.create(fresh).get()) == fresh, "its own folder, made earlier, is used again")
        }
        #expect(TemporaryBodies.folder.lastPathComponent.hasPrefix("pioneer-bodies-\(getpid())-"))
    }
}

@Suite("What a refused or broken fetch says")
struct FeedRefusalMessageTests {
    private func context(_ detail: String, certificate: String? = nil, url: String = "https://bi.nhs.uk/x") -> CurlFailure.Context {
        CurlFailure.Context(detail: detail, request: TransportRequest(url: url, tls: FeedTLS(clientCertificate: certificate,
                                                                                              clientKey: certificate)),
                            connected: true, received: 0, expected: nil, bodyTooLarge: false)
    }

    @Test("a 401 names the schemes the server offers against the feed's own")
    func unauthorizedHints() {
        let bearer = FeedAuth.bearer(token: secret("T"))
        #expect(FeedError.unauthorizedHint(challenge: #"Basic realm="trust, north", charset="UTF-8""#, auth: .ntlm(username: secret("U"), password: secret("P")))
                == "the server offers Basic; the feed's auth is `ntlm`")
        #expect(FeedError.unauthorizedHint(challenge: "Negotiate, NTLM", auth: .none)
                == "the server asks for authentication (it offers Negotiate, NTLM); give the feed an `auth`")
        #expect(FeedError.unauthorizedHint(challenge: "Negotiate", auth: .negotiate(username: nil, password: nil))?
            .hasPrefix("the server offers Negotiate, but no Kerberos ticket it accepts was sent: run `kinit`") == true)
        #expect(FeedError.unauthorizedHint(challenge: nil, auth: bearer) == "the server refused the feed's bearer credentials")
        #expect(FeedError.unauthorizedHint(challenge: #"Bearer error="invalid_token""#, auth: bearer) == "the server refused the feed's bearer credentials")
    }

    @Test("a 401 from a real server carries the hint in the feed's error")
    func unauthorizedFromAServer() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/api") { _, _ -> Response in
                Response(status: .unauthorized, headers: [.wwwAuthenticate: #"Basic realm="bi""#])
            }
        }) { server in
            let feed = testFeed(server.baseURL, auth: .bearer(token: secret("T")))
            let error = try #require(await FeedClient(environment: ["T": "t0k3n"]).fetch(FeedFetchRequest(feed: feed, url: server.baseURL + "/api")).failure)
            #expect(error.description.hasSuffix("failed: HTTP 401 Unauthorized (the server offers Basic; the feed's auth is `bearer`)"), "\(error)")
        }
    }

    @Test("a proxy login typed into the URL is split at its last @, and text written in the template is percent-decoded")
    func proxyLoginSplitting() throws {
        let typed = try TransportRequest.proxy("http://svc:pa/ss?#w@rd@127.0.0.1:3128", environment: [:])
        #expect(typed.url == "http://127.0.0.1:3128")
        #expect(typed.login == TransportRequest.ProxyLogin(username: "svc", password: "pa/ss?#w@rd"))
        let domain = try TransportRequest.proxy("http://TRUST%5C${USER}:${PASS}@proxy.nhs.local:3128", environment: ["USER": "a%41", "PASS": "p"])
        #expect(domain.login == TransportRequest.ProxyLogin(username: "TRUST\\a%41", password: "p"))
        #expect(try TransportRequest.proxy("http://proxy.nhs.local:3128", environment: [:]).login == nil)
        // And redaction compares a name percent-decoded, in any case.
        #expect(FeedURL.redact("https://f/x?%4Bey=1&%54oken=2&month=5") == "https://f/x?%4Bey=REDACTED&%54oken=REDACTED&month=5")
    }

    @Test("a SOCKS proxy that refuses the login is not retried")
    func socksLoginRefused() {
        let cause = CurlFailure.cause(code: 97, context: context("User was rejected by the SOCKS5 server (1 1)."))
        #expect(cause == .proxyLoginRefused)
        #expect(!cause.isRetryable)
        #expect(cause.description.hasPrefix("proxy: the SOCKS proxy refused the login; check the user name and password"))
    }

    @Test("TLS alerts, oversized headers and an environment proxy are said as such, and the first two not retried")
    func curlFailureWords() {
        let alert = CurlFailure.cause(code: 56, context: context("OpenSSL SSL_read: error:0A000418:SSL routines::tlsv1 alert unknown ca, errno 0",
                                                                  certificate: "certs/client.pem"))
        #expect(alert == .tls("the server refused the client certificate certs/client.pem (OpenSSL SSL_read: error:0A000418:SSL routines::tlsv1 alert unknown ca, errno 0)"))
        #expect(!alert.isRetryable)
        let headers = CurlFailure.cause(code: 56, context: context("Too large response headers: 307267 > 307200"))
        #expect(headers.description == "the server's response headers are larger than libcurl accepts (Too large response headers: 307267 > 307200) (libcurl error 56)")
        #expect(!headers.isRetryable)
        #expect(CurlFailure.cause(code: 27, context: context("Out of memory")).description
                == "libcurl ran out of memory, or the server sent a header line longer than libcurl accepts (100 KB) (libcurl error 27)")

        let environment = ["https_proxy": "http://proxy.trust.nhs.uk:3128", "no_proxy": "localhost,.internal.nhs.uk"]
        #expect(CurlFailure.environmentProxy(for: "https://bi.nhs.uk/x", environment: environment)?.variable == "https_proxy")
        #expect(CurlFailure.environmentProxy(for: "https://bi.internal.nhs.uk/x", environment: environment) == nil)
        #expect(CurlFailure.environmentProxy(for: "http://bi.nhs.uk/x", environment: environment) == nil)
    }
}
