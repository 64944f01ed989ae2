// The `care-home-deaths` plugin (Cambridge's end of life care pilot): care home residents
// who died in hospital, as a share of care home residents' deaths.
import Foundation
public import PioneerKit
import PioneerExtraction

/// Joins the council's register of care home residents (JSON) to the hospital's deaths
/// extract (CSV) by NHS number, and reports the share of residents' deaths that happened in hospital.
///
/// NHS numbers are compared with spaces removed; a person listed twice among the deaths
/// counts once (their first row). Deaths with a blank NHS number cannot be matched and are
/// left out. See `Plugins/CareHomeDeaths/README.md`.
public struct CareHomeDeathsIndicatorPlugin: IndicatorPlugin {
    public static let name = "care-home-deaths"
    public static let summary = "Care home residents who died in hospital, as a share of care home residents' deaths (joins a JSON register to a CSV of deaths)."

    static let residentsKey = "residents"
    static let deathsKey = "deaths"

    public var residents: ResidentsSource
    public var deaths: DeathsSource
    /// Place-of-death values, trimmed, that count as "in hospital".
    public var hospitalPlaces: Set<String>
    /// Fewer residents' deaths than this are suppressed.
    public var minimumDeaths: Int

    public init(residents: ResidentsSource, deaths: DeathsSource, hospitalPlaces: [String], minimumDeaths: Int = 5) {
        self.residents = residents
        self.deaths = deaths
        self.hospitalPlaces = Set(hospitalPlaces.map { $0.trimmingCharacters(in: .whitespaces) })
        self.minimumDeaths = minimumDeaths
    }

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [
            FeedRequest(key: Self.residentsKey, feed: residents.feed, path: residents.path),
            FeedRequest(key: Self.deathsKey, feed: deaths.feed, path: deaths.path),
        ]
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        let register = try responses.require(Self.residentsKey)
        let residentIDs = try residentNumbers(register)
        guard !residentIDs.isEmpty else {
            return .notAvailable(.noData, "the register at \(register.url) lists no care home residents for \(period)")
        }
        let extract = try responses.require(Self.deathsKey)
        let (residentDeaths, inHospital) = try countDeaths(extract, residents: residentIDs, period: period)
        guard residentDeaths > 0 else {
            return .notAvailable(.noData, "no death in \(extract.url) matched a care home resident for \(period)")
        }
        guard residentDeaths >= minimumDeaths else {
            return .notAvailable(.suppressed, "\(residentDeaths) death\(residentDeaths == 1 ? "" : "s") of care home residents, below the minimum of \(minimumDeaths)")
        }
        return .value(
            Double(inHospital) / Double(residentDeaths), numerator: Double(inHospital),
            denominator: Double(residentDeaths),
            interval: .wilson(successes: inHospital, trials: residentDeaths))
    }

    /// The NHS numbers in the register, spaces removed.
    private func residentNumbers(_ response: FeedResponse) throws(PluginError) -> Set<String> {
        var numbers: Set<String> = []
        let idField = residents.idField
        // A record at a time: a register of any size is read in the memory of its numbers.
        try response.jsonRecords(at: residents.records) { (record) throws(PluginError) in
            let id = Self.normalise(try record.text(idField))
            guard !id.isEmpty else {
                throw PluginError("\(record) has a blank NHS number in `\(idField)`")
            }
            numbers.insert(id)
        }
        return numbers
    }

    /// Residents' deaths in the period, and how many of them were in hospital. The extract is
    /// read a row at a time, so a deaths extract of any size is read in the memory of one row.
    private func countDeaths(_ response: FeedResponse, residents: Set<String>, period: Period) throws(PluginError) -> (Int, Int) {
        let url = response.url
        let deaths = self.deaths
        func find(_ header: [String]) throws(PluginError) -> (id: Int, place: Int, date: Int?) {
            (try CSVTable.requireColumn(deaths.idColumn, header: header, in: url),
             try CSVTable.requireColumn(deaths.placeColumn, header: header, in: url),
             try deaths.dateColumn.map { (column) throws(PluginError) in try CSVTable.requireColumn(column, header: header, in: url) })
        }
        var found: (id: Int, place: Int, date: Int?)?
        var seen: Set<String> = []
        var inHospital = 0
        let header = try response.csvRecords { (record) throws(PluginError) in
            let columns: (id: Int, place: Int, date: Int?)
            if let found {
                columns = found
            } else {
                columns = try find(record.header)
                found = columns
            }
            let id = Self.normalise(record.field(columns.id))
            guard !id.isEmpty, residents.contains(id), !seen.contains(id) else { return }
            if let dateColumn = columns.date, try !record.field(dateColumn, isIn: period, format: .iso, url: url) { return }
            seen.insert(id)
            if hospitalPlaces.contains(record.field(columns.place).trimmingCharacters(in: .whitespaces)) {
                inHospital += 1
            }
        }
        // No data rows: the columns must still be there.
        if found == nil { _ = try find(header) }
        return (seen.count, inHospital)
    }

    /// An NHS number without spaces: "943 476 5919" → "9434765919".
    static func normalise(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespaces.contains($0) }.map(Character.init))
    }
}
