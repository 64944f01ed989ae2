// The intake load test's client: many submissions at once through the feeds' libcurl multi
// handle, each answer timed.
import Foundation
import PioneerFeeds

/// Sends submissions with a fixed number in flight and records each one's answer and latency.
struct IntakeLoad {
    /// What became of one submission.
    struct Answer: Sendable {
        var index: Int
        /// Seconds from the start of the run to handing the request to libcurl.
        var sentAt: Double
        /// The HTTP status; nil when no answer came (refused, reset, timed out).
        var status: Int?
        /// Seconds from handing the request to libcurl to the end of the answer.
        var latency: Double
        /// libcurl's reason, when no answer came.
        var failure: String?
        /// The submission's `sha256:<hex>`.
        var digest: String
    }

    /// The servers' return endpoints: submission i goes to endpoint i modulo their number.
    let endpoints: [String]
    /// Each site's bearer token.
    let tokens: [String: String]
    let concurrency: Int
    /// Seconds allowed for one submission.
    let timeout: Double

    /// Sends every submission, at most ``concurrency`` at once, and stops starting new ones
    /// after `maxSeconds`. `onAnswer` hears of each answer as it comes (the kill test records
    /// the 2xx ones as they happen). Returns the answers and the seconds it all took.
    func run(count: Int, returns: BenchIntakeReturns, maxSeconds: Double,
             onAnswer: @escaping @Sendable (Answer) -> Void) async throws -> (answers: [Answer], seconds: Double) {
        let transport = CurlTransport(limits: FeedClientLimits(maxParallel: concurrency, maxPerHost: concurrency))
        let clock = ContinuousClock()
        let start = clock.now
        let answers = try await withThrowingTaskGroup(of: [Answer].self) { group in
            // Worker w sends submissions w, w + n, w + 2n, …: a fixed number in flight, no shared queue.
            for worker in 0..<min(concurrency, count) {
                group.addTask {
                    var mine: [Answer] = []
                    for index in stride(from: worker, to: count, by: concurrency) {
                        guard Self.seconds(start.duration(to: clock.now)) < maxSeconds, !Task.isCancelled else { break }
                        let submission = try returns.submission(index)
                        let request = TransportRequest(
                            url: endpoints[index % endpoints.count],
                            headers: [.init("Authorization", "Bearer " + (tokens[submission.site] ?? ""), isSecret: true)],
                            connectTimeout: timeout, timeout: timeout,
                            body: .init(contentType: "application/json", bytes: submission.body))
                        let sent = clock.now
                        let result = await transport.perform(request)
                        let latency = Self.seconds(sent.duration(to: clock.now))
                        let answer: Answer
                        switch result {
                        case .success(let response):
                            answer = Answer(index: index, sentAt: Self.seconds(start.duration(to: sent)), status: response.status, latency: latency, failure: nil, digest: submission.digest)
                        case .failure(let error):
                            answer = Answer(index: index, sentAt: Self.seconds(start.duration(to: sent)), status: nil, latency: latency, failure: error.description, digest: submission.digest)
                        }
                        onAnswer(answer)
                        mine.append(answer)
                    }
                    return mine
                }
            }
            var all: [Answer] = []
            for try await some in group { all += some }
            return all.sorted { $0.index < $1.index }
        }
        return (answers, Self.seconds(start.duration(to: clock.now)))
    }

    /// The `fraction` quantile (0.5, 0.99) of `values`, nearest rank; 0 for none.
    static func quantile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
