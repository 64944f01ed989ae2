// Version 1 of the external plugin protocol (docs/plugin-protocol.md): the requests the
// host writes and the answers it accepts, read strictly with messages naming the field.
import Foundation
import PioneerExtraction
import PioneerKit

/// The constants and messages of the external plugin protocol.
public enum PluginProtocol {
    /// The version this host speaks; every request and answer carries it as `protocol`.
    public static let version = 1
    /// Set in every plugin's environment to ``version``.
    public static let versionVariable = "PIONEER_PLUGIN_PROTOCOL"
    /// Set in every plugin's environment to ``cookie``: a program run by hand sees none and
    /// can say "run me from pioneer" (HashiCorp go-plugin's magic cookie).
    public static let cookieVariable = "PIONEER_PLUGIN_MAGIC_COOKIE"
    public static let cookie = "d2a7c1e0-pioneer-indicator-plugin"

    /// The methods of version 1.
    public enum Method: String, Sendable, CaseIterable {
        case describe, validate, requests, observe
    }

    // MARK: Requests

    /// `{"protocol": 1, "method": "describe"}`.
    static func describeRequest() -> JSONValue {
        .object(["protocol": .number(Double(version)), "method": .string(Method.describe.rawValue)])
    }

    /// A request for `method` about one indicator, with `extra` fields (`periods`).
    static func request(_ method: Method, subject: RequestSubject, extra: [String: JSONValue] = [:]) -> JSONValue {
        var fields = extra
        fields["protocol"] = .number(Double(version))
        fields["method"] = .string(method.rawValue)
        fields["indicator"] = subject.indicatorJSON
        fields["config"] = subject.config
        fields["site"] = subject.siteJSON
        return .object(fields)
    }

    /// P: `{"id": "2026-04", "type": "month", "start": "2026-04-01", "end": "2026-04-30"}`.
    static func periodJSON(_ period: Period) -> [String: JSONValue] {
        ["id": .string(period.label), "type": .string(period.type.rawValue),
         "start": .string(period.start.description), "end": .string(period.end.description)]
    }

    /// A feed response as the plugin sees it. `inline`: its body as text when it is UTF-8,
    /// else base64, refused over ``ExecPluginSpec/maximumInlineBody``. `file`: the path of a
    /// file holding it, and its size.
    static func responseJSON(_ response: FeedResponse, bodies: ExecPluginSpec.Bodies,
                             files: BodyFiles) throws(PluginError) -> JSONValue {
        var fields: [String: JSONValue] = [
            "url": .string(response.url), "feed": .string(response.feed), "status": .number(Double(response.status)),
        ]
        if let type = response.headers["content-type"] { fields["content_type"] = .string(type) }
        switch bodies {
        case .file:
            let (path, size) = try files.file(holding: response.body)
            fields["body_file"] = .string(path)
            fields["body_size"] = .number(Double(size))
        case .inline:
            if let size = response.body.size, size > ExecPluginSpec.maximumInlineBody {
                throw PluginError("it is \(ByteSizeText.megabytes(size)), more than the \(ByteSizeText.megabytes(ExecPluginSpec.maximumInlineBody)) "
                                  + "a plugin is given in its request; declare `bodies: file` in the plugin's `plugins:` entry "
                                  + "and read the file named by `body_file` (docs/plugin-protocol.md)")
            }
            let bytes = try response.bytes()
            if let text = String(validating: bytes, as: UTF8.self) {
                fields["body"] = .string(text)
            } else {
                fields["body_base64"] = .string(bytes.base64EncodedString())
            }
        }
        return .object(fields)
    }

    static func encode(_ value: JSONValue) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every JSONValue encodes; a failure here would be a bug in Foundation.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    // MARK: Answers

    /// The `protocol` an answer announces, when stdout is a JSON object that has one.
    static func announcedVersion(in data: Data) -> Int? {
        guard let value = try? JSONValue(parsing: data), case .object(let fields) = value,
              case .number(let number)? = fields["protocol"], number == number.rounded() else { return nil }
        return Int(exactly: number)
    }

    /// The answer's fields, once it is a JSON object in this version without an `error`.
    static func answerFields(_ data: Data) throws(ExecPluginError.Kind) -> AnswerFields {
        guard !data.isEmpty else { throw .malformedAnswer("it wrote nothing on stdout") }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw .malformedAnswer("stdout is not JSON (\(error.description)); it begins \(preview(data))")
        }
        guard case .object(let fields) = value else {
            throw .malformedAnswer("expected a JSON object with `protocol`, found \(value.kindDescription)")
        }
        guard let announced = fields["protocol"] else {
            throw .malformedAnswer("the answer has no `protocol` field; every answer starts `{\"protocol\": \(version), …`")
        }
        guard case .number(let number) = announced, let version = Int(exactly: number) else {
            throw .malformedAnswer("`protocol` should be a whole number, found \(announced.kindDescription)")
        }
        guard version == Self.version else { throw .protocolVersion(version) }
        if let error = fields["error"], error != .null {
            throw .pluginError(error.stringValue ?? "\(error)")
        }
        return AnswerFields(fields: fields, path: "")
    }

    /// The first 80 characters of stdout, quoted, for a message.
    static func preview(_ data: Data) -> String {
        let text = String(decoding: data.prefix(160), as: UTF8.self)
        let line = text.replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(line.prefix(80))\"" + (line.count > 80 || data.count > 160 ? "…" : "")
    }
}

/// The fields of one JSON object of an answer, read with messages that name the field.
struct AnswerFields {
    var fields: [String: JSONValue]
    /// `observations[2]`, for messages.
    var path: String

    private func name(_ key: String) -> String { path.isEmpty ? "`\(key)`" : "`\(path).\(key)`" }

    func string(_ key: String, required: Bool = false) throws(ExecPluginError.Kind) -> String? {
        switch fields[key] {
        case nil, .null?:
            if required { throw .malformedAnswer("\(name(key)) is missing") }
            return nil
        case .string(let text)?: return text
        case let other?: throw .malformedAnswer("\(name(key)) should be a string, found \(other.kindDescription)")
        }
    }

    func number(_ key: String) throws(ExecPluginError.Kind) -> Double? {
        switch fields[key] {
        case nil, .null?: return nil
        case .number(let number)?: return number
        case let other?: throw .malformedAnswer("\(name(key)) should be a number, found \(other.kindDescription)")
        }
    }

    func bool(_ key: String) throws(ExecPluginError.Kind) -> Bool? {
        switch fields[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?: throw .malformedAnswer("\(name(key)) should be true or false, found \(other.kindDescription)")
        }
    }

    /// The objects of the list at `key`; an absent list is empty unless required.
    func objects(_ key: String, required: Bool = false) throws(ExecPluginError.Kind) -> [AnswerFields] {
        switch fields[key] {
        case nil, .null?:
            if required { throw .malformedAnswer("\(name(key)) is missing") }
            return []
        case .array(let items)?:
            var result: [AnswerFields] = []
            for (index, item) in items.enumerated() {
                let itemPath = "\(path.isEmpty ? "" : "\(path).")\(key)[\(index)]"
                guard case .object(let fields) = item else {
                    throw .malformedAnswer("`\(itemPath)` should be an object, found \(item.kindDescription)")
                }
                result.append(AnswerFields(fields: fields, path: itemPath))
            }
            return result
        case let other?:
            throw .malformedAnswer("\(name(key)) should be a list, found \(other.kindDescription)")
        }
    }

    func object(_ key: String) throws(ExecPluginError.Kind) -> AnswerFields? {
        switch fields[key] {
        case nil, .null?: return nil
        case .object(let inner)?: return AnswerFields(fields: inner, path: path.isEmpty ? key : "\(path).\(key)")
        case let other?: throw .malformedAnswer("\(name(key)) should be an object, found \(other.kindDescription)")
        }
    }

    func strings(_ key: String) throws(ExecPluginError.Kind) -> [String]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw .malformedAnswer("\(name(key)) should be a list of strings, found \(item.kindDescription) in it")
                }
                result.append(text)
            }
            return result
        case let other?: throw .malformedAnswer("\(name(key)) should be a list of strings, found \(other.kindDescription)")
        }
    }

    func stringMap(_ key: String) throws(ExecPluginError.Kind) -> [String: String] {
        guard let object = try object(key) else { return [:] }
        var result: [String: String] = [:]
        for (name, value) in object.fields {
            guard case .string(let text) = value else {
                throw .malformedAnswer("`\(object.path).\(name)` should be a string, found \(value.kindDescription)")
            }
            result[name] = text
        }
        return result
    }
}
