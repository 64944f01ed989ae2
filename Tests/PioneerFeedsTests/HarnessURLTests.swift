// PluginHarness and the host build request URLs with the same code: a plugin test sees the URL a collection fetches.
import PioneerCore
import PioneerKit
import PioneerTesting
import Testing
@testable import PioneerFeeds

@Suite("Harness URLs match the host's")
struct HarnessURLTests {
    /// The feed the harness pretends every request goes to.
    let harnessFeed = testFeed("http://bi.test")
    let periods: [Period] = [
        .month(2026, 6), .quarter(2026, 1), .financialQuarter(2026, 1), .financialYear(2026), .isoWeek(2026, 1)!,
    ]

    @Test func everyPlaceholderGivesTheSameURLInTheHarnessAndInProduction() throws {
        let harness = try PluginHarness(PlaceholderPlugin.self, config: [:])
        for period in periods {
            let requests = try harness.requests(for: period)
            #expect(requests.count == FeedPathTemplate.placeholders.count)
            for request in requests {
                let shown = try harness.response(to: request, period: period, body: "{}").url
                #expect(shown == (try FeedURL.resolve(request, feed: harnessFeed, period: period)), "\(request.path) in \(period)")
            }
        }
    }

    @Test func periodADXIsPercentEncodedInTheHarnessAsInProduction() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "/adx/{period.adx}", query: ["p": "{period.adx}"])
        let url = try PluginHarness<PlaceholderPlugin>.url(for: request, period: .financialQuarter(2026, 1))
        #expect(url == "http://bi.test/adx/2026-04-01%2FP3M?p=2026-04-01%2FP3M")
        #expect(url == (try FeedURL.resolve(request, feed: harnessFeed, period: .financialQuarter(2026, 1))))
    }

    @Test func aRequestsOwnPeriodFillsItsPlaceholdersInBoth() throws {
        let request = FeedRequest(key: "k", feed: "bi", path: "/m/{period.month}", period: .month(2025, 12))
        let harness = try PluginHarness(PlaceholderPlugin.self, config: [:])
        let shown = try harness.response(to: request, period: .financialQuarter(2026, 1), body: "{}").url
        #expect(shown == "http://bi.test/m/12")
        #expect(shown == (try FeedURL.resolve(request, feed: harnessFeed, period: .financialQuarter(2026, 1))))
    }

    @Test func aRequestTheHostWouldRefuseIsAHarnessErrorNamingTheProblem() {
        let cases: [(FeedRequest, String)] = [
            (FeedRequest(key: "k", feed: "bi", path: "/x/{period.quarter}"),
             "the request `k` (feed `bi`, /x/{period.quarter}) uses unknown placeholders {period.quarter}"),
            (FeedRequest(key: "k", feed: "bi", path: "/x/{period"),
             "the request `k` (feed `bi`, /x/{period) has unclosed { in `/x/{period`"),
            (FeedRequest(key: "k", feed: "bi", path: "/x/../../admin"),
             "the request `k` (feed `bi`, /x/../../admin) climbs out of its base URL with `..` (it would request http://bi.test/admin)"),
        ]
        for (request, message) in cases {
            #expect {
                _ = try PluginHarness<PlaceholderPlugin>.url(for: request, period: .month(2026, 6))
            } throws: { error in
                (error as? HarnessError)?.message == message
            }
            #expect(throws: FeedError.self) { try FeedURL.resolve(request, feed: harnessFeed, period: .month(2026, 6)) }
        }
    }
}

/// Asks for one request per placeholder, using it in both the path and the query.
private struct PlaceholderPlugin: IndicatorPlugin {
    static let name = "placeholders"
    static let summary = "Requests every placeholder once."

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> PlaceholderPlugin? {
        PlaceholderPlugin()
    }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        FeedPathTemplate.placeholders.map { name in
            FeedRequest(key: name, feed: "bi", path: "/r/{\(name)}/x?a={\(name)}", query: ["q": "{\(name)}", "z": "a b"])
        }
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        Observation(value: 0)
    }
}
