// Many feeds at once: limits on parallel transfers, connection reuse, ordering and progress events.
import Foundation
import Hummingbird
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds

@Suite("Feed client concurrency")
struct FeedClientConcurrencyTests {
    /// Routes: `/work?n=` answers `n` after 20 ms, counting requests in flight.
    private func withWorkServer(_ counter: RequestCounter, _ body: (LoopbackServer) async throws -> Void) async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/work") { request, _ in
                counter.arrive()
                defer { counter.leave() }
                try await Task.sleep(for: .milliseconds(20))
                return String(request.uri.queryParameters["n"] ?? "")
            }
        }, body)
    }

    @Test("50 requests with maxParallel 4 all succeed, in order, never more than 4 at the server")
    func boundedParallelism() async throws {
        let counter = RequestCounter()
        try await withWorkServer(counter) { server in
            let client = FeedClient(environment: [:], limits: FeedClientLimits(maxParallel: 4, maxPerHost: 8))
            let feed = testFeed(server.baseURL)
            let requests = (0..<50).map { FeedFetchRequest(feed: feed, url: server.url("/work?n=\($0)")) }
            let results = await client.fetchAll(requests)
            let bodies = results.map { $0.success.map { String(decoding: $0.body, as: UTF8.self) } }
            #expect(bodies == (0..<50).map { String($0) })
            #expect(counter.total == 50)
            #expect(counter.maxInFlight <= 4)
            #expect(counter.maxInFlight >= 2)
        }
    }

    @Test("the per-host limit holds when the overall limit is higher")
    func perHostLimit() async throws {
        let counter = RequestCounter()
        try await withWorkServer(counter) { server in
            let client = FeedClient(environment: [:], limits: FeedClientLimits(maxParallel: 16, maxPerHost: 2))
            let feed = testFeed(server.baseURL)
            let results = await client.fetchAll((0..<12).map { FeedFetchRequest(feed: feed, url: server.url("/work?n=\($0)")) })
            #expect(results.allSatisfy { $0.success != nil })
            #expect(counter.maxInFlight <= 2)
        }
    }

    @Test("a second request to the same server reuses the connection")
    func connectionReuse() async throws {
        let counter = RequestCounter()
        try await withWorkServer(counter) { server in
            let transport = CurlTransport()
            let first = try await transport.perform(TransportRequest(url: server.url("/work?n=1"))).get()
            let second = try await transport.perform(TransportRequest(url: server.url("/work?n=2"))).get()
            #expect(first.connectionsOpened == 1)
            #expect(second.connectionsOpened == 0)
        }
    }

    @Test("one failing feed does not stop the others, and events report each step")
    func eventsAndIsolation() async throws {
        let flaky = RequestCounter()
        try await LoopbackServer.run(routes: { router in
            router.get("/ok") { _, _ in "ok" }
            router.get("/missing") { _, _ in Response(status: .notFound) }
            router.get("/flaky") { _, _ in
                flaky.arrive() == 1 ? Response(status: .badGateway) : Response(status: .ok)
            }
        }) { server in
            let feed = testFeed(server.baseURL, retries: 1)
            let requests = ["/missing", "/ok", "/flaky"].map { FeedFetchRequest(feed: feed, url: server.url($0)) }
            let events = Locked<[FeedEvent]>([])
            let results = await FeedClient(environment: [:]).fetchAll(requests) { event in
                events.withLock { $0.append(event) }
            }
            #expect(results[0].failure?.status == 404)
            #expect(results[1].success?.status == 200)
            #expect(results[2].success?.attempts == 2)

            let seen = events.withLock { $0 }
            let started = seen.compactMap { if case .started(let index, _, _) = $0 { index } else { nil } }
            let retried = seen.compactMap { event -> String? in
                if case .retrying(let index, _, _, let attempt, _, let cause) = event { return "\(index):\(attempt):\(cause)" }
                return nil
            }
            let failed = seen.compactMap { event -> Int? in
                if case .finished(let index, _, _, let error) = event, error != nil { return index }
                return nil
            }
            #expect(started.sorted() == [0, 1, 2])
            #expect(retried == ["2:1:HTTP 502 Bad Gateway"])
            #expect(failed == [0])
            #expect(seen.count == 7)
        }
    }
}
