// A plugin's stderr as log lines: split as it arrives, each at the level its prefix says,
// under the plugin's name, capped, with the last few kept for the failure message.
import Foundation
import Logging

/// Turns stderr bytes into log lines (docs/plugin-protocol.md, "Logging").
struct StderrLog {
    /// Lines kept for a failure message, and how much of each.
    static let tailLines = 5
    static let tailWidth = 200
    /// A line longer than this is logged in part; a plugin that writes no newline at all
    /// must not make the host hold its whole stderr.
    static let lineLimit = 8 * 1024

    let limit: Int
    let logger: Logger
    private(set) var tail: [String] = []
    private var pending: [UInt8] = []
    /// The rest of an overlong line is being skipped.
    private var skipping = false
    private var logged = 0
    private var dropped = 0

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    mutating func take(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !skipping { emit() }
                skipping = false
                pending.removeAll(keepingCapacity: true)
            } else if !skipping {
                pending.append(byte)
                if pending.count >= Self.lineLimit {
                    emit()
                    pending.removeAll(keepingCapacity: true)
                    skipping = true
                }
            }
        }
    }

    /// Logs a last line without a newline, and says how many lines the limit dropped.
    mutating func finish() {
        if !pending.isEmpty, !skipping { emit() }
        pending.removeAll()
        if dropped > 0 {
            logger.warning("\(dropped) more stderr line\(dropped == 1 ? "" : "s") dropped: a plugin may log \(ExecPluginError.bytes(limit)) per call")
        }
    }

    private mutating func emit() {
        var text = String(decoding: pending, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        let (level, message) = Self.level(of: text)
        guard !message.isEmpty else { return }
        tail.append(String(message.prefix(Self.tailWidth)))
        if tail.count > Self.tailLines { tail.removeFirst() }
        logged += pending.count
        guard logged <= limit else {
            dropped += 1
            return
        }
        logger.log(level: level, "\(message)")
    }

    /// `warning: the extract is late` → (.warning, "the extract is late"); no prefix is info.
    static func level(of line: String) -> (Logger.Level, String) {
        let prefixes: [(String, Logger.Level)] = [("debug:", .debug), ("info:", .info), ("warning:", .warning), ("error:", .error)]
        let lowered = line.prefix(8).lowercased()
        for (prefix, level) in prefixes where lowered.hasPrefix(prefix) {
            return (level, String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
        }
        return (.info, line.trimmingCharacters(in: .whitespaces))
    }
}
