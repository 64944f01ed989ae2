// The kinds of reporting period Pioneer knows, and which quarter scheme each uses.

/// How often an indicator is reported.
///
/// Calendar quarters (`2026Q3`, July–September) and NHS financial-year quarters
/// (`FY2026-27 Q1`, April–June) are different types on purpose: every label says
/// which scheme it uses.
public enum PeriodType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A calendar month: `2026-06`.
    case month
    /// A calendar quarter, January to March being Q1: `2026Q3`.
    case quarter
    /// A quarter of the NHS financial year, April to June being Q1: `FY2026-27 Q1`.
    case financialQuarter = "fy-quarter"
    /// The NHS financial year, April to March: `FY2026-27`.
    case financialYear = "fy-year"
    /// An ISO 8601 week, Monday to Sunday, in the ISO week-numbering year: `2026-W53`.
    case isoWeek = "iso-week"

    /// Plain-English name for messages.
    public var displayName: String {
        switch self {
        case .month: return "month"
        case .quarter: return "calendar quarter"
        case .financialQuarter: return "NHS financial-year quarter"
        case .financialYear: return "NHS financial year"
        case .isoWeek: return "ISO week"
        }
    }

    /// The article before ``displayName``: "an ISO week", "an NHS financial year" (said "en-aitch-ess").
    public var article: String {
        switch self {
        case .isoWeek, .financialQuarter, .financialYear: return "an"
        case .month, .quarter: return "a"
        }
    }

    /// The example label shown in help and error messages.
    public var exampleLabel: String {
        switch self {
        case .month: return "2026-06"
        case .quarter: return "2026Q3"
        case .financialQuarter: return "FY2026-27 Q1"
        case .financialYear: return "FY2026-27"
        case .isoWeek: return "2026-W12"
        }
    }

    /// The ISO 8601 duration of one period, as IHE ADX writes it (`P3M`).
    public var isoDuration: String {
        switch self {
        case .month: return "P1M"
        case .quarter, .financialQuarter: return "P3M"
        case .financialYear: return "P1Y"
        case .isoWeek: return "P7D"
        }
    }
}
