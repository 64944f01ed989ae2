// The error a plugin throws when it cannot read the data it was given.

/// A plain-English reason a plugin could not compute a value.
///
/// Say what was expected and what was found, and name the feed or URL:
/// "path `$.data.total` matched nothing in http://bi.local/api/admissions?month=2026-06".
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
