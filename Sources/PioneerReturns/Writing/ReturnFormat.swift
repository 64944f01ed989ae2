// The formats a return is written in, and the bytes of each.

/// A return's file format.
public enum ReturnFormat: String, Sendable, Hashable, CaseIterable {
    /// Pioneer's own, versioned JSON (schemas/return-v1.schema.json), pretty-printed.
    case json
    /// One row per indicator-period.
    case csv
    /// A DHIS2 `dataValueSets` payload (``DHIS2DataValueSet``).
    case dhis2
    /// IHE ADX XML (``ADXDocument``), checked by schemas/adx/adx.xsd.
    case adx
    /// A FHIR R4 Bundle of summary MeasureReports (``FHIRMeasureReportBundle``).
    case fhir

    /// The file's bytes.
    ///
    /// - Throws: ``ReturnEncodingError`` (a number JSON cannot hold) or ``ReturnFormatError``.
    public func render(_ siteReturn: SiteReturn) throws -> [UInt8] {
        switch self {
        case .json: return Array(try ReturnCoding.pretty(siteReturn))
        case .csv: return Array(ReturnCSV.text(siteReturn).utf8)
        case .dhis2: return try DHIS2DataValueSet(siteReturn).json()
        case .adx: return Array(try ADXDocument.xml(siteReturn).utf8)
        case .fhir: return try FHIRMeasureReportBundle.json(siteReturn)
        }
    }
}
