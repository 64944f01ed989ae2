// Progress of `pioneer collect` on stderr: one redrawn line on a terminal,
// plain log lines otherwise.
import Foundation
import PioneerExtraction
import PioneerStore

/// Turns ``CollectionEvent``s into progress output.
///
/// On a terminal it redraws a single line,
/// `torbay: indicators 12/40 · feeds awaited 4 · failed 1`, where "indicators"
/// counts indicator-periods; when several sites are collected at once the line adds
/// them up, `3 sites: indicators 52/120 · …`, and once a megabyte of bodies has arrived it says
/// how much, `· 312 MB received`, so a large extract on a slow link is seen to move. Elsewhere (a
/// log file, CI) it writes one line per finished indicator-period,
/// `torbay emergency-admissions-65 2026-05: collected 23.1`, and, when nothing has been written
/// for a while and fetches are still in flight, a line saying so
/// (`torbay: still fetching: 1 feed awaited, 312 MB received so far`).
public final class CollectionProgress: @unchecked Sendable {
    /// How progress is shown.
    public enum Style: Sendable {
        /// One line redrawn in place.
        case terminal
        /// A line per finished indicator-period.
        case lines
        /// Nothing.
        case silent
    }

    private let style: Style
    private let write: @Sendable (String) -> Void
    // Events arrive from the collecting task; the lock keeps the counters and the line whole.
    private let lock = NSLock()
    /// The sites planned so far, in the order they were.
    private var sites: [String] = []
    private var done = 0
    private var total = 0
    private var inFlight = 0
    private var failed = 0
    private var lineShown = false
    /// When the terminal line was last drawn: it is redrawn at most every 50 ms, since a
    /// run with thousands of fetches would otherwise spend its time writing to the terminal.
    private var lastDrawn: ContinuousClock.Instant?
    private static let redrawInterval = Duration.milliseconds(50)
    /// Body bytes received so far, as last told by ``received(bytes:)``.
    private var bytesReceived = 0
    /// In the `lines` style: when a line was last written, and how long a quiet spell with
    /// fetches in flight lasts before a line says they are still going.
    private var lastWritten = ContinuousClock.now
    private let quietInterval: Duration

    /// - Parameters:
    ///   - write: where text goes (stderr in the CLI); it is given whole lines or control sequences.
    ///   - quietInterval: in the `lines` style, how long without a line before
    ///     ``received(bytes:)`` writes one saying fetches are still in flight.
    public init(style: Style, quietInterval: Duration = .seconds(30), write: @escaping @Sendable (String) -> Void) {
        self.style = style
        self.quietInterval = quietInterval
        self.write = write
    }

    /// Records `event` and shows the new state.
    public func handle(_ event: CollectionEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .planned(let site, let total, _):
            if !sites.contains(site) { sites.append(site) }
            self.total += total
        case .fetchStarted:
            inFlight += 1
        case .fetchFinished:
            inFlight = max(0, inFlight - 1)
        case .completed(let site, let result):
            done += 1
            if result.outcome == .failed { failed += 1 }
            if style == .lines {
                write(Self.logLine(site: site, result: result) + "\n")
                lastWritten = .now
            }
        case .stopped(let site, let reason):
            let line = "\(site): stopped: \(reason); the indicator-periods left are not collected\n"
            switch style {
            case .lines:
                write(line)
                lastWritten = .now
            case .terminal:
                write("\r\u{1B}[2K" + line)
                lineShown = false
            case .silent:
                break
            }
        }
        if style == .terminal {
            redraw(force: done == total && inFlight == 0)
        }
    }

    /// Records how many body bytes have arrived so far (the feed client's count, polled while
    /// a run goes on): the terminal line shows it; in the `lines` style, a quiet spell with
    /// fetches in flight gets a line saying they are still going.
    public func received(bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        let changed = bytes != bytesReceived
        bytesReceived = bytes
        switch style {
        case .terminal:
            if changed && !sites.isEmpty { redraw(force: false) }
        case .lines:
            let now = ContinuousClock.now
            guard inFlight > 0, !sites.isEmpty, lastWritten.duration(to: now) >= quietInterval else { return }
            // Awaited: asked of the feed client and not yet answered, whether on the wire or
            // queued behind `--max-parallel` (the engine keeps four requests a slot queued).
            var line = "\(who): still fetching: \(inFlight) \(inFlight == 1 ? "feed" : "feeds") awaited"
            if bytesReceived > 0 { line += ", \(ByteSizeText.megabytes(bytesReceived)) received so far" }
            write(line + "\n")
            lastWritten = now
        case .silent:
            break
        }
    }

    /// Draws the terminal line, at most every ``redrawInterval`` unless `force`d. Lock held.
    private func redraw(force: Bool) {
        let now = ContinuousClock.now
        if force || lastDrawn.map({ $0.duration(to: now) >= Self.redrawInterval }) ?? true {
            write("\r\u{1B}[2K" + currentLine())
            lineShown = true
            lastDrawn = now
        }
    }

    /// Clears the progress line, before the summary is printed.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if lineShown {
            write("\r\u{1B}[2K")
            lineShown = false
        }
    }

    /// `torbay: indicators 12/40 · feeds awaited 4 · failed 1`, and `· 312 MB received` once
    /// a megabyte has arrived.
    public var statusLine: String {
        lock.lock()
        defer { lock.unlock() }
        return currentLine()
    }

    private var who: String {
        sites.count == 1 ? sites[0] : "\(sites.count) sites"
    }

    private func currentLine() -> String {
        var line = "\(who): indicators \(done)/\(total) · feeds awaited \(inFlight) · failed \(failed)"
        if bytesReceived >= 1 << 20 { line += " · \(ByteSizeText.megabytes(bytesReceived)) received" }
        return line
    }

    /// `torbay emergency-admissions-65 2026-05: collected 23.1`
    public static func logLine(site: String, result: PeriodResult) -> String {
        let outcome = result.outcome == .notAvailable ? "not available" : result.outcome.rawValue
        var line = "\(site) \(result.indicator) \(result.period): \(outcome)"
        if let formatted = result.formatted { line += " \(formatted)" }
        if let reason = result.reason { line += " (\(reason))" }
        return line
    }
}
