// The return as CSV for the office's spreadsheet users: one row per indicator-period,
// the missing ones included, each row carrying whether the return is complete.
import Foundation
import PioneerKit

/// RFC 4180 CSV of a return.
///
/// Each row repeats the site, the reporting period, `complete` and the digest, so a row
/// pasted elsewhere still says where it came from. `status` is `reported`, `not-available`
/// or `missing` (a required measure absent from an incomplete return, its reason in `detail`).
public enum ReturnCSV {
    public static let header = [
        "site", "reporting_period", "complete", "indicator", "indicator_name", "kind", "value_type", "unit", "factor",
        "better", "decimals", "definition_version", "period", "period_type", "period_start", "period_end", "status",
        "value", "numerator", "denominator", "sample_size", "interval_lower", "interval_upper", "interval_level",
        "interval_method", "not_available", "detail", "run", "collected_at", "sources", "digest",
    ]

    public static func text(_ siteReturn: SiteReturn) -> String {
        var lines = [header.joined(separator: ",")]
        for indicator in siteReturn.indicators {
            var rows: [(start: String, fields: [String])] = indicator.measures.map { measure in
                let status = measure.notAvailable == nil ? "reported" : "not-available"
                let fields = [
                    measure.period.label, measure.period.type, measure.period.start, measure.period.end, status,
                    number(measure.value), number(measure.numerator), number(measure.denominator),
                    measure.sampleSize.map(String.init) ?? "",
                    number(measure.interval?.lower), number(measure.interval?.upper), number(measure.interval?.level),
                    measure.interval?.method ?? "", measure.notAvailable?.reason ?? "", measure.notAvailable?.detail ?? "",
                    String(measure.provenance.runID), measure.provenance.collectedAt,
                    measure.provenance.sources.map { "\($0.feed) \($0.url)" }.joined(separator: " | "),
                ]
                return (measure.period.start, fields)
            }
            for missing in siteReturn.missing where missing.indicator == indicator.id {
                let period = try? Period(parsing: missing.period)
                let start = period?.start.description ?? ""
                let fields = [missing.period, period?.type.rawValue ?? "", start, period?.end.description ?? "", "missing"]
                    + Array(repeating: "", count: 9) + [missing.reason, "", "", ""]
                rows.append((start, fields))
            }
            let definition = [
                indicator.id, indicator.name, indicator.kind, indicator.valueType, indicator.unit,
                indicator.factor.map(String.init) ?? "", indicator.better, String(indicator.decimals), indicator.definitionVersion,
            ]
            for row in rows.sorted(by: { $0.start < $1.start }) {
                let fields = [siteReturn.site.id, siteReturn.period.label, siteReturn.complete ? "true" : "false"]
                    + definition + row.fields + [siteReturn.digest?.value ?? ""]
                lines.append(fields.map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A number as it reads back exactly: whole numbers without a decimal point.
    public static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
