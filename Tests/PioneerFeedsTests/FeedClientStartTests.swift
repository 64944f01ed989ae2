// FeedClient.start: the completion-driven entry the collection engine uses (fetch runs on it too).
import Foundation
import Hummingbird
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds

@Suite("Feed client start and cancel")
struct FeedClientStartTests {
    let client = FeedClient(environment: [:])

    /// Starts `path` and returns the results the completion received, once it has run, and the handle.
    private func start(_ feed: FeedDefinition, _ path: String,
                       whileRunning: (FeedFetchHandle) async throws -> Void = { _ in }) async throws -> [Result<FeedFetchResult, FeedError>] {
        let (results, sink) = AsyncStream.makeStream(of: Result<FeedFetchResult, FeedError>.self)
        let handle: FeedFetchHandle = client.start(FeedFetchRequest(feed: feed, url: feed.baseURL + path)) { result in
            sink.yield(result)
        }
        try await whileRunning(handle)
        var received: [Result<FeedFetchResult, FeedError>] = []
        for await result in results {
            received.append(result)
            // Any second completion would arrive within this grace period.
            try await Task.sleep(for: .milliseconds(100))
            handle.cancel()
            sink.finish()
        }
        return received
    }

    @Test("the completion runs exactly once, and cancelling afterwards changes nothing")
    func completionRunsOnce() async throws {
        try await LoopbackServer.run(routes: { router in
            router.get("/ok") { _, _ in "fine" }
        }) { server in
            let results = try await start(testFeed(server.baseURL), "/ok")
            #expect(results.count == 1)
            let fetched = try #require(results.first?.success)
            #expect(fetched.status == 200)
            #expect(String(decoding: fetched.body, as: UTF8.self) == "fine")
        }
    }

    @Test("cancelling while waiting to retry ends at once with the failure that caused the wait")
    func cancelDuringRetryWait() async throws {
        let counter = RequestCounter()
        try await LoopbackServer.run(routes: { router in
            router.get("/busy") { _, _ in
                _ = counter.arrive()
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "30"])
            }
        }) { server in
            let feed = testFeed(server.baseURL, retries: 3, maxBackoff: 30)
            // Cancel when the client says it is waiting to retry, not after a guessed delay:
            // on a loaded machine the first attempt can take longer than any fixed sleep.
            let (retries, retrySink) = AsyncStream.makeStream(of: Void.self)
            let (stream, sink) = AsyncStream.makeStream(of: Result<FeedFetchResult, FeedError>.self)
            let handle = client.start(FeedFetchRequest(feed: feed, url: feed.baseURL + "/busy"), index: 0, onEvent: { event in
                if case .retrying = event { retrySink.yield() }
            }, completion: { result in
                sink.yield(result)
                sink.finish()
            })
            for await _ in retries { break }
            let begun = ContinuousClock.now
            handle.cancel()
            var received: [Result<FeedFetchResult, FeedError>] = []
            for await result in stream { received.append(result) }
            let elapsed = begun.duration(to: .now)
            let results = received
            #expect(results.count == 1)
            let error = try #require(results.first?.failure)
            #expect(error.cause == .http(status: 503))
            #expect(error.attempts == 1)
            #expect(counter.total == 1)
            #expect(elapsed < .seconds(5))
        }
    }

    @Test("cancelling an attempt on the wire reports it cancelled")
    func cancelInFlight() async throws {
        // Cancelled once the server has the request, not after a guessed delay: on a loaded
        // machine a delay can outlast the attempt's timeout, and a retry was then cancelled.
        let held = HeldAnswer()
        try await LoopbackServer.run(routes: { router in
            router.get("/slow") { _, _ in
                // Held until the test has its result, so no answer can race the cancel.
                try await held.hold()
                return "late"
            }
        }) { server in
            let results = try await start(testFeed(server.baseURL, timeout: 60, retries: 3), "/slow") { handle in
                await held.arrival()
                handle.cancel()
            }
            held.release()
            #expect(results.count == 1)
            let error = try #require(results.first?.failure)
            #expect(error.cause == .cancelled)
            #expect(error.attempts == 1)
        }
    }

    @Test("a request that fails before it is sent (a credential not set) completes after start has returned, never inside it")
    func failureBeforeSendingCompletesAfterStartReturns() async throws {
        let feed = testFeed("http://127.0.0.1:9", auth: .bearer(token: secret("PIONEER_TEST_UNSET_START_TOKEN")))
        let startReturned = DispatchSemaphore(value: 0)
        let (completions, sink) = AsyncStream.makeStream(of: (afterStart: Bool, result: Result<FeedFetchResult, FeedError>).self)
        _ = client.start(FeedFetchRequest(feed: feed, url: feed.baseURL + "/data")) { result in
            // Run inside `start`, this would wait for a signal only sent once `start` has returned.
            let afterStart = startReturned.wait(timeout: .now() + 5) == .success
            sink.yield((afterStart, result))
            sink.finish()
        }
        startReturned.signal()
        var received: [(afterStart: Bool, result: Result<FeedFetchResult, FeedError>)] = []
        for await completion in completions { received.append(completion) }
        #expect(received.count == 1)
        let completion = try #require(received.first)
        #expect(completion.afterStart, "the completion ran before start returned")
        let error = try #require(completion.result.failure)
        #expect(error.attempts == 0)
        #expect(error.description.contains("PIONEER_TEST_UNSET_START_TOKEN"), "\(error)")
    }
}
