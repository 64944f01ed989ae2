// URL templates, joining and redaction.
import PioneerCore
import PioneerKit
import Testing
@testable import PioneerFeeds

@Suite("Feed URLs")
struct FeedURLTests {
    let bi = testFeed("https://bi.torbay.nhs.uk/api")
    let q1 = Period.financialQuarter(2026, 1)

    @Test("every placeholder is filled in for the period, percent-encoded")
    func placeholders() throws {
        let request = FeedRequest(
            key: "k", feed: "bi",
            path: "/x/{period}/{period.start}/{period.end}/{period.year}/{period.month}/{period.adx}"
        )
        let url = try FeedURL.resolve(request, feed: bi, period: q1)
        #expect(url == "https://bi.torbay.nhs.uk/api/x/FY2026-27%20Q1/2026-04-01/2026-06-30/2026/04/2026-04-01%2FP3M")
    }

    @Test("query values are templated, encoded and sorted by name")
    func query() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "admissions",
                                  query: ["to": "{period.end}", "label": "{period}", "q": "a&b=c"])
        let url = try FeedURL.resolve(request, feed: bi, period: q1)
        #expect(url == "https://bi.torbay.nhs.uk/api/admissions?label=FY2026-27%20Q1&q=a%26b%3Dc&to=2026-06-30")
    }

    @Test("query parameters are appended to a path that has its own query")
    func queryAfterPathQuery() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "/admissions?month={period}", query: ["format": "csv"])
        let url = try FeedURL.resolve(request, feed: bi, period: .month(2026, 6))
        #expect(url == "https://bi.torbay.nhs.uk/api/admissions?month=2026-06&format=csv")
    }

    @Test("the request's own period wins over the collected one")
    func requestPeriod() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "/m/{period}", period: .month(2025, 12))
        #expect(try FeedURL.resolve(request, feed: bi, period: q1) == "https://bi.torbay.nhs.uk/api/m/2025-12")
    }

    @Test("base URL and path are joined with exactly one slash", arguments: [
        ("https://h/api", "/x", "https://h/api/x"),
        ("https://h/api/", "/x", "https://h/api/x"),
        ("https://h/api/", "x", "https://h/api/x"),
        ("https://h/api", "x", "https://h/api/x"),
        ("https://h/api/", "", "https://h/api"),
        ("https://h/api", "?a=1", "https://h/api?a=1"),
    ])
    func joining(base: String, path: String, expected: String) throws {
        let url = try FeedURL.resolve(FeedRequest(key: "k", feed: "bi", path: path), feed: testFeed(base), period: q1)
        #expect(url == expected)
    }

    @Test("spaces in the literal path are encoded, URL punctuation kept")
    func literalEncoding() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "/care homes/deaths.csv?site=a,b")
        #expect(try FeedURL.resolve(request, feed: bi, period: q1) == "https://bi.torbay.nhs.uk/api/care%20homes/deaths.csv?site=a,b")
    }

    @Test("an unknown placeholder is an error naming it and listing the known ones")
    func unknownPlaceholder() {
        let request = FeedRequest(key: "k", feed: "bi", path: "/x/{period.day}", query: ["w": "{week}"])
        #expect {
            try FeedURL.resolve(request, feed: bi, period: q1)
        } throws: { error in
            guard let error = error as? FeedError else { return false }
            return error.attempts == 0
                && error.description == "feed \"bi\": https://bi.torbay.nhs.uk/api/x/{period.day}: unknown placeholders "
                    + "{period.day} and {week}; known placeholders are {period}, {period.start}, {period.end}, "
                    + "{period.year}, {period.month} and {period.adx}; nothing was sent"
        }
    }

    @Test("an unclosed brace is an error")
    func unclosedBrace() {
        let request = FeedRequest(key: "k", feed: "bi", path: "/x/{period")
        #expect {
            try FeedURL.resolve(request, feed: bi, period: q1)
        } throws: { error in
            (error as? FeedError)?.cause == .invalidURL("unclosed { in `/x/{period`")
        }
    }

    @Test("a base URL that is not http or https is an error")
    func badScheme() {
        #expect {
            try FeedURL.resolve(FeedRequest(key: "k", feed: "bi", path: "/x"), feed: testFeed("ftp://h/api"), period: q1)
        } throws: { error in
            "\(error)".contains("base_url `ftp://h/api` must start with http:// or https://")
        }
    }

    @Test("redaction removes user:password@ from URLs", arguments: [
        ("https://alice:s3cret@bi.nhs.uk/api/x", "https://bi.nhs.uk/api/x"),
        ("http://alice@bi.nhs.uk:8080", "http://bi.nhs.uk:8080"),
        ("https://a:b@c@bi.nhs.uk/p?q=1", "https://bi.nhs.uk/p?q=1"),
        ("https://bi.nhs.uk/x@y", "https://bi.nhs.uk/x@y"),
        ("not a url", "not a url"),
    ])
    func redactsUserInfo(url: String, expected: String) {
        #expect(FeedURL.redact(url) == expected)
    }

    @Test("redaction hides secret-looking query values")
    func redactsQuerySecrets() {
        let url = "https://bi.nhs.uk/x?month=2026-06&token=abc&API_KEY=def&keep=1#frag"
        #expect(FeedURL.redact(url) == "https://bi.nhs.uk/x?month=2026-06&token=REDACTED&API_KEY=REDACTED&keep=1#frag")
        // A presigned download link's signature and credential, an API `key`, a name percent-encoded.
        let presigned = "https://files.example/x.csv?X-Amz-Credential=AKIA1&X-Amz-Signature=abc&key=GKEY&access%5Ftoken=t&month=5"
        #expect(FeedURL.redact(presigned)
                == "https://files.example/x.csv?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&key=REDACTED&access%5Ftoken=REDACTED&month=5")
    }

    @Test("errors never show credentials given in the URL")
    func errorsAreRedacted() {
        let error = FeedError(feed: "bi", url: "https://alice:s3cret@bi.nhs.uk/x", attempts: 1, cause: .connectionRefused)
        #expect(error.url == "https://bi.nhs.uk/x")
        #expect(!error.description.contains("s3cret"))
        #expect(error.description == "feed \"bi\": GET https://bi.nhs.uk/x failed: connection refused")
    }

    // MARK: Paths that climb

    @Test("a path that climbs out of base_url is refused before sending, showing the URL it would request")
    func climbingPathRefused() {
        let request = FeedRequest(key: "k", feed: "bi", path: "/../../../../etc/passwd")
        #expect {
            try FeedURL.resolve(request, feed: bi, period: q1)
        } throws: { error in
            "\(error)" == "feed \"bi\": https://bi.torbay.nhs.uk/api/../../../../etc/passwd: invalid URL: the path climbs out of base_url `https://bi.torbay.nhs.uk/api` with `..` (it would request https://bi.torbay.nhs.uk/etc/passwd); nothing was sent"
        }
    }

    @Test("a climb hidden in percent-encoding is refused at request time too")
    func encodedClimbRefused() {
        for path in ["/%2e%2e/%2E%2E/etc/passwd", "/x/..%2F..%2F..%2Fetc"] {
            let request = FeedRequest(key: "k", feed: "bi", path: path)
            #expect(throws: FeedError.self) { try FeedURL.resolve(request, feed: bi, period: q1) }
        }
    }

    @Test("a .. that stays under base_url is resolved, so the URL shown is the URL the server receives")
    func innerDotSegmentsResolved() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "/reports/./old/../admissions/{period.year}", query: ["m": "../x"])
        #expect(try FeedURL.resolve(request, feed: bi, period: q1)
            == "https://bi.torbay.nhs.uk/api/reports/admissions/2026?m=..%2Fx")
    }

    @Test("removing dot segments follows RFC 3986", arguments: [
        ("http://h/a/b/c/./../../g", "http://h/a/g"),
        ("http://h/a/..", "http://h/"),
        ("http://h/a/b/.", "http://h/a/b/"),
        ("http://h/.well-known/x?q=/../", "http://h/.well-known/x?q=/../"),
        ("http://h", "http://h"),
    ])
    func dotSegments(url: String, expected: String) {
        #expect(FeedPathTemplate.removingDotSegments(url) == expected)
    }
}
