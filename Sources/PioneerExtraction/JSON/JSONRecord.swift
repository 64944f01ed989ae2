// A JSON object read as a record: typed fields, with errors that say which field of which
// record from which URL, so a plugin reading JSON needs no shape checks of its own.
public import PioneerKit

/// One object out of a JSON feed, read field by field.
///
/// Every reader throws a `PluginError` naming the field, the record's place in the document
/// (its RFC 9535 normalized path, such as `$['residents'][3]`) and the URL it came from:
///
/// ```swift
/// for record in try response.jsonRecords(at: try JSONPath(parsing: "$.deaths[*]")) {
///     let id = try record.text("nhs_number")        // a string, or a number written as text
///     let died = try record.date("date_of_death")   // 2026-06-30
///     let age = try record.integerIfPresent("age")  // nil when missing or null
/// }
/// ```
///
/// A required field that is missing or null is an error. The `IfPresent` readers give nil for
/// a missing or null field (and, for numbers, whole numbers, booleans and dates, for a blank
/// string, as exports write an empty cell), and still refuse a value of the wrong kind.
public struct JSONRecord: Sendable, Hashable, CustomStringConvertible {
    /// The object's members.
    public let fields: [String: JSONValue]
    /// Where the object is in its document: `$['residents'][3]`.
    public var path: String {
        switch place {
        case .written(let path): return path
        case .node(let node): return node.path
        }
    }
    /// The URL the document came from.
    public let url: String

    /// The place as given, or the selected node's, written out only when asked for: a
    /// streamed export hands over millions of records, and few are ever named in a message.
    private let place: Place

    private enum Place: Sendable {
        case written(String)
        case node(JSONPath.Node)
    }

    public init(fields: [String: JSONValue], path: String, url: String) {
        self.fields = fields
        self.place = .written(path)
        self.url = url
    }

    /// The record of the object `node` selected.
    init(fields: [String: JSONValue], node: JSONPath.Node, url: String) {
        self.fields = fields
        self.place = .node(node)
        self.url = url
    }

    public static func == (left: JSONRecord, right: JSONRecord) -> Bool {
        left.fields == right.fields && left.url == right.url && left.path == right.path
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields)
        hasher.combine(path)
        hasher.combine(url)
    }

    /// "record `$['residents'][3]` from http://…": the start of a plugin's own message about it.
    public var description: String {
        "record `\(path)` from \(url)"
    }

    /// The field's value as it is, or nil when the record has no such field.
    public subscript(field: String) -> JSONValue? {
        fields[field]
    }

    // MARK: Strings and text

    /// A string field.
    public func string(_ field: String) throws(PluginError) -> String {
        try string(field, try required(field, expecting: "a string"))
    }

    /// A string field, or nil when it is missing or null.
    public func stringIfPresent(_ field: String) throws(PluginError) -> String? {
        guard let value = present(field, blankIsAbsent: false) else { return nil }
        return try string(field, value)
    }

    /// A field as text: a string as written, a number (`9434765919`, `2.5`) or `true`/`false`
    /// as JSON writes it. For identifiers and answers that exports sometimes write unquoted.
    public func text(_ field: String) throws(PluginError) -> String {
        try text(field, try required(field, expecting: "text (a string or a number)"))
    }

    /// A field as text (see ``text(_:)``), or nil when it is missing or null.
    public func textIfPresent(_ field: String) throws(PluginError) -> String? {
        guard let value = present(field, blankIsAbsent: false) else { return nil }
        return try text(field, value)
    }

    // MARK: Numbers

    /// A number field: a JSON number, or a string that `format` reads (`"12"`, or `"3,945.50"`
    /// with ``NumberFormat/readable``).
    public func number(_ field: String, format: NumberFormat = .strict) throws(PluginError) -> Double {
        try number(field, try required(field, expecting: "a number"), format: format)
    }

    /// A number field (see ``number(_:format:)``), or nil when it is missing, null or blank.
    public func numberIfPresent(_ field: String, format: NumberFormat = .strict) throws(PluginError) -> Double? {
        guard let value = present(field, blankIsAbsent: true) else { return nil }
        return try number(field, value, format: format)
    }

    /// A whole-number field: a JSON number such as `12` or `12.0`, or a string holding one.
    public func integer(_ field: String) throws(PluginError) -> Int {
        try integer(field, try required(field, expecting: "a whole number"))
    }

    /// A whole-number field, or nil when it is missing, null or blank.
    public func integerIfPresent(_ field: String) throws(PluginError) -> Int? {
        guard let value = present(field, blankIsAbsent: true) else { return nil }
        return try integer(field, value)
    }

    // MARK: Booleans and dates

    /// A JSON `true` or `false`; the strings `"true"` and `"yes"` are refused rather than guessed at.
    public func bool(_ field: String) throws(PluginError) -> Bool {
        try bool(field, try required(field, expecting: "true or false"))
    }

    /// A boolean field, or nil when it is missing, null or blank.
    public func boolIfPresent(_ field: String) throws(PluginError) -> Bool? {
        guard let value = present(field, blankIsAbsent: true) else { return nil }
        return try bool(field, value)
    }

    /// A date written as text in `format`: `2026-06-30` by default.
    public func date(_ field: String, format: DateFieldFormat = .iso) throws(PluginError) -> CalendarDate {
        try date(field, try required(field, expecting: "a date (\(format.pattern))"), format: format)
    }

    /// A date field, or nil when it is missing, null or blank.
    public func dateIfPresent(_ field: String, format: DateFieldFormat = .iso) throws(PluginError) -> CalendarDate? {
        guard let value = present(field, blankIsAbsent: true) else { return nil }
        return try date(field, value, format: format)
    }

    // MARK: Reading one value

    /// The value of a field that must be there: an error for a missing field (suggesting a
    /// close name) or a null one.
    private func required(_ field: String, expecting expected: @autoclosure () -> String) throws(PluginError) -> JSONValue {
        guard let value = fields[field] else {
            let others = fields.keys.sorted()
            let listed = others.isEmpty ? "; it has no fields"
                : others.count <= 8 ? "; its fields are " + others.map { "`\($0)`" }.joined(separator: ", ")
                : ""
            throw PluginError("\(self) has no field `\(field)`\(didYouMean(field, among: others))\(listed)")
        }
        if case .null = value {
            throw failure(field, "is null, expected \(expected())")
        }
        return value
    }

    /// The value of an optional field, nil for missing, null and (where asked) a blank string.
    private func present(_ field: String, blankIsAbsent: Bool) -> JSONValue? {
        switch fields[field] {
        case nil, .null?:
            return nil
        case .string(let text)? where blankIsAbsent && text.trimmingWhitespaceFast().isEmpty:
            return nil
        case let value?:
            return value
        }
    }

    private func failure(_ field: String, _ problem: String) -> PluginError {
        PluginError("field `\(field)` of \(self) \(problem)")
    }

    private func string(_ field: String, _ value: JSONValue) throws(PluginError) -> String {
        guard case .string(let text) = value else {
            throw failure(field, "is \(JSONExtraction.describe(value)), expected a string")
        }
        return text
    }

    private func text(_ field: String, _ value: JSONValue) throws(PluginError) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return Self.written(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: throw failure(field, "is \(value.kindDescription), expected text (a string or a number)")
        }
    }

    private func number(_ field: String, _ value: JSONValue, format: NumberFormat) throws(PluginError) -> Double {
        switch value {
        case .number(let number) where number.isFinite:
            return number
        case .string(let text):
            if let number = format.parse(text) { return number }
            let shown = text.trimmingWhitespaceFast().isEmpty ? "blank" : "`\(text)`"
            let other = NumberFormat.allCases.first { $0 != format && $0 != .strict && $0.parse(text) != nil }
            let hint = other.map { "; it reads as one in number format `\($0.rawValue)`" }
                ?? (format == .strict ? "" : " (read in number format `\(format.rawValue)`)")
            throw failure(field, "is \(shown), not a number\(hint)")
        default:
            throw failure(field, "is \(JSONExtraction.describe(value)), expected a number")
        }
    }

    private func integer(_ field: String, _ value: JSONValue) throws(PluginError) -> Int {
        let number = try number(field, value, format: .strict)
        // 2^53: beyond it a double no longer holds every whole number, and Int(_:) would trap far beyond.
        guard number == number.rounded(), abs(number) <= 9_007_199_254_740_992 else {
            throw failure(field, "is `\(Self.written(number))`, expected a whole number")
        }
        return Int(number)
    }

    private func bool(_ field: String, _ value: JSONValue) throws(PluginError) -> Bool {
        guard case .bool(let flag) = value else {
            throw failure(field, "is \(JSONExtraction.describe(value)), expected true or false")
        }
        return flag
    }

    private func date(_ field: String, _ value: JSONValue, format: DateFieldFormat) throws(PluginError) -> CalendarDate {
        // Written only for a message: a record is read for each of millions of rows.
        var expected: String { "(expected \(format.pattern), such as \(format.example))" }
        guard case .string(let text) = value else {
            throw failure(field, "is \(JSONExtraction.describe(value)), not a date written as text \(expected)")
        }
        guard let date = format.parse(text) else {
            let shown = text.trimmingWhitespaceFast().isEmpty ? "blank" : "`\(text)`"
            throw failure(field, "is \(shown), not a date \(expected)")
        }
        return date
    }

    /// A number as a person writes it: whole numbers without a decimal point.
    static func written(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
