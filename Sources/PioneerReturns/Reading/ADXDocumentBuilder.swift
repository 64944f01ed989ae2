// The XMLParser delegate behind ADXReader: builds an ADXReturn from the parser's events and
// stops at the first problem, with the line and column where the parser was.
import Foundation
import PioneerKit
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Builds an ``ADXReturn`` from the parser's events, stopping at the first problem.
final class ADXDocumentBuilder: NSObject, XMLParserDelegate {
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
