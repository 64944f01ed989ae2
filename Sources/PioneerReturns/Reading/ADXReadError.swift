// Why an ADX return could not be read, naming the file and the line and column in it.

/// An ADX return that could not be read.
public struct ADXReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The file does not exist, is a folder, or cannot be opened.
        case unreadable
        /// The file is larger than the reader accepts.
        case tooLarge
        /// The document has a DOCTYPE, an entity declaration or an encoding other than UTF-8:
        /// refused before parsing, so nothing is expanded or fetched.
        case unsafe
        /// The file is not well-formed XML.
        case notWellFormed
        /// The root is not ADX (`adx` in `urn:ihe:qrph:adx:2015`), or an element is not one ADX has there.
        case notADX
        /// A required attribute is absent.
        case missingAttribute
        /// An attribute's value is not allowed: a period, a PART, a number, a site.
        case invalidValue
    }

    public var kind: Kind
    /// The file, as it was named.
    public var file: String
    /// Where in the file, counted from 1; nil when the problem is the whole file.
    public var line: Int?
    public var column: Int?
    /// What is wrong, in plain English.
    public var message: String

    public init(_ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        guard let line else { return "ADX return \(file): \(message)" }
        return "ADX return \(file):\(line):\(column ?? 1): \(message)"
    }
}
