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
        #expect(lines.text.hasSuffix("bench: indicators 2000/2000 · feeds awaited 0 · failed 0"))
    }

    @Test func terminalLineSaysHowMuchHasArrivedOnceAMegabyteHas() throws {
        let lines = LineSink()
        let progress = CollectionProgress(style: .terminal) { lines.append($0) }
        progress.handle(.planned(site: "torbay", total: 1, urls: 1))
        progress.handle(.fetchStarted(feed: "bi", url: "http://127.0.0.1/extract.csv"))
        progress.received(bytes: 500_000)
        #expect(progress.statusLine == "torbay: indicators 0/1 · feeds awaited 1 · failed 0")
        // Past the redraw interval, a new count is drawn without waiting for an event.
        Thread.sleep(forTimeInterval: 0.06)
        progress.received(bytes: 312 << 20)
        #expect(progress.statusLine == "torbay: indicators 0/1 · feeds awaited 1 · failed 0 · 312 MB received")
        #expect(lines.text.hasSuffix("\r\u{1B}[2Ktorbay: indicators 0/1 · feeds awaited 1 · failed 0 · 312 MB received"))
    }

    @Test func logLinesSayFetchesAreStillGoingAfterAQuietSpell() {
        let lines = LineSink()
        let progress = CollectionProgress(style: .lines, quietInterval: .zero) { lines.append($0) }
        progress.received(bytes: 0)
        #expect(lines.text.isEmpty, "no site planned yet")
        progress.handle(.planned(site: "torbay", total: 1, urls: 1))
        progress.received(bytes: 0)
        #expect(lines.text.isEmpty, "nothing in flight")
        progress.handle(.fetchStarted(feed: "bi", url: "http://127.0.0.1/extract.csv"))
        progress.received(bytes: 0)
        progress.received(bytes: 5 << 20)
        #expect(lines.text == "torbay: still fetching: 1 feed awaited\n"
            + "torbay: still fetching: 1 feed awaited, 5.0 MB received so far\n")
    }

    @Test func logLinesStayQuietWithinTheQuietInterval() {
        let lines = LineSink()
        let progress = CollectionProgress(style: .lines, quietInterval: .seconds(3600)) { lines.append($0) }
        progress.handle(.planned(site: "torbay", total: 1, urls: 1))
        progress.handle(.fetchStarted(feed: "bi", url: "http://127.0.0.1/extract.csv"))
        progress.received(bytes: 700 << 20)
        #expect(lines.text.isEmpty)
    }

    @Test func silentProgressWritesNothingForBytes() {
        let lines = LineSink()
        let progress = CollectionProgress(style: .silent, quietInterval: .zero) { lines.append($0) }
        progress.handle(.planned(site: "torbay", total: 1, urls: 1))
        progress.handle(.fetchStarted(feed: "bi", url: "http://127.0.0.1/extract.csv"))
        progress.received(bytes: 700 << 20)
        #expect(lines.text.isEmpty)
    }

}
