// The return as IHE Aggregate Data Exchange (ADX) XML, namespace urn:ihe:qrph:adx:2015, for
// offices whose systems take ADX. The code list is Pioneer's (docs/returns.md) and
// schemas/adx/adx.xsd checks a document against it.
import Foundation
import PioneerKit

/// An ADX document made from a return.
///
/// - root `adx`: `exported` is when the return was made; `site`, `reportingPeriod` and
///   `digest` (of the JSON return) say which return it is; `schemaVersion` is the return
///   schema version; `contentDigest` is the SHA-256 of the document's own canonical content
///   (``ADXReturn/canonicalContent``), which a reader checks without the JSON return.
/// - one `group` per period with values: `orgUnit` the site id, `period` the start date and
///   ISO 8601 duration (`2026-04-01/P1M`, `2026-01-01/P3M`, `2025-04-01/P1Y`), `dataSet`
///   `PIONEER_RETURN`, `complete` false in every group of an incomplete return.
/// - one `dataValue` per part of a measure: `dataElement` the indicator id, the disaggregation
///   `PART` (`VALUE`, `NUMERATOR`, `DENOMINATOR`, `SAMPLE_SIZE`), `definitionVersion`, and
///   the `value` as a plain decimal (ADX's `xs:decimal` has no exponent).
///
/// A value not available is left out (ADX requires a number); a suppressed measure keeps
/// its sample size.
public enum ADXDocument {
    public static let namespace = "urn:ihe:qrph:adx:2015"
    public static let dataSet = "PIONEER_RETURN"

    /// The XML of `siteReturn`.
    ///
    /// - Throws: ``ReturnFormatError`` when the return has no value at all: ADX has no way
    ///   to send an empty return (every group needs a data value).
    public static func xml(_ siteReturn: SiteReturn) throws(ReturnFormatError) -> String {
        var document = try adx(siteReturn)
        document.contentDigest = document.computedContentDigest
        return xml(document)
    }

    /// The ADX content of `siteReturn`, without its content digest.
    public static func adx(_ siteReturn: SiteReturn) throws(ReturnFormatError) -> ADXReturn {
        var groups: [(period: ReturnPeriod, values: [ADXDataValue])] = []
        var groupIndex: [String: Int] = [:]
        for indicator in siteReturn.indicators {
            for measure in indicator.measures {
                let parts: [(ADXPart, Double?)] = [
                    (.value, measure.value), (.numerator, measure.numerator), (.denominator, measure.denominator),
                    (.sampleSize, measure.sampleSize.map(Double.init)),
                ]
                let values = parts.compactMap { part, number in
                    number.map { ADXDataValue(dataElement: indicator.id, part: part, definitionVersion: indicator.definitionVersion, value: $0) }
                }
                guard !values.isEmpty else { continue }
                // By days, not label: ADX names a period by its start and length, so a calendar
                // quarter and the NHS-year quarter with the same days (2025Q4, FY2025-26 Q3) are
                // one `2025-10-01/P3M` group, and ADX allows one group per period.
                let days = "\(measure.period.start)/\(measure.period.end)"
                if let index = groupIndex[days] {
                    groups[index].values += values
                } else {
                    groupIndex[days] = groups.count
                    groups.append((measure.period, values))
                }
            }
        }
        guard !groups.isEmpty else {
            throw ReturnFormatError(format: "adx", "the return of \(siteReturn.site.id) for \(siteReturn.period.label) has no values, and an ADX document needs at least one; every required measure is missing (see --format json)")
        }
        guard let reportingPeriod = try? Period(parsing: siteReturn.period.label) else {
            throw ReturnFormatError(format: "adx", "`\(siteReturn.period.label)` is not a period pioneer knows")
        }
        var adxGroups: [ADXGroup] = []
        for group in groups.sorted(by: { ($0.period.start, $0.period.end) < ($1.period.start, $1.period.end) }) {
            guard let period = try? Period(parsing: group.period.label) else {
                throw ReturnFormatError(format: "adx", "`\(group.period.label)` is not a period pioneer knows")
            }
            adxGroups.append(ADXGroup(orgUnit: siteReturn.site.id, period: period, complete: siteReturn.complete, values: group.values))
        }
        return ADXReturn(site: siteReturn.site.id, reportingPeriod: reportingPeriod, schemaVersion: siteReturn.schemaVersion,
                         exported: siteReturn.generatedAt,
                         returnDigest: siteReturn.digest.map { "\($0.algorithm):\($0.value)" }, groups: adxGroups)
    }

    /// The XML of an ADX document, its content digest as it stands.
    public static func xml(_ document: ADXReturn) -> String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<adx xmlns=\"\(namespace)\" exported=\"\(escape(document.exported))\" site=\"\(escape(document.site))\" "
                + "reportingPeriod=\"\(escape(document.reportingPeriod.label))\" schemaVersion=\"\(document.schemaVersion)\""
                + (document.returnDigest.map { " digest=\"\(escape($0))\"" } ?? "")
                + (document.contentDigest.map { " contentDigest=\"\(escape($0))\"" } ?? "") + ">",
        ]
        for group in document.groups {
            lines.append("  <group orgUnit=\"\(escape(group.orgUnit))\" period=\"\(group.period.adxLabel)\" dataSet=\"\(escape(group.dataSet))\" "
                         + "complete=\"\(group.complete)\">")
            for value in group.values {
                lines.append("    <dataValue dataElement=\"\(escape(value.dataElement))\" PART=\"\(value.part.rawValue)\" "
                             + "definitionVersion=\"\(escape(value.definitionVersion))\" value=\"\(decimal(value.value))\"/>")
            }
            lines.append("  </group>")
        }
        lines.append("</adx>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `value` as a plain decimal that reads back to the same Double: `0.000000001`, not `1e-09`.
    public static func decimal(_ value: Double) -> String {
        let text = ReturnCSV.number(value)
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else {
            return text
        }
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let pointIndex = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        let digits = mantissa.replacingOccurrences(of: ".", with: "")
        let point = pointIndex + exponent
        var result: String
        if point <= 0 {
            result = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            result = digits + String(repeating: "0", count: point - digits.count)
        } else {
            result = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        if result.contains(".") {
            while result.hasSuffix("0") { result.removeLast() }
            if result.hasSuffix(".") { result.removeLast() }
        }
        return (negative ? "-" : "") + result
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
