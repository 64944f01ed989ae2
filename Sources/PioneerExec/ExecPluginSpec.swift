// One external plugin as a site's `plugins:` section declares it: the program to run, how,
// and the limits it runs under. PioneerConfig reads it; the runner starts processes from it.
public import Foundation
public import PioneerKit

/// An external process plugin: `plugins: { waiting-list: { kind: exec, command: … } }`.
///
/// The environment holds the values already filled in from `${VAR}` references, so it may
/// hold secrets: ``description`` names its variables, never their values.
public struct ExecPluginSpec: Sendable, Hashable, CustomStringConvertible {
    /// The name indicators give in `plugin:`.
    public var name: String
    /// The program, resolved against the site folder.
    public var command: URL
    public var arguments: [String]
    /// Variables for the process, besides PATH, HOME, LANG and the protocol's own.
    public var environment: [String: String]
    /// The `${VAR}` references in `env:` that were unset or empty when the site was read:
    /// `collect` fails the plugin's periods rather than run it without them.
    public var unsetVariables: [String] = []
    /// How long one call may take, from start to exit.
    public var deadline: Duration
    /// Where the process runs: the site folder.
    public var workingDirectory: URL
    /// The most stdout the host reads before it gives up on the answer.
    public var outputLimit: Int
    /// The most stderr the host logs per call; later lines are counted and dropped.
    public var logLimit: Int
    /// How long a process has between SIGTERM and SIGKILL once its deadline has passed.
    public var gracePeriod: Duration
    /// How the feeds' bodies reach the plugin in `observe`.
    public var bodies: Bodies
    /// Where the site file declares the plugin, for messages about it.
    public var location: SourceLocation

    /// 60 seconds per call unless the site says otherwise.
    public static let defaultDeadline = Duration.seconds(60)
    /// 64 MB of answer: room for a year of weekly observations many times over.
    public static let defaultOutputLimit = 64 * 1024 * 1024
    public static let defaultLogLimit = 1024 * 1024
    public static let defaultGracePeriod = Duration.seconds(2)
    /// The largest body passed in a request (`bodies: inline`). A body in a JSON request is
    /// held as text and again as the encoded request, so a larger one goes by file.
    public static let maximumInlineBody = 64 * 1024 * 1024

    /// How the feeds' bodies reach the plugin: `bodies:` in its `plugins:` entry.
    public enum Bodies: String, Sendable, Hashable, CaseIterable {
        /// In the request, as `body` (UTF-8 text) or `body_base64`, up to ``maximumInlineBody``.
        case inline
        /// As `body_file`, the path of a file holding the body, and `body_size`: any size,
        /// read by the plugin as it likes (a large extract a piece at a time).
        case file
    }

    public init(name: String, command: URL, arguments: [String] = [], environment: [String: String] = [:],
                deadline: Duration = defaultDeadline, workingDirectory: URL,
                outputLimit: Int = defaultOutputLimit, logLimit: Int = defaultLogLimit,
                gracePeriod: Duration = defaultGracePeriod, bodies: Bodies = .inline, location: SourceLocation = .unknown()) {
        self.name = name
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.deadline = deadline
        self.workingDirectory = workingDirectory
        self.outputLimit = outputLimit
        self.logLimit = logLimit
        self.gracePeriod = gracePeriod
        self.bodies = bodies
        self.location = location
    }

    /// `waiting-list (plugins/waiting-list/run.py --strict; env LOOKUP_TABLE)`: no values.
    public var description: String {
        var text = "\(name) (\(([command.path] + arguments).joined(separator: " "))"
        if !environment.isEmpty { text += "; env " + environment.keys.sorted().joined(separator: ", ") }
        return text + ")"
    }
}
