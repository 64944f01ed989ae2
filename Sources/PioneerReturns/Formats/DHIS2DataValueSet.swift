// The return as a DHIS2 `dataValueSets` payload, for offices whose national system is DHIS2.
// The mapping of indicators, sites, value parts and periods to DHIS2 codes is fixed and
// documented (docs/returns.md), so the office creates the metadata once and imports with
// `dataElementIdScheme=CODE&orgUnitIdScheme=CODE&categoryOptionComboIdScheme=CODE`.
import Foundation
public import PioneerKit

/// A DHIS2 data value set made from a return.
///
/// - `dataElement`: `PIONEER_` and the indicator id in upper case, `-` as `_`
///   (`PIONEER_EMERGENCY_ADMISSIONS_65`).
/// - `orgUnit`: `PIONEER_` and the site id the same way (`PIONEER_TORBAY`).
/// - `categoryOptionCombo`: `PIONEER_VALUE`, `PIONEER_NUMERATOR`, `PIONEER_DENOMINATOR`,
///   `PIONEER_SAMPLE_SIZE`: one data value per part the measure has.
/// - `period`: DHIS2's ids: `202604` (month), `2026Q2` (calendar quarter, and an NHS
///   financial quarter, which covers the same months: FY2026-27 Q1 is `2026Q2`), `2026April`
///   (the financial year April 2026 to March 2027), `2026W5` (ISO week).
/// - `completeDate`: the day the return was made, present only when the return is complete.
///
/// A value not available is left out (DHIS2 keeps missing as absent); its reason stays in
/// the JSON return.
public struct DHIS2DataValueSet: Sendable, Hashable, Codable {
    public struct DataValue: Sendable, Hashable, Codable {
        public var dataElement: String
        public var period: String
        public var orgUnit: String
        public var categoryOptionCombo: String
        /// DHIS2 carries every value as text.
        public var value: String

        public init(dataElement: String, period: String, orgUnit: String, categoryOptionCombo: String, value: String) {
            self.dataElement = dataElement
            self.period = period
            self.orgUnit = orgUnit
            self.categoryOptionCombo = categoryOptionCombo
            self.value = value
        }
    }

    /// The data set the values belong to: `PIONEER_RETURN`.
    public var dataSet: String
    /// `YYYY-MM-DD`; absent for an incomplete return.
    public var completeDate: String?
    public var orgUnit: String
    public var dataValues: [DataValue]

    public static let dataSetCode = "PIONEER_RETURN"
    /// DHIS2 limits codes to 50 characters.
    public static let maximumCodeLength = 50

    public enum Part: String, CaseIterable, Sendable {
        case value = "PIONEER_VALUE"
        case numerator = "PIONEER_NUMERATOR"
        case denominator = "PIONEER_DENOMINATOR"
        case sampleSize = "PIONEER_SAMPLE_SIZE"
    }

    /// The data value set of `siteReturn`.
    public init(_ siteReturn: SiteReturn) throws(ReturnFormatError) {
        let orgUnit = try Self.code(siteReturn.site.id, what: "site")
        var values: [DataValue] = []
        for indicator in siteReturn.indicators {
            let element = try Self.code(indicator.id, what: "indicator")
            for measure in indicator.measures {
                let period = try Self.period(measure.period)
                let parts: [(Part, String?)] = [
                    (.value, measure.value.map { ReturnCSV.number($0) }),
                    (.numerator, measure.numerator.map { ReturnCSV.number($0) }),
                    (.denominator, measure.denominator.map { ReturnCSV.number($0) }),
                    (.sampleSize, measure.sampleSize.map(String.init)),
                ]
                for case let (part, text?) in parts {
                    values.append(DataValue(dataElement: element, period: period, orgUnit: orgUnit,
                                            categoryOptionCombo: part.rawValue, value: text))
                }
            }
        }
        dataSet = Self.dataSetCode
        completeDate = siteReturn.complete ? String(siteReturn.generatedAt.prefix(10)) : nil
        self.orgUnit = orgUnit
        dataValues = values
    }

    /// `PIONEER_` and `id` in upper case with every character other than a letter or digit as `_`.
    public static func code(_ id: String, what: String) throws(ReturnFormatError) -> String {
        let body = String(id.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        let code = "PIONEER_" + body
        guard code.count <= maximumCodeLength else {
            throw ReturnFormatError(format: "dhis2", "the \(what) id `\(id)` makes the DHIS2 code \(code), longer than DHIS2's \(maximumCodeLength) characters")
        }
        return code
    }

    /// DHIS2's period id of a return period.
    public static func period(_ period: ReturnPeriod) throws(ReturnFormatError) -> String {
        guard let parsed = try? Period(parsing: period.label) else {
            throw ReturnFormatError(format: "dhis2", "`\(period.label)` is not a period pioneer knows")
        }
        return id(of: parsed)
    }

    /// `202604`, `2026Q2`, `2026April`, `2026W5`.
    public static func id(of period: Period) -> String {
        let start = period.start
        switch period.type {
        case .month:
            return String(format: "%04d%02d", start.year, start.month)
        case .quarter, .financialQuarter:
            // NHS financial quarters are calendar quarters under another name.
            return "\(start.year)Q\((start.month - 1) / 3 + 1)"
        case .financialYear:
            return "\(start.year)April"
        case .isoWeek:
            let (year, week) = period.isoYearAndWeek
            return "\(year)W\(week)"
        }
    }

    /// The payload as DHIS2's API takes it: JSON, keys sorted, indented.
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Text only: encoding cannot fail.
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }
}

/// A return that cannot be written in a format: an id too long for its codes, an unknown period.
public struct ReturnFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public var format: String
    public var message: String

    public init(format: String, _ message: String) {
        self.format = format
        self.message = message
    }

    public var description: String {
        "cannot write the return as \(format): \(message)"
    }
}
