// A parsed JSON document that keeps numbers, booleans and nulls apart.
public import Foundation
import PioneerKit

/// A JSON value.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Why a body could not be parsed.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
        /// Set when the text is valid as far as it was read, but holds more values than the
        /// parse was allowed to build (``init(parsing:maximumValues:)``): the allowance.
        public var valueLimit: Int? = nil
    }

    /// Parses UTF-8 JSON (a byte-order mark is skipped), strictly as RFC 8259 says.
    ///
    /// Errors say what was found and where: `expected `,` or `}` in an object, found
    /// the end of the body (line 1, column 9)`. Nesting deeper than 512 levels is refused.
    ///
    /// With `maximumValues`, a document of more values than that is refused once the parse
    /// reaches them (a tree takes some hundred bytes a value, whatever the text's size: 15 MB
    /// of small objects took 400 MB), with ``ParseError/valueLimit`` set.
    public init(parsing data: Data, maximumValues: Int = .max) throws(ParseError) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard !bytes.isEmpty else { throw ParseError(description: "the body is empty") }
        let result: Result<JSONValue, ParseError> = bytes.withUnsafeBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            do throws(ParseError) {
                return .success(try JSONParser.parse(buffer, maximumValues: maximumValues))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number, or a string that holds one (many BI exports quote their numbers).
    public var numberValue: Double? {
        switch self {
        case .number(let number): return number
        case .string(let text):
            let trimmed = text.trimmingSpacesAndTabs()
            return trimmed.isPlainDecimal ? Double(trimmed) : nil
        default: return nil
        }
    }

    /// Plain-English kind for messages: "an object", "a string".
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSONValue {
    /// Roughly the memory this value takes, in bytes: enough to keep a sample of values to a budget.
    var approximateSize: Int {
        switch self {
        case .null, .bool, .number: 16
        case .string(let text): 32 + text.utf8.count
        case .array(let items): 32 + items.reduce(0) { $0 + $1.approximateSize }
        case .object(let members): 64 + members.reduce(0) { $0 + 48 + $1.key.utf8.count + $1.value.approximateSize }
        }
    }
}
