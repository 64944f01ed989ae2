// Why a return file could not be read, in words that name the file and the place in it.

/// A return file that could not be read.
public struct ReturnReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The file does not exist or cannot be opened.
        case unreadable
        /// The file is not JSON.
        case notJSON
        /// `schemaVersion` is absent, not a number, or one this pioneer does not know.
        case unknownSchemaVersion
        /// A required field is absent.
        case missingField
        /// A field holds the wrong kind of value (text for a number, null for a value).
        case wrongType
        /// A field's value is of the right kind but not allowed.
        case invalidValue
    }

    public var kind: Kind
    /// The file, as it was named.
    public var file: String
    /// The JSON path of the field concerned (`$.indicators[2].measures[0].period`), or nil.
    public var path: String?
    /// What is wrong, in plain English.
    public var message: String

    public init(_ kind: Kind, file: String, path: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        "return \(file): \(message)"
    }
}
