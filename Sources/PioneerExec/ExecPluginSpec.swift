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
    /// Where the site file declares the plugin, for messages about it.
    public var location: SourceLocation

    /// 60 seconds per call unless the site says otherwise.
    public static let defaultDeadline = Duration.seconds(60)
    /// 64 MB of answer: room for a year of weekly observations many times over.
    public static let defaultOutputLimit = 64 * 1024 * 1024
    public static let defaultLogLimit = 1024 * 1024
    public static let defaultGracePeriod = Duration.seconds(2)

    public init(name: String, command: URL, arguments: [String] = [], environment: [String: String] = [:],
                deadline: Duration = defaultDeadline, workingDirectory: URL,
                outputLimit: Int = defaultOutputLimit, logLimit: Int = defaultLogLimit,
                gracePeriod: Duration = defaultGracePeriod, location: SourceLocation = .unknown()) {
        self.name = name
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.deadline = deadline
        self.workingDirectory = workingDirectory
        self.outputLimit = outputLimit
        self.logLimit = logLimit
        self.gracePeriod = gracePeriod
        self.location = location
    }

    /// `waiting-list (plugins/waiting-list/run.py --strict; env LOOKUP_TABLE)`: no values.
    public var description: String {
        var text = "\(name) (\(([command.path] + arguments).joined(separator: " "))"
        if !environment.isEmpty { text += "; env " + environment.keys.sorted().joined(separator: ", ") }
        return text + ")"
    }
}
