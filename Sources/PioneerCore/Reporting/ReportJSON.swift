// The one JSON style of everything the CLI prints as JSON (collect --json, measures, runs,
// aggregate), and of the intake server's history, which must read as `pioneer aggregate
// --history` writes it: pretty, keys sorted and in snake_case, dates in ISO 8601.
import Foundation

/// Encodes a listing or summary the way every `--json` / `--format json` output is written.
public enum ReportJSON {
    public static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
