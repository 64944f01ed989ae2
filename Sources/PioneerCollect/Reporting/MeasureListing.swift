// Stored measures as `pioneer measures` prints them: a table, CSV or JSON.
import Foundation
public import PioneerCore
import PioneerKit
import PioneerExtraction
public import PioneerStore

/// Stored measures of a site, formatted with each indicator's own format.
///
/// Values print as the indicator declares (`41.3%`, `£1,204.50`, `23.1`); a
/// measure whose indicator has since left the site's YAML prints with one decimal.
public struct MeasureListing: Sendable {
    public var site: Site
    public var rows: [StoredMeasure]

    public init(site: Site, rows: [StoredMeasure]) {
        self.site = site
        self.rows = rows
    }

    /// Aligned columns: indicator, period, value, parts, n, interval, status, run, fetched.
    public func table() -> String {
        var table = TextTable(["INDICATOR", "PERIOD", "VALUE", "NUMERATOR", "DENOMINATOR", "N", "INTERVAL", "STATUS", "RUN", "FETCHED"],
                              rightAligned: [2, 3, 4, 5])
        for row in rows {
            let observation = row.measure.observation.published
            let definition = site.indicator(id: row.measure.indicatorID)?.definition
            table.add([
                row.measure.indicatorID,
                row.measure.period.label,
                observation.value.map { format($0, definition) } ?? "–",
                observation.numerator.map(Self.part) ?? "",
                observation.denominator.map(Self.part) ?? "",
                observation.sampleSize.map { formatNumber(Double($0), decimals: 0) } ?? "",
                observation.interval.map { "\(format($0.lower, definition))–\(format($0.upper, definition))" } ?? "",
                status(row),
                row.confirmedRunID == row.runID ? "\(row.runID)" : "\(row.runID) (confirmed \(row.confirmedRunID))",
                fetched(row).map(Self.timestamp) ?? "",
            ])
        }
        return table.render()
    }

    /// RFC 4180 CSV with a header row; numbers unformatted, dates in ISO 8601.
    public func csv() -> String {
        let header = ["site", "indicator", "period", "period_type", "period_start", "period_end", "value", "formatted",
                      "numerator", "denominator", "sample_size", "interval_lower", "interval_upper", "interval_level",
                      "interval_method", "not_available", "not_available_detail", "current", "run", "confirmed_run",
                      "recorded_at", "fetched_at", "plugin", "sources"]
        var lines = [header.joined(separator: ",")]
        for row in rows {
            let observation = row.measure.observation.published
            let definition = site.indicator(id: row.measure.indicatorID)?.definition
            let period = row.measure.period
            let fields: [String] = [
                row.site, row.measure.indicatorID, period.label, period.type.rawValue,
                period.start.description, period.end.description,
                observation.value.map(Self.number) ?? "", observation.value.map { format($0, definition) } ?? "",
                observation.numerator.map(Self.number) ?? "", observation.denominator.map(Self.number) ?? "",
                observation.sampleSize.map(String.init) ?? "",
                observation.interval.map { Self.number($0.lower) } ?? "", observation.interval.map { Self.number($0.upper) } ?? "",
                observation.interval.map { Self.number($0.level) } ?? "", observation.interval?.method ?? "",
                observation.notAvailable?.reason.rawValue ?? "", observation.notAvailable?.detail ?? "",
                row.isCurrent ? "true" : "false", "\(row.runID)", "\(row.confirmedRunID)",
                Self.timestamp(row.recordedAt), fetched(row).map(Self.timestamp) ?? "",
                row.measure.provenance.plugin,
                row.measure.provenance.sources.map { "\($0.feed) \($0.url)" }.joined(separator: " | "),
            ]
            lines.append(fields.map(CSVText.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A JSON array, one object per measure, with its provenance.
    public func json() throws -> String {
        try ReportJSON.encode(entries())
    }

    func entries() -> [Entry] {
        rows.map { row in
            let definition = site.indicator(id: row.measure.indicatorID)?.definition
            return Entry(site: row.site, indicator: row.measure.indicatorID, period: row.measure.period.label,
                         periodType: row.measure.period.type.rawValue,
                         periodStart: row.measure.period.start.description, periodEnd: row.measure.period.end.description,
                         formatted: row.measure.observation.value.map { format($0, definition) },
                         observation: row.measure.observation.published, provenance: row.measure.provenance,
                         current: row.isCurrent, supersededBy: row.supersededBy, measureId: row.id,
                         run: row.runID, confirmedRun: row.confirmedRunID, recordedAt: row.recordedAt)
        }
    }

    struct Entry: Encodable {
        var site, indicator, period, periodType, periodStart, periodEnd: String
        var formatted: String?
        var observation: Observation
        var provenance: Provenance
        var current: Bool
        var supersededBy: Int64?
        var measureId: Int64
        var run, confirmedRun: Int64
        var recordedAt: Date
    }

    // MARK: Cells

    private func format(_ value: Double, _ definition: IndicatorDefinition?) -> String {
        definition?.format(value) ?? formatNumber(value, decimals: 1)
    }

    private func status(_ row: StoredMeasure) -> String {
        var status = row.measure.observation.notAvailable.map { "not available: \($0)" } ?? "ok"
        if !row.isCurrent {
            let successor = rows.first { $0.id == row.supersededBy }
            status = "superseded" + (successor.map { " by run \($0.runID)" } ?? "") + (status == "ok" ? "" : "; \(status)")
        }
        return status
    }

    /// When the newest source of a measure was fetched.
    private func fetched(_ row: StoredMeasure) -> Date? {
        row.measure.provenance.sources.map(\.fetchedAt).max()
    }

    /// A numerator or denominator: whole numbers without decimals.
    private static func part(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? formatNumber(value, decimals: 0) : formatNumber(value, decimals: 2)
    }

    private static func number(_ value: Double) -> String {
        CSVText.number(value)
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
