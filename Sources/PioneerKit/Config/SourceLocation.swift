// Where a piece of configuration came from, so every message can point at it.

/// A position in a configuration file: `sites/torbay/site.yaml:12:5`.
///
/// Lines and columns count from 1, as editors show them.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location for values that did not come from a file (tests, defaults).
    public static func unknown(_ file: String = "<config>") -> SourceLocation {
        SourceLocation(file: file, line: 0, column: 0)
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}
