// Error messages, libcurl error mapping and retry timing, without a network.
import Foundation
import PioneerCore
import Testing
@testable import PioneerFeeds

@Suite("Feed errors and retry timing")
struct FeedErrorTests {
    static let causeTexts: [(FeedError.Cause, String)] = [
        (.timedOut(seconds: 10), "timed out after 10 s"),
        (.timedOut(seconds: 0.5), "timed out after 0.5 s"),
        (.connectTimedOut(seconds: 3), "could not connect: timed out after 3 s"),
        (.http(status: 404), "HTTP 404 Not Found"),
        (.http(status: 599), "HTTP 599"),
        (.bodyTooLarge(limit: 20 * 1024 * 1024), "body larger than 20 MB, the feed's `max_body` (after any gzip or deflate decoding); give the feed a larger `max_body` if the extract is meant to be this big"),
        (.bodyTooLarge(limit: 512 * 1024), "body larger than 512 KB, the feed's `max_body` (after any gzip or deflate decoding); give the feed a larger `max_body` if the extract is meant to be this big"),
        (.bodyTooLarge(limit: 1536 * 1024), "body larger than 1.5 MB, the feed's `max_body` (after any gzip or deflate decoding); give the feed a larger `max_body` if the extract is meant to be this big"),
        (.bodyTooLarge(limit: 300), "body larger than 300 bytes, the feed's `max_body` (after any gzip or deflate decoding); give the feed a larger `max_body` if the extract is meant to be this big"),
        (.tooManyRedirects(limit: 5, loop: nil), "too many redirects (5)"),
        (.missingCredential(variables: ["BI_TOKEN"], usage: "bearer token"), "credential ${BI_TOKEN} is not set (bearer token)"),
        (.missingCredential(variables: ["U", "P"], usage: "basic auth"), "credentials ${U} and ${P} are not set (basic auth)"),
        (.tls("certificate not trusted"), "TLS: certificate not trusted"),
        (.truncatedBody(received: 10, expected: 100), "connection closed after 10 of 100 bytes of the body"),
    ]

    @Test("causes read as plain English", arguments: causeTexts)
    func causeText(cause: FeedError.Cause, text: String) {
        #expect(cause.description == text)
    }

    @Test("a failure after retries says how many attempts were made")
    func attemptsInMessage() {
        let error = FeedError(feed: "bi", url: "https://bi.nhs.uk/x", attempts: 3, cause: .http(status: 503))
        #expect(error.description == "feed \"bi\": GET https://bi.nhs.uk/x failed: HTTP 503 Service Unavailable after 3 attempts")
        #expect(error.status == 503)
    }

    @Test("only connection errors, timeouts, 429 and 5xx are retried")
    func retryable() {
        #expect(FeedError.Cause.http(status: 429).isRetryable)
        #expect(FeedError.Cause.http(status: 502).isRetryable)
        #expect(FeedError.Cause.connectionRefused.isRetryable)
        #expect(FeedError.Cause.timedOut(seconds: 1).isRetryable)
        #expect(!FeedError.Cause.http(status: 404).isRetryable)
        #expect(!FeedError.Cause.http(status: 401).isRetryable)
        #expect(!FeedError.Cause.tls("certificate not trusted").isRetryable)
        #expect(!FeedError.Cause.bodyTooLarge(limit: 1).isRetryable)
    }

    // MARK: libcurl codes

    private func context(_ detail: String) -> CurlFailure.Context {
        CurlFailure.Context(
            detail: detail,
            request: TransportRequest(url: "https://bi.nhs.uk/x", tls: FeedTLS(caBundle: "certs/ca.pem")),
            connected: true, received: 0, expected: nil, bodyTooLarge: false
        )
    }

    @Test("an untrusted certificate reads as a TLS error")
    func untrustedCertificate() {
        let cause = CurlFailure.cause(code: 60, context: context("SSL certificate problem: self-signed certificate"))
        #expect(cause.description == "TLS: certificate not trusted (self-signed certificate)")
    }

    @Test("an unreadable CA bundle is named")
    func badBundle() {
        let cause = CurlFailure.cause(code: 77, context: context("error setting certificate file"))
        #expect(cause.description == "TLS: cannot read CA bundle certs/ca.pem")
    }

    @Test("a redirect chain that repeats is reported as a loop")
    func loopDetection() {
        let loop = RedirectChain.loop(in: ["/a", "/b", "/a", "/b"])
        #expect(FeedError.Cause.tooManyRedirects(limit: 3, loop: loop).description
            == "too many redirects (3): the server redirects in a loop: /a -> /b -> /a")
        #expect(RedirectChain.loop(in: ["/a", "/b", "/c"]) == nil)
    }

    @Test("a refused connection is recognised from libcurl's message")
    func refused() {
        let cause = CurlFailure.cause(code: 7, context: context("Failed to connect to 127.0.0.1 port 9: Connection refused"))
        #expect(cause == .connectionRefused)
    }

    // MARK: Timing

    @Test("Retry-After is read as seconds or as an HTTP date")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(RetryTiming.retryAfter("7", now: now) == 7)
        #expect(RetryTiming.retryAfter(" 0 ", now: now) == 0)
        let date = "Mon, 21 Sep 2026 14:13:40 GMT"   // 1_790_000_020
        #expect(RetryTiming.retryAfter(date, now: now) == 20)
        #expect(RetryTiming.retryAfter("soon", now: now) == nil)
        #expect(RetryTiming.retryAfter(nil, now: now) == nil)
    }

    @Test("backoff doubles with jitter, honours Retry-After and never exceeds the cap")
    func backoff() {
        var generator = SystemRandomNumberGenerator()
        let policy = RetryPolicy(retries: 5, backoff: 0.5, maxBackoff: 3)
        for _ in 0..<20 {
            let first = RetryTiming.delay(beforeRetry: 1, policy: policy, retryAfter: nil, using: &generator)
            let third = RetryTiming.delay(beforeRetry: 3, policy: policy, retryAfter: nil, using: &generator)
            #expect((0.25...0.5).contains(first))
            #expect((1.0...2.0).contains(third))
            #expect(RetryTiming.delay(beforeRetry: 9, policy: policy, retryAfter: nil, using: &generator) <= 3)
        }
        #expect(RetryTiming.delay(beforeRetry: 1, policy: policy, retryAfter: 2, using: &generator) == 2)
        #expect(RetryTiming.delay(beforeRetry: 1, policy: policy, retryAfter: 120, using: &generator) == 3)
    }
}
