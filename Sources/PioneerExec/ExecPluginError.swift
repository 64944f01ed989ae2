// Why a call to an external plugin gave no usable answer, worded for the person who runs
// the site: which plugin, what went wrong, and what it last wrote on stderr.
import Foundation

/// A failed call to an external plugin (docs/plugin-protocol.md, "Failures").
public struct ExecPluginError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Error, Sendable, Hashable {
        /// The program could not be started.
        case launchFailed(String)
        /// It ran past its deadline and was stopped.
        case deadlinePassed(Duration)
        /// It wrote an answer but did not exit before its deadline, and was stopped.
        case didNotExit(Duration)
        /// It wrote more than the limit on stdout.
        case outputTooLarge(limit: Int)
        /// It was ended by a signal it was not sent by the host.
        case signalled(Int32)
        /// It exited with a status other than 0.
        case exitStatus(Int32)
        /// Its answer was not the JSON the protocol asks for.
        case malformedAnswer(String)
        /// Its answer spoke another protocol version.
        case protocolVersion(Int)
        /// Its answer was an `error` for the whole call.
        case pluginError(String)
        /// It asked for something the site does not allow (a feed not declared, say).
        case refused(String)
    }

    public var plugin: String
    public var kind: Kind
    /// Its last stderr lines, at most five, each at most 200 characters.
    public var stderrTail: [String]
    /// The call that failed (`observe`), when known.
    public var method: String?
    /// The most of a plugin's own error message given on: one error is repeated for every
    /// period it fails and stored with each, where a page of text helps nobody.
    public static let messageLimit = 1_000

    public init(plugin: String, kind: Kind, stderrTail: [String] = []) {
        self.plugin = plugin
        self.kind = kind
        self.stderrTail = stderrTail
    }

    /// What went wrong, without the plugin's name or stderr.
    public var reason: String {
        switch kind {
        case .launchFailed(let detail):
            return "could not be started: \(detail)"
        case .deadlinePassed(let deadline):
            return "did not answer \(method.map { "its `\($0)` call " } ?? "")within its deadline of \(Self.seconds(deadline)) and was stopped"
        case .didNotExit(let deadline):
            return "wrote its answer to \(method.map { "its `\($0)` call" } ?? "the call") but did not exit within its deadline of "
                + "\(Self.seconds(deadline)), and was stopped; a plugin exits once it has answered"
        case .outputTooLarge(let limit):
            return "wrote more than \(Self.bytes(limit)) on stdout and was stopped; an answer must fit in the limit"
        case .signalled(let signal):
            return "was ended by signal \(signal)\(Self.signalName(signal).map { " (\($0))" } ?? "") before it answered"
        case .exitStatus(let status):
            return "exited with status \(status); a plugin exits 0 when it has answered"
        case .malformedAnswer(let detail):
            return "answered something that is not a protocol answer: \(detail)"
        case .protocolVersion(let version):
            return "speaks protocol version \(version); this pioneer speaks version \(PluginProtocol.version)"
        case .pluginError(let message):
            guard message.count > Self.messageLimit else { return "reported an error: \(message)" }
            return "reported an error: \(message.prefix(Self.messageLimit))… (\(message.count - Self.messageLimit) more characters)"
        case .refused(let detail):
            return detail
        }
    }

    /// What went wrong with its last stderr lines, for a message that names the plugin
    /// itself: `exited with status 3; its last stderr lines: "…" | "…"`.
    public var detail: String {
        guard !stderrTail.isEmpty else { return reason }
        return reason + "; its last stderr lines: " + stderrTail.map { "\"\($0)\"" }.joined(separator: " | ")
    }

    /// `plugin `waiting-list` exited with status 3; its last stderr lines: "…" | "…"`.
    public var description: String {
        "plugin `\(plugin)` \(detail)"
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let text = seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
        return "\(text) second\(seconds == 1 ? "" : "s")"
    }

    static func bytes(_ count: Int) -> String {
        if count >= 1024 * 1024, count % (1024 * 1024) == 0 { return "\(count / (1024 * 1024)) MB" }
        if count >= 1024, count % 1024 == 0 { return "\(count / 1024) KB" }
        return "\(count) bytes"
    }

    private static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGSEGV: return "SIGSEGV, a crash"
        case SIGABRT: return "SIGABRT, an abort"
        case SIGBUS: return "SIGBUS, a crash"
        case SIGFPE: return "SIGFPE, an arithmetic fault"
        case SIGILL: return "SIGILL, a crash"
        case SIGINT: return "SIGINT"
        case SIGPIPE: return "SIGPIPE"
        default: return nil
        }
    }
}
