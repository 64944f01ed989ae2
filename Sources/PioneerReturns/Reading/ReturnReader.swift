// Reading a return file back into a SiteReturn, with errors a programme office can act on:
// the file, the JSON path, what was expected. Swift's own decoding errors never reach the user.
public import Foundation
import PioneerExtraction

/// Reads return files.
public enum ReturnReader {
    /// Reads the JSON return at `file`.
    ///
    /// The syntax is checked first (line and column of the first error), then the schema
    /// version, then every field. The digest is not checked here: ``ReturnCoding/verify(_:)``
    /// does that, so a reader can list a tampered return rather than fail on it.
    public static func read(file: String) throws(ReturnReadError) -> SiteReturn {
        let data: Data
        do {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw ReturnReadError(.unreadable, file: file, "the file does not exist")
            }
            guard !isDirectory.boolValue else {
                throw ReturnReadError(.unreadable, file: file, "is a folder, not a return file")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch let error as ReturnReadError {
            throw error
        } catch {
            throw ReturnReadError(.unreadable, file: file, "cannot be read (\(error.localizedDescription))")
        }
        return try read(data: data, file: file)
    }

    /// Reads a JSON return from `data`; `file` names it in errors.
    public static func read(data: Data, file: String) throws(ReturnReadError) -> SiteReturn {
        // The fast path reads a good return in one pass. What it does not take is parsed by
        // pioneer's own parser first, for the line and column of a syntax error, and because a
        // member written twice in one object (which JSONDecoder quietly takes one of, and other
        // readers the other) makes a return mean two things under one digest; then JSONDecoder
        // decodes it, and a failure is looked at again for the schema version and the place
        // of a number that does not fit.
        if let siteReturn = data.withUnsafeBytes({ ReturnBytesDecoder.decode($0) }) {
            guard siteReturn.schemaVersion == SiteReturn.currentSchemaVersion else {
                throw unknownVersion(String(siteReturn.schemaVersion), file: file)
            }
            return siteReturn
        }
        if data.starts(with: Data((ReturnCSV.header.prefix(3).joined(separator: ",") + ",").utf8)) {
            throw ReturnReadError(.wrongType, file: file,
                                  "is a CSV return (`pioneer return --format csv`), not a form the programme office reads: give the site's return in Pioneer JSON or ADX")
        }
        if let encoding = wideEncoding(data) {
            throw ReturnReadError(.notJSON, file: file,
                                  "is \(encoding) text; a return is JSON in UTF-8 (RFC 8259, section 8.1): save it as UTF-8")
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: data)
        } catch {
            if error.description.contains(" appears twice in one object") {
                throw ReturnReadError(.invalidValue, file: file,
                                      "cannot be read: " + error.description.replacingOccurrences(of: "so the body cannot be read",
                                                                                                  with: "so the return cannot be trusted"))
            }
            let reason = error.description == "the body is empty" ? "the file is empty" : error.description
            throw ReturnReadError(.notJSON, file: file, "is not JSON: \(reason)")
        }
        let failure: any Error
        do {
            let siteReturn = try JSONDecoder().decode(SiteReturn.self, from: data)
            guard siteReturn.schemaVersion == SiteReturn.currentSchemaVersion else {
                throw unknownVersion(String(siteReturn.schemaVersion), file: file)
            }
            // A member the schema does not define (`additionalProperties: false`) is not in the
            // digest, which covers the return as read: an edit that adds one would pass it.
            if let written = try? ReturnCoding.pretty(siteReturn), let known = try? JSONValue(parsing: written),
               let path = unknownMember(in: document, known: known, path: "$") {
                throw ReturnReadError(.invalidValue, file: file, path: path,
                                      "\(path): the return schema (version \(SiteReturn.currentSchemaVersion)) has no such member; a return holds "
                                      + "only what `pioneer return` writes, since anything else would not be covered by its digest")
            }
            return siteReturn
        } catch let error as ReturnReadError {
            throw error
        } catch {
            failure = error
        }
        try checkSchemaVersion(document, file: file)
        guard let error = failure as? DecodingError else {
            throw ReturnReadError(.invalidValue, file: file, "cannot be read as a return (\(failure.localizedDescription))")
        }
        // Foundation reports a number that does not fit a whole-number field without its
        // place; the parsed document says where it is.
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
           let path = firstNonWholeNumber(in: document, path: "$") {
            throw ReturnReadError(.invalidValue, file: file, path: path, "\(path): it should be a whole number")
        }
        throw readError(error, file: file)
    }

    /// The path of the first member of `document` that `known` (the return as decoded and
    /// written again) does not have, or nil. A member whose value is null is no member at all.
    private static func unknownMember(in document: JSONValue, known: JSONValue, path: String) -> String? {
        switch (document, known) {
        case (.object(let fields), .object(let knownFields)):
            for key in fields.keys.sorted() {
                let value = fields[key] ?? .null
                let child = path + (key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? ".\(key)" : "[\"\(key)\"]")
                guard let knownValue = knownFields[key] else {
                    if value == .null { continue }
                    return child
                }
                if let found = unknownMember(in: value, known: knownValue, path: child) { return found }
            }
            return nil
        case (.array(let items), .array(let knownItems)):
            for (index, (item, knownItem)) in zip(items, knownItems).enumerated() {
                if let found = unknownMember(in: item, known: knownItem, path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    /// "UTF-16" or "UTF-32" when `data` starts with that encoding's byte-order mark, or with the
    /// zero bytes its `{` would have; nil otherwise.
    private static func wideEncoding(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(4))
        if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32" }
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) { return "UTF-16" }
        if head.count == 4, head[0] == 0 || head[1] == 0 { return head[0] == 0 && head[1] == 0 || head[2] == 0 && head[3] == 0 ? "UTF-32" : "UTF-16" }
        return nil
    }

    private static func unknownVersion(_ found: String, file: String) -> ReturnReadError {
        ReturnReadError(.unknownSchemaVersion, file: file, path: "$.schemaVersion",
                        "schemaVersion \(found) is not one this pioneer reads (it reads version \(SiteReturn.currentSchemaVersion)); a newer pioneer may have written it")
    }

    private static func checkSchemaVersion(_ document: JSONValue, file: String) throws(ReturnReadError) {
        guard let object = document.objectValue else {
            throw ReturnReadError(.wrongType, file: file, path: "$",
                                  "is JSON but not a return: expected an object, found \(document.kindDescription)")
        }
        // The other forms `pioneer return` writes, which carry no definitions or provenance.
        if case .string(let type)? = object["resourceType"] {
            throw ReturnReadError(.wrongType, file: file, path: "$.resourceType",
                                  "is a FHIR \(type) (`pioneer return --format fhir`), not a form the programme office reads: give the site's return in Pioneer JSON or ADX")
        }
        if object["dataValues"] != nil, object["schemaVersion"] == nil {
            throw ReturnReadError(.wrongType, file: file, path: "$.dataValues",
                                  "is a DHIS2 dataValueSet (`pioneer return --format dhis2`), not a form the programme office reads: give the site's return in Pioneer JSON or ADX")
        }
        // No schemaVersion at all: JSON, but not a return (malformed), unlike a version this
        // pioneer does not know (readable, refused).
        guard let version = object["schemaVersion"] else {
            throw ReturnReadError(.wrongType, file: file, path: "$.schemaVersion",
                                  "has no schemaVersion, so it is not a pioneer return (this pioneer reads version \(SiteReturn.currentSchemaVersion))")
        }
        guard case .number(let number) = version else {
            throw ReturnReadError(.unknownSchemaVersion, file: file, path: "$.schemaVersion",
                                  "schemaVersion should be a whole number such as \(SiteReturn.currentSchemaVersion), found \(version.kindDescription)")
        }
        guard number == Double(SiteReturn.currentSchemaVersion) else {
            throw unknownVersion(number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number), file: file)
        }
    }

    /// A decoding error in the words of the file: the JSON path and what was expected.
    static func readError(_ error: DecodingError, file: String) -> ReturnReadError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = JSONPathText.path(context.codingPath, appending: key)
            return ReturnReadError(.missingField, file: file, path: path, "\(path) is missing")
        case .typeMismatch(let type, let context) where context.debugDescription.hasSuffix("but found null instead."):
            let path = JSONPathText.path(context.codingPath)
            return ReturnReadError(.wrongType, file: file, path: path, "\(path) is null; it should be \(describe(type))")
        case .typeMismatch(let type, let context):
            let path = JSONPathText.path(context.codingPath)
            return ReturnReadError(.wrongType, file: file, path: path, "\(path) should be \(describe(type))")
        case .valueNotFound(let type, let context):
            let path = JSONPathText.path(context.codingPath)
            return ReturnReadError(.wrongType, file: file, path: path, "\(path) is null; it should be \(describe(type))")
        case .dataCorrupted(let context):
            let path = JSONPathText.path(context.codingPath)
            let detail = context.debugDescription.contains("does not fit in")
                ? "it should be a whole number" : "its value is not allowed"
            return ReturnReadError(.invalidValue, file: file, path: path, "\(path): \(detail)")
        @unknown default:
            return ReturnReadError(.invalidValue, file: file, "cannot be read as a return")
        }
    }

    /// The fields a return holds whole numbers in.
    private static let wholeNumberFields: Set<String> = [
        "schemaVersion", "factor", "decimals", "sampleSize", "runId", "status", "pointsUsed", "id",
    ]

    /// The path of the first whole-number field whose value is a number that is not one.
    private static func firstNonWholeNumber(in value: JSONValue, path: String, key: String? = nil) -> String? {
        switch value {
        case .number(let number):
            guard let key, wholeNumberFields.contains(key) else { return nil }
            return number == number.rounded() && abs(number) < 9.2e18 ? nil : path
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstNonWholeNumber(in: item, path: "\(path)[\(index)]", key: key) { return found }
            }
            return nil
        case .object(let members):
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let found = firstNonWholeNumber(in: member, path: "\(path).\(name)", key: name) { return found }
            }
            return nil
        case .null, .bool, .string:
            return nil
        }
    }

    /// A Swift type as the JSON value a reader would write.
    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int64.Type, is Int32.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
