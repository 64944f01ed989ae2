// The terminal progress line: redrawn at most every 50 ms, and always once at the end.
import Foundation
import PioneerCollect
import PioneerStore
import Testing

@Suite struct CollectionProgressTests {
    @Test func terminalLineIsThrottledButShowsTheFinalState() {
        let lines = LineSink()
        let progress = CollectionProgress(style: .terminal) { lines.append($0) }
        progress.handle(.planned(site: "bench", total: 2_000, urls: 2_000))
        for _ in 0..<2_000 {
            progress.handle(.fetchStarted(feed: "bi", url: "http://127.0.0.1/x"))
            progress.handle(.fetchFinished(feed: "bi", url: "http://127.0.0.1/x", notModified: false, error: nil))
            progress.handle(.completed(site: "bench", result: PeriodResult(indicator: "a", period: "2026-01", outcome: .collected)))
        }
        let redraws = lines.text.components(separatedBy: "\r\u{1B}[2K").count - 1
        // 6,001 events in far less than a second: a handful of redraws, not thousands.
        #expect(redraws >= 1 && redraws < 100, "\(redraws) redraws")
        #expect(lines.text.hasSuffix("bench: indicators 2000/2000 · feeds in flight 0 · failed 0"))
    }
}
