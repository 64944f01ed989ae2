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

/// Builds an ``ADXReturn`` from the parser's events, stopping at the first problem.
private final class ADXDocumentBuilder: NSObject, XMLParserDelegate {
    let file: String
    weak var parser: XMLParser?
    var failure: ADXReadError?

    private var depth = 0
    private var root: (site: String, period: Period, schemaVersion: Int, exported: String, digest: String?, contentDigest: String?)?
    private var groups: [ADXGroup] = []
    private var current: ADXGroup?
    private var currentLine = 0
    /// (period, indicator, part) seen, for refusing a value given twice.
    private var seen: Set<String> = []
    /// Each indicator's definition version, which must be the same throughout.
    private var versions: [String: String] = [:]

    init(file: String) {
        self.file = file
    }

    func result() throws(ADXReadError) -> ADXReturn {
        guard let root else {
            throw ADXReadError(.notADX, file: file, "has no adx element")
        }
        guard !groups.isEmpty else {
            throw ADXReadError(.notADX, file: file, "has no group: an ADX return holds at least one")
        }
        return ADXReturn(site: root.site, reportingPeriod: root.period, schemaVersion: root.schemaVersion, exported: root.exported,
                         returnDigest: root.digest, contentDigest: root.contentDigest, groups: groups)
    }

    private func fail(_ kind: ADXReadError.Kind, _ message: String) {
        guard failure == nil else { return }
        failure = ADXReadError(kind, file: file, line: parser?.lineNumber, column: parser?.columnNumber, message)
        parser?.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard failure == nil else { return }
        depth += 1
        let inADX = namespaceURI == ADXDocument.namespace
        switch depth {
        case 1:
            guard elementName == "adx", inADX else {
                let namespace = namespaceURI.map { $0.isEmpty ? "no namespace" : "namespace \($0)" } ?? "no namespace"
                return fail(.notADX, "the root element is `\(qualifiedName ?? elementName)` in \(namespace); an ADX return's root is `adx` in namespace \(ADXDocument.namespace)")
            }
            startRoot(attributes)
        case 2:
            guard elementName == "group", inADX else {
                return fail(.notADX, "`\(qualifiedName ?? elementName)` inside adx: only `group` elements of namespace \(ADXDocument.namespace) belong there")
            }
            startGroup(attributes)
        case 3:
            guard elementName == "dataValue", inADX else {
                return fail(.notADX, "`\(qualifiedName ?? elementName)` inside a group: only `dataValue` elements belong there")
            }
            startDataValue(attributes)
        case 4:
            guard elementName == "annotation", inADX else {
                return fail(.notADX, "`\(qualifiedName ?? elementName)` inside a dataValue: only an `annotation` belongs there")
            }
        default:
            fail(.notADX, "`\(qualifiedName ?? elementName)` is nested deeper than ADX allows")
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard failure == nil else { return }
        if depth == 2, let group = current {
            if group.values.isEmpty {
                failure = ADXReadError(.notADX, file: file, line: currentLine, column: 1,
                                       "the group for \(group.period.adxLabel) has no dataValue; every group holds at least one")
                parser.abortParsing()
                return
            }
            groups.append(group)
            current = nil
        }
        depth -= 1
    }

    /// Where libxml2 found the first error: after parsing the parser is at the end of the input.
    var errorPosition: (line: Int, column: Int)?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if errorPosition == nil { errorPosition = (parser.lineNumber, parser.columnNumber) }
    }

    // A document that got past the DOCTYPE check cannot declare entities; these stop any that do.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(.unsafe, "declares the entity `\(name)`; entities are refused")
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(.unsafe, "declares the external entity `\(name)`; entities are refused")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(.unsafe, "refers to the external entity `\(name)`; nothing is fetched")
        return nil
    }

    // MARK: Elements

    private func required(_ attributes: [String: String], _ name: String, of element: String) -> String? {
        guard let value = attributes[name] else {
            fail(.missingAttribute, "\(element) has no `\(name)` attribute")
            return nil
        }
        return value
    }

    private func startRoot(_ attributes: [String: String]) {
        guard let exported = required(attributes, "exported", of: "adx"),
              let site = required(attributes, "site", of: "adx"),
              let periodText = required(attributes, "reportingPeriod", of: "adx"),
              let versionText = required(attributes, "schemaVersion", of: "adx") else { return }
        guard !site.isEmpty else { return fail(.invalidValue, "adx has an empty `site`") }
        let period: Period
        do {
            period = try Period(parsing: periodText)
        } catch {
            return fail(.invalidValue, "adx reportingPeriod `\(periodText)` is not a Pioneer period label such as `2026-03`, `2026Q1` or `FY2025-26`")
        }
        guard period.label == periodText else {
            return fail(.invalidValue, "adx reportingPeriod `\(periodText)` should be written `\(period.label)`")
        }
        guard let schemaVersion = Int(versionText) else {
            return fail(.invalidValue, "adx schemaVersion `\(versionText)` should be a whole number such as \(SiteReturn.currentSchemaVersion)")
        }
        root = (site, period, schemaVersion, exported, attributes["digest"], attributes["contentDigest"])
    }

    private func startGroup(_ attributes: [String: String]) {
        guard let root else { return }
        currentLine = parser?.lineNumber ?? 0
        guard let orgUnit = required(attributes, "orgUnit", of: "group"),
              let periodText = required(attributes, "period", of: "group"),
              let dataSet = required(attributes, "dataSet", of: "group"),
              let completeText = required(attributes, "complete", of: "group") else { return }
        guard orgUnit == root.site else {
            return fail(.invalidValue, "group orgUnit `\(orgUnit)` is not the return's site `\(root.site)`; one ADX return holds one site's values")
        }
        guard dataSet == ADXDocument.dataSet else {
            return fail(.invalidValue, "group dataSet `\(dataSet)` is not \(ADXDocument.dataSet)")
        }
        let complete: Bool
        switch completeText.trimmingCharacters(in: .whitespaces) {
        case "true", "1": complete = true
        case "false", "0": complete = false
        default: return fail(.invalidValue, "group complete `\(completeText)` should be true or false")
        }
        let period: Period
        switch ADXPeriod.parse(periodText, within: root.period) {
        case .success(let found): period = found
        case .failure(let reason): return fail(.invalidValue, "group period `\(periodText)` \(reason)")
        }
        guard root.period.start <= period.start, period.end <= root.period.end else {
            return fail(.invalidValue, "group period `\(periodText)` (\(period.label)) is outside the reporting period \(root.period.label)")
        }
        if groups.contains(where: { $0.period == period }) {
            return fail(.invalidValue, "a second group for `\(periodText)`; one group per period")
        }
        current = ADXGroup(orgUnit: orgUnit, period: period, dataSet: dataSet, complete: complete, values: [])
    }

    private func startDataValue(_ attributes: [String: String]) {
        guard let group = current else { return }
        guard let element = required(attributes, "dataElement", of: "dataValue"),
              let partText = required(attributes, "PART", of: "dataValue"),
              let version = required(attributes, "definitionVersion", of: "dataValue"),
              let valueText = required(attributes, "value", of: "dataValue") else { return }
        guard !element.isEmpty else { return fail(.invalidValue, "dataValue has an empty dataElement") }
        guard let part = ADXPart(rawValue: partText) else {
            let known = ADXPart.allCases.map(\.rawValue).joined(separator: ", ")
            return fail(.invalidValue, "dataValue \(element) has PART `\(partText)`, which is not in Pioneer's code list (\(known))")
        }
        guard version.count == 12, version.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            return fail(.invalidValue, "dataValue \(element) has definitionVersion `\(version)`; it should be 12 lowercase hex digits")
        }
        guard let value = ADXDecimal.parse(valueText) else {
            return fail(.invalidValue, "dataValue \(element) \(part.rawValue) has value `\(valueText)`, which is not a decimal number such as 12 or 0.25")
        }
        if part == .sampleSize, value != value.rounded() || value < 0 {
            return fail(.invalidValue, "dataValue \(element) SAMPLE_SIZE has value `\(valueText)`; a sample size is a whole number of 0 or more")
        }
        guard seen.insert("\(group.period.label)\t\(element)\t\(part.rawValue)").inserted else {
            return fail(.invalidValue, "dataValue \(element) \(part.rawValue) for \(group.period.adxLabel) is given twice")
        }
        if let earlier = versions[element], earlier != version {
            return fail(.invalidValue, "dataValue \(element) has definitionVersion \(version) here and \(earlier) earlier; one return defines an indicator once")
        }
        versions[element] = version
        current?.values.append(ADXDataValue(dataElement: element, part: part, definitionVersion: version, value: value))
    }
}

/// ADX's `xs:decimal`: digits with an optional sign and point, no exponent, no NaN or infinity.
enum ADXDecimal {
    static func parse(_ raw: String) -> Double? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !body.isEmpty, body != ".",
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// ADX's period, a start date and an ISO 8601 duration, as one of Pioneer's periods.
enum ADXPeriod {
    enum Outcome {
        case success(Period)
        case failure(String)
    }

    /// `2026-04-01/P3M` as a quarter: a financial-year quarter when the reporting period is of
    /// the financial year, a calendar one otherwise (the two share start and length).
    static func parse(_ text: String, within reporting: Period) -> Outcome {
        let halves = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        let shape = "is not a start date and an ISO 8601 duration such as `2026-04-01/P1M`"
        guard halves.count == 2, let start = CalendarDate(iso: halves[0]), halves[0].count == 10 else {
            return .failure(shape)
        }
        let financial = reporting.type == .financialQuarter || reporting.type == .financialYear
        let type: PeriodType
        switch halves[1] {
        case "P1M": type = .month
        case "P3M": type = financial ? .financialQuarter : .quarter
        case "P1Y": type = .financialYear
        case "P7D": type = .isoWeek
        default:
            return .failure("has the duration `\(halves[1])`; Pioneer's periods are P1M (a month), P3M (a quarter), P1Y (a financial year) and P7D (an ISO week)")
        }
        let period = Period(containing: start, type: type)
        guard period.start == start else {
            return .failure("does not start a Pioneer period: the \(type.displayName) holding \(start) starts on \(period.start) (\(period.adxLabel))")
        }
        return .success(period)
    }
}
