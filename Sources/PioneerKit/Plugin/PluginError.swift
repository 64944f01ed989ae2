// The error a plugin throws when it cannot read the data it was given.

/// A plain-English reason a plugin could not compute a value.
///
/// Say what was expected and what was found, and name the feed or URL:
/// "path `$.data.total` matched nothing in http://bi.local/api/admissions?month=2026-06".
///
/// The message is one line: control characters in it (a line break or an escape sequence in
/// text quoted from a feed) are kept as visible escapes, `\n` and `\u001b`, so a feed can
/// neither add lines to a report nor control the terminal it is shown on.
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message.escapingControlCharacters()
    }

    public var description: String { message }
}
