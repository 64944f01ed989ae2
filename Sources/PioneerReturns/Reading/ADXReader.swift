// Reading an ADX return (IHE Aggregate Data Exchange, Pioneer's code list) safely: a document
// with a DOCTYPE, an entity declaration or another encoding is refused before any parser sees
// it, so no entity is ever expanded and nothing is fetched (billion laughs, XXE); the size is
// capped; the XML itself is parsed by Foundation's XMLParser (libxml2 on Linux).
public import Foundation
import PioneerKit
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads ADX returns into ``ADXReturn``.
///
/// The content digest is not checked here: ``ADXReturn/contentDigestCheck`` does that, so a
/// reader can list a changed return rather than fail on it.
public enum ADXReader {
    /// The largest document read: a return of 150 indicators over 36 months is about 3 MB.
    public static let defaultMaximumBytes = 32 << 20

    /// libxml2 keeps global state and is not safe to use from several threads at once on Linux.
    private static let parserLock = NSLock()

    /// Reads the ADX return at `file`.
    public static func read(file: String, maximumBytes: Int = defaultMaximumBytes) throws(ADXReadError) -> ADXReturn {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ADXReadError(.unreadable, file: file, "the file does not exist")
        }
        guard !isDirectory.boolValue else {
            throw ADXReadError(.unreadable, file: file, "is a folder, not a return file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw tooLarge(size, maximumBytes, file: file)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ADXReadError(.unreadable, file: file, "cannot be read (\(error.localizedDescription))")
        }
        return try read(data: data, file: file, maximumBytes: maximumBytes)
    }

    /// Reads an ADX return from `data`; `file` names it in errors.
    public static func read(data: Data, file: String, maximumBytes: Int = defaultMaximumBytes) throws(ADXReadError) -> ADXReturn {
        guard data.count <= maximumBytes else {
            throw tooLarge(data.count, maximumBytes, file: file)
        }
        guard !data.isEmpty else {
            throw ADXReadError(.notWellFormed, file: file, "is not XML: the file is empty")
        }
        try refuseUnsafe(data, file: file)
        let builder = ADXDocumentBuilder(file: file)
        let parsed: Bool
        let position: (line: Int, column: Int)
        let parserError: (any Error)?
        parserLock.lock()
        do {
            let parser = XMLParser(data: data)
            parser.shouldResolveExternalEntities = false
            parser.shouldProcessNamespaces = true
            parser.shouldReportNamespacePrefixes = false
            parser.delegate = builder
            builder.parser = parser
            parsed = parser.parse()
            position = (parser.lineNumber, parser.columnNumber)
            parserError = parser.parserError
            builder.parser = nil
        }
        parserLock.unlock()
        if let error = builder.failure {
            throw error
        }
        guard parsed else {
            let at = builder.errorPosition ?? position
            throw ADXReadError(.notWellFormed, file: file, line: max(1, at.line), column: max(1, at.column),
                               "is not well-formed XML: \(describe(parserError))")
        }
        return try builder.result()
    }

    private static func tooLarge(_ size: Int, _ maximum: Int, file: String) -> ADXReadError {
        ADXReadError(.tooLarge, file: file, "is \(size) bytes, more than the \(maximum) bytes an ADX return may be")
    }

    /// Refuses what ADX never needs and an attacker does: a DOCTYPE (with no DTD there are no
    /// entities to expand or fetch), entity declarations, and encodings other than UTF-8 (which
    /// could hide a DOCTYPE from this check).
    static func refuseUnsafe(_ data: Data, file: String) throws(ADXReadError) {
        if let nul = data.firstIndex(of: 0) {
            let (line, column) = position(of: nul - data.startIndex, in: data)
            throw ADXReadError(.unsafe, file: file, line: line, column: column,
                               "holds a NUL byte; ADX returns are read as UTF-8 text only")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ADXReadError(.unsafe, file: file, "is not UTF-8 text; ADX returns are read as UTF-8 only")
        }
        let bytes = [UInt8](data)
        for marker in ["<!DOCTYPE", "<!ENTITY"] {
            if let offset = find(Array(marker.utf8), in: bytes) {
                let (line, column) = position(of: offset, in: data)
                let what = marker == "<!DOCTYPE" ? "a DOCTYPE" : "an entity declaration"
                throw ADXReadError(.unsafe, file: file, line: line, column: column,
                                   "has \(what), which ADX does not use; it is refused unread so that no entity is expanded and nothing is fetched")
            }
        }
        if text.hasPrefix("<?xml") || text.hasPrefix("\u{FEFF}<?xml"), let end = text.range(of: "?>") {
            let declaration = text[..<end.lowerBound]
            if let range = declaration.range(of: "encoding") {
                let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let name = rest.dropFirst().prefix { $0 != quote }
                    let normalized = name.lowercased()
                    if normalized != "utf-8" && normalized != "utf8" {
                        throw ADXReadError(.unsafe, file: file, line: 1, column: 1,
                                           "declares the encoding `\(name)`; ADX returns are read as UTF-8 only")
                    }
                }
            }
        }
    }

    /// The offset of `needle` in `haystack`, comparing ASCII letters without case.
    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
        let head = lower(first)
        var index = 0
        while index + needle.count <= haystack.count {
            if lower(haystack[index]) == head {
                var matched = true
                for offset in 1..<needle.count where lower(haystack[index + offset]) != lower(needle[offset]) {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The line and column (counted in characters from 1) of a byte offset.
    private static func position(of offset: Int, in data: Data) -> (Int, Int) {
        let before = data.prefix(offset)
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? data.startIndex
        let column = String(decoding: data[lineStart..<(data.startIndex + offset)], as: UTF8.self).count + 1
        return (line, column)
    }

    /// libxml2's complaint in words, by its error number (libxml2's `xmlParserErrors`).
    private static func describe(_ error: (any Error)?) -> String {
        guard let error = error as NSError? else { return "the parser stopped" }
        switch error.code {
        case 4: return "there is no root element"
        case 5: return "there is content after the root element"
        case 9: return "it holds a character XML does not allow"
        case 23, 26, 27, 68: return "an `&` does not start a known entity such as `&amp;`"
        case 38: return "an attribute's value holds `<`; write it `&lt;`"
        case 39, 40, 41: return "an attribute's value is not quoted or not finished"
        case 42: return "an attribute is given twice in one tag"
        case 73: return "a tag is not closed with `>`"
        case 76: return "an end tag does not match its start tag"
        case 77: return "the document ends before its root element is closed"
        case 201: return "a namespace prefix is not declared"
        default: return "libxml2 error \(error.code)"
        }
    }
}
