// The feed client against a real local HTTP server that misbehaves on purpose: one test per fault.
import Foundation
import Hummingbird
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds

@Suite("Feed client faults")
struct FeedClientFaultTests {
    let client = FeedClient(environment: [:])

    private func fetch(_ feed: FeedDefinition, _ path: String,
                       validators: CacheValidators? = nil) async -> Result<FeedFetchResult, FeedError> {
        await client.fetch(FeedFetchRequest(feed: feed, url: feed.baseURL + path, validators: validators))
    }

    @Test("a refused connection is retried, then reported")
    func refusedConnection() async throws {
        let port = try await LoopbackServer.closedPort()
        let feed = testFeed("http://127.0.0.1:\(port)", retries: 1)
        let error = try #require(await fetch(feed, "/x").failure)
        #expect(error.cause == .connectionRefused)
        #expect(error.attempts == 2)
        #expect(error.description == "feed \"bi\": GET http://127.0.0.1:\(port)/x failed: connection refused after 2 attempts")
    }

    @Test("a server that does not answer in time is a timeout")
    func timeout() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/slow") { _, _ in
                try await Task.sleep(for: .seconds(1.5))
                return "late"
            }
        }) { server in
            let error = try #require(await fetch(testFeed(server.baseURL, timeout: 0.3), "/slow").failure)
            #expect(error.cause == .timedOut(seconds: 0.3))
            #expect(error.description.hasSuffix("failed: timed out after 0.3 s"))
        }
    }

    @Test("a body that drips in slowly is stopped at the total timeout")
    func slowDrip() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/drip") { _, _ in
                Response(status: .ok, body: ResponseBody { writer in
                    // Thirty seconds of drip: far longer than the timeout, even on a loaded machine.
                    for _ in 0..<300 {
                        try await writer.write(ByteBuffer(string: "."))
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await writer.finish(nil)
                })
            }
        }) { server in
            var result: Result<FeedFetchResult, FeedError>?
            let elapsed = await measure { result = await fetch(testFeed(server.baseURL, timeout: 0.5), "/drip") }
            let error = try #require(result?.failure)
            #expect(error.description.contains("timed out after 0.5 s"))
            #expect(elapsed < 20, "stopped at the timeout, not when the 30-second body ended")
        }
    }

    @Test("a 500 is retried and the second attempt succeeds")
    func serverErrorThenSuccess() async throws {
        let counter = RequestCounter()
        try await LoopbackServer.run(routes: { router in
            router.get("/flaky") { _, _ in
                counter.arrive() == 1 ? Response(status: .internalServerError) : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok")))
            }
        }) { server in
            let result = try #require(await fetch(testFeed(server.baseURL, retries: 2), "/flaky").success)
            #expect(result.attempts == 2)
            #expect(result.status == 200)
            #expect(String(decoding: result.body, as: UTF8.self) == "ok")
        }
    }

    @Test("a 503 that persists fails after every attempt")
    func persistentServerError() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/down") { _, _ in Response(status: .serviceUnavailable) }
        }) { server in
            let error = try #require(await fetch(testFeed(server.baseURL, retries: 2), "/down").failure)
            #expect(error.attempts == 3)
            #expect(error.status == 503)
            #expect(error.description.hasSuffix("failed: HTTP 503 Service Unavailable after 3 attempts"))
        }
    }

    @Test("a 404 is not retried")
    func notFound() async throws {
        let counter = RequestCounter()
        try await LoopbackServer.run(routes: { router in
            router.get("/gone") { _, _ in
                counter.arrive()
                return Response(status: .notFound)
            }
        }) { server in
            let error = try #require(await fetch(testFeed(server.baseURL, retries: 3), "/gone").failure)
            #expect(error.attempts == 1)
            #expect(counter.total == 1)
            #expect(error.description == "feed \"bi\": GET \(server.baseURL)/gone failed: HTTP 404 Not Found")
        }
    }

    @Test("a 429 is retried after the Retry-After delay")
    func tooManyRequests() async throws {
        let counter = RequestCounter()
        try await LoopbackServer.run(routes: { router in
            router.get("/busy") { _, _ in
                counter.arrive() == 1
                    ? Response(status: .tooManyRequests, headers: [.retryAfter: "1"])
                    : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "done")))
            }
        }) { server in
            var result: Result<FeedFetchResult, FeedError>?
            let elapsed = await measure { result = await fetch(testFeed(server.baseURL, retries: 1), "/busy") }
            let fetched = try #require(result?.success)
            #expect(fetched.attempts == 2)
            #expect(elapsed >= 0.95)
            #expect(elapsed < 30, "waited about the Retry-After's 1 s, not a minute (bound loose for the whole suite's load)")
        }
    }

    @Test("a Retry-After longer than max_backoff is capped")
    func retryAfterCapped() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/busy") { _, _ in Response(status: .tooManyRequests, headers: [.retryAfter: "60"]) }
        }) { server in
            var result: Result<FeedFetchResult, FeedError>?
            let feed = testFeed(server.baseURL, retries: 1, maxBackoff: 0.2)
            let elapsed = await measure { result = await fetch(feed, "/busy") }
            let error = try #require(result?.failure)
            #expect(error.description.hasSuffix("failed: HTTP 429 Too Many Requests after 2 attempts"))
            // Capped at 0.2 s instead of the 60 asked: well under 30 s even under the whole suite's load.
            #expect(elapsed < 30)
        }
    }

    @Test("garbage content is passed through untouched: parsing is the plugin's job")
    func garbageBody() async throws {
        let garbage: [UInt8] = [0xFF, 0x00, 0xFE] + Array("{not json,,".utf8)
        try await LoopbackServer.run(routes: { router in
            router.get("/junk") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(bytes: garbage)))
            }
        }) { server in
            let result = try #require(await fetch(testFeed(server.baseURL), "/junk").success)
            #expect(Array(result.body) == garbage)
            #expect(result.headers["content-type"] == "application/json")
        }
    }

    @Test("a body cut short of its Content-Length is an error")
    func truncatedBody() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/cut") { _, _ in
                Response(status: .ok, body: ResponseBody(contentLength: 100) { writer in
                    try await writer.write(ByteBuffer(string: "0123456789"))
                    throw HarnessError("hanging up mid-body")
                })
            }
        }) { server in
            let error = try #require(await fetch(testFeed(server.baseURL), "/cut").failure)
            #expect(error.cause == .truncatedBody(received: 10, expected: 100))
            #expect(error.description.hasSuffix("failed: connection closed after 10 of 100 bytes of the body"))
        }
    }

    @Test("a body over max_body is refused, whether its length is announced or not")
    func oversizedBody() async throws {
        let big = ByteBuffer(repeating: UInt8(ascii: "x"), count: 4096)
        try await LoopbackServer.run(routes: { router in
            router.get("/big") { _, _ in Response(status: .ok, body: .init(byteBuffer: big)) }
            router.get("/big-stream") { _, _ in
                Response(status: .ok, body: ResponseBody { writer in
                    for _ in 0..<8 { try await writer.write(ByteBuffer(repeating: UInt8(ascii: "y"), count: 512)) }
                    try await writer.finish(nil)
                })
            }
        }) { server in
            let feed = testFeed(server.baseURL, retries: 2, maxBody: 1024)
            for path in ["/big", "/big-stream"] {
                let error = try #require(await fetch(feed, path).failure)
                #expect(error.attempts == 1)
                #expect(error.description.contains("failed: body larger than 1 KB, the feed's `max_body`"), "\(error)")
            }
        }
    }

    @Test("a redirect loop stops at max_redirects with a clear message")
    func redirectLoop() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/loop/a") { _, _ in Response(status: .found, headers: [.location: "/loop/b"]) }
            router.get("/loop/b") { _, _ in Response(status: .found, headers: [.location: "/loop/a"]) }
        }) { server in
            let error = try #require(await fetch(testFeed(server.baseURL, maxRedirects: 4), "/loop/a").failure)
            #expect(error.description.hasSuffix(
                "failed: too many redirects (4): the server redirects in a loop: /loop/b -> /loop/a -> /loop/b"))
        }
    }

    @Test("a redirect is followed to the final response")
    func followedRedirect() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/old") { _, _ in Response(status: .movedPermanently, headers: [.location: "/new"]) }
            router.get("/new") { _, _ in "moved here" }
        }) { server in
            let result = try #require(await fetch(testFeed(server.baseURL), "/old").success)
            #expect(result.status == 200)
            #expect(String(decoding: result.body, as: UTF8.self) == "moved here")
            #expect(result.url == server.url("/old"))
        }
    }

    @Test("a redirect to a file: URL is refused")
    func redirectToFile() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/sneaky") { _, _ in Response(status: .found, headers: [.location: "file:///etc/passwd"]) }
        }) { server in
            let error = try #require(await fetch(testFeed(server.baseURL), "/sneaky").failure)
            #expect(error.description.hasSuffix(
                "failed: invalid URL: redirected to file:///etc/passwd, which is not an http or https URL"))
        }
    }

    @Test("a redirect without a Location header says so")
    func redirectWithoutLocation() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/nowhere") { _, _ in Response(status: .found) }
        }) { server in
            let error = try #require(await fetch(testFeed(server.baseURL), "/nowhere").failure)
            #expect(error.description.hasSuffix("failed: invalid URL: HTTP 302 Found redirects without a Location header to follow"), "\(error)")
        }
    }

    @Test("a conditional request answered 304 is a success marked not modified")
    func notModified() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/cached") { request, _ in
                if LoopbackServer.header("If-None-Match", of: request) == "\"v1\"" {
                    return Response(status: .notModified, headers: [.eTag: "\"v1\""])
                }
                return Response(status: .ok, headers: [.eTag: "\"v1\"", .lastModified: "Mon, 01 Jun 2026 00:00:00 GMT"],
                                body: .init(byteBuffer: ByteBuffer(string: "fresh")))
            }
        }) { server in
            let feed = testFeed(server.baseURL)
            let first = try #require(await fetch(feed, "/cached").success)
            #expect(!first.notModified)
            #expect(first.validators == CacheValidators(etag: "\"v1\"", lastModified: "Mon, 01 Jun 2026 00:00:00 GMT"))
            let second = try #require(await fetch(feed, "/cached", validators: first.validators).success)
            #expect(second.notModified)
            #expect(second.status == 304)
            #expect(second.body.isEmpty)
            #expect(second.validators == first.validators)
        }
    }

    @Test("a small gzip body that decodes past max_body is refused: the limit counts what it decodes to")
    func gzipBombIsRefused() async throws {
        // Four megabytes of `x`, gzip-compressed (Python's gzip, level 9) to 4,098 bytes, against
        // a 1 MB limit; the middle of its base64 is a run of 5,416 `A`s.
        let base64 = "H4sIAAAAAAACA+3BAQEAAACCoNvOb0hAAQ" + String(repeating: "A", count: 5416) + "B8G5plnMcAAEAA"
        let compressed = try #require(Data(base64Encoded: base64))
        try await LoopbackServer.run(routes: { router in
            router.get("/bomb") { _, _ in
                Response(status: .ok, headers: [.contentEncoding: "gzip", .contentType: "text/csv"],
                         body: .init(byteBuffer: ByteBuffer(bytes: compressed)))
            }
        }) { server in
            #expect(compressed.count < 64 << 10)
            let error = try #require(await fetch(testFeed(server.baseURL, maxBody: 1 << 20), "/bomb").failure)
            #expect(error.description.contains("failed: body larger than 1 MB, the feed's `max_body` (after any gzip or deflate decoding)"),
                    "\(error)")
        }
    }

    @Test("a gzip body is decoded")
    func gzipBody() async throws {
        // "measure,value\n" and 40 lines of "admissions,23.5\n", gzip-compressed.
        let compressed = try #require(Data(base64Encoded:
            "H4sIAAAAAAACA8tNTSwuLUrVKUvMKU3lSkzJzSwuzszPK9YxMtYzHeWP8unKBwCHKiRijgIAAA=="))
        try await LoopbackServer.run(routes: { router in
            router.get("/zipped") { request, _ in
                guard LoopbackServer.header("Accept-Encoding", of: request).contains("gzip") else {
                    return Response(status: .notAcceptable)
                }
                return Response(status: .ok, headers: [.contentEncoding: "gzip", .contentType: "text/csv"],
                                body: .init(byteBuffer: ByteBuffer(bytes: compressed)))
            }
        }) { server in
            let result = try #require(await fetch(testFeed(server.baseURL), "/zipped").success)
            let text = "measure,value\n" + String(repeating: "admissions,23.5\n", count: 40)
            #expect(String(decoding: result.body, as: UTF8.self) == text)
        }
    }

    @Test("speaking TLS to a plain HTTP server is a TLS error, not retried")
    func tlsHandshakeFailure() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/x") { _, _ in "plain" }
        }) { server in
            // libcurl's connect timeout covers the handshake: generous, so that a loaded
            // machine cannot turn the handshake failure into a (retried) timeout.
            let feed = testFeed("https://127.0.0.1:\(server.port)", connectTimeout: 30, timeout: 30, retries: 2)
            let error = try #require(await fetch(feed, "/x").failure)
            #expect(error.attempts == 1, "\(error)")
            // OpenSSL's "wrong version number" (a plain HTTP answer to the TLS hello) in plain words.
            #expect(error.description.hasSuffix("failed: TLS: the server does not speak TLS on this port (is the URL meant to be http://?)"), "\(error)")
        }
    }

    @Test("a slow answer on a reused keep-alive connection is a timeout, not 'could not connect'")
    func slowAnswerOnAReusedConnection() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/quick") { _, _ in "ok" }
            router.get("/slow") { _, _ in
                try await Task.sleep(for: .seconds(3))
                return "late"
            }
        }) { server in
            // One connection for both (one at a time to the host); the first with time to spare
            // on a loaded machine, the second with a timeout well inside the server's delay.
            let client = FeedClient(environment: [:], limits: FeedClientLimits(maxParallel: 1, maxPerHost: 1))
            let quick = testFeed(server.baseURL, timeout: 30), slow = testFeed(server.baseURL, timeout: 1)
            #expect(await client.fetch(FeedFetchRequest(feed: quick, url: server.baseURL + "/quick")).success != nil)
            let error = try #require(await client.fetch(FeedFetchRequest(feed: slow, url: server.baseURL + "/slow")).failure)
            #expect(error.cause == .timedOut(seconds: 1), "\(error)")
            #expect(error.description.hasSuffix("failed: timed out after 1 s"), "\(error)")
        }
    }

    @Test("a CA bundle that cannot be read is named")
    func unreadableCABundle() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/x") { _, _ in "plain" }
        }) { server in
            var feed = testFeed("https://127.0.0.1:\(server.port)")
            feed.tls = FeedTLS(caBundle: "/nonexistent/internal-ca.pem")
            let error = try #require(await fetch(feed, "/x").failure)
            #expect(error.description.hasSuffix("failed: TLS: cannot read CA bundle /nonexistent/internal-ca.pem"))
        }
    }

    @Test("cancelling the task stops the transfer")
    func cancellation() async throws {
        // Cancelled once the server has the request, not after a guessed delay that a loaded
        // machine could stretch past the answer or the attempt's timeout.
        let held = HeldAnswer()
        try await LoopbackServer.run(routes: { router in
            router.get("/slow") { _, _ in
                // Held until the test has its result, so no answer can race the cancel.
                try await held.hold()
                return "late"
            }
        }) { server in
            let feed = testFeed(server.baseURL, timeout: 60, retries: 3)
            let task = Task { await fetch(feed, "/slow") }
            await held.arrival()
            task.cancel()
            let result = await task.value
            held.release()
            let error = try #require(result.failure)
            #expect(error.cause == .cancelled)
            #expect(error.attempts == 1)
        }
    }

    @Test("the client counts body bytes as they arrive, before the transfer ends")
    func bodyBytesAreCountedAsTheyArrive() async throws {
        // Two megabytes, then the rest held until the test has seen the first part counted.
        let held = HeldAnswer()
        let piece = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)
        try await LoopbackServer.run(routes: { router in
            router.get("/extract") { _, _ in
                Response(status: .ok, body: ResponseBody { writer in
                    try await writer.write(piece)
                    try await writer.write(piece)
                    try await held.hold()
                    try await writer.write(piece)
                    try await writer.finish(nil)
                })
            }
        }) { server in
            let counting = FeedClient(environment: [:])
            #expect(counting.bodyBytesReceived == 0)
            let feed = testFeed(server.baseURL, timeout: 60, maxBody: 16 << 20)
            let task = Task { await counting.fetch(FeedFetchRequest(feed: feed, url: server.baseURL + "/extract")) }
            await held.arrival()
            let deadline = ContinuousClock.now + .seconds(10)
            while (counting.bodyBytesReceived ?? 0) < 2 << 20, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let midway = counting.bodyBytesReceived
            held.release()
            let result = try #require(await task.value.success)
            #expect(midway == 2 << 20, "the first two megabytes, counted while the third was held back")
            #expect(result.bodySize == 3 << 20)
            #expect(counting.bodyBytesReceived == 3 << 20)
        }
    }

}
