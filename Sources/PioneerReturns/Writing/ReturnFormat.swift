// The formats a return is written in, and the bytes of each.

/// A return's file format.
public enum ReturnFormat: String, Sendable, Hashable, CaseIterable {
    /// Pioneer's own, versioned JSON (schemas/return-v1.schema.json), pretty-printed.
    case json
    /// One row per indicator-period.
    case csv

    /// The file's bytes.
    public func render(_ siteReturn: SiteReturn) throws(ReturnEncodingError) -> [UInt8] {
        switch self {
        case .json: return Array(try ReturnCoding.pretty(siteReturn))
        case .csv: return Array(ReturnCSV.text(siteReturn).utf8)
        }
    }
}
