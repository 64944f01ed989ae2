// A `csv` block's filter and aggregate worked out row by row as the records stream past:
// running totals instead of a table, so memory does not grow with the export.
import PioneerKit

/// The state of one ``CSVExtraction/extract(_:period:)`` while its rows go by.
struct CSVScan {
    private let extraction: CSVExtraction
    private let period: Period
    private let url: String

    private var filterColumns: [Int] = []
    private var accepted: [Set<String>] = []
    private var dateIndex: Int?
    private var valueIndex: Int?
    private(set) var isResolved = false
    private var header: [String] = []

    /// Whether each raw cell passes each filter: exports repeat a few values millions of
    /// times, and folding case for each costs more than a lookup.
    private var verdicts: [CellVerdicts] = []
    /// Whether each raw date cell falls in the period: an export's dates repeat too (a month
    /// of admissions has thirty), and reading each from text cost more than the rest of the row.
    private var dateVerdicts = CellVerdicts()

    private var matched = 0
    private var total = 0.0
    private var numbers = 0
    private var rowsSeen = 0
    /// Until a row passes every filter: what each filter's column holds, for the message
    /// when none does, and whether any row passed that filter.
    private var tallies: [ValueTally] = []
    private var passed: [Bool] = []
    private var tallying = true

    init(extraction: CSVExtraction, period: Period, url: String) {
        self.extraction = extraction
        self.period = period
        self.url = url
    }

    /// Finds the configured columns in `header`.
    mutating func resolve(_ header: [String]) throws(PluginError) {
        self.header = header
        for filter in extraction.filters {
            filterColumns.append(try CSVTable.requireColumn(filter.column, header: header, in: url, delimiterKey: true))
            accepted.append(Set(filter.accepted.map(AnswerMatching.key)))
        }
        if let dateColumn = extraction.dateColumn { dateIndex = try CSVTable.requireColumn(dateColumn, header: header, in: url, delimiterKey: true) }
        if let column = extraction.column { valueIndex = try CSVTable.requireColumn(column, header: header, in: url, delimiterKey: true) }
        verdicts = Array(repeating: CellVerdicts(), count: filterColumns.count)
        tallies = Array(repeating: ValueTally(), count: filterColumns.count)
        passed = Array(repeating: false, count: filterColumns.count)
        isResolved = true
    }

    /// Takes one data record in.
    mutating func take(_ record: CSVRecord) throws(PluginError) {
        if !isResolved { try resolve(record.header) }
        rowsSeen += 1
        var all = true
        for filter in filterColumns.indices {
            let column = filterColumns[filter]
            let passes: Bool
            if !tallying, let known = record.withField(column, { verdicts[filter].verdict($0) }) {
                passes = known
            } else {
                let cell = try text(record, column)
                passes = accepted[filter].contains(AnswerMatching.key(cell))
                record.withField(column) { verdicts[filter].remember($0, passes: passes) }
                if tallying { tallies[filter].add(cell) }
            }
            if passes {
                if tallying { passed[filter] = true }
            } else {
                all = false
                if !tallying { break }
            }
        }
        guard all else { return }
        if tallying {
            // A row passed every filter: no message will list what the columns hold.
            tallying = false
            tallies = []
        }
        if let dateIndex {
            if let known = record.withField(dateIndex, { dateVerdicts.verdict($0) }) {
                guard known else { return }
            } else {
                // A cell not seen before (or not kept): read, and remembered when it is a date.
                let cell = try text(record, dateIndex)
                guard let date = extraction.dateFormat.parse(cell) else {
                    let found = cell.trimmingWhitespaceFast().isEmpty ? "it is blank" : "found `\(cell)`"
                    throw PluginError("row \(record.row) of \(url): column `\(header[dateIndex])` (column \(dateIndex + 1)) should hold a date like \(extraction.dateFormat.example) (\(extraction.dateFormat.rawValue)), but \(found)")
                }
                let inPeriod = period.contains(date)
                record.withField(dateIndex) { dateVerdicts.remember($0, passes: inPeriod) }
                guard inPeriod else { return }
            }
        }
        matched += 1
        guard let valueIndex, extraction.aggregate != .count else { return }
        if record.withField(valueIndex, { $0.isEmpty }) { return }
        // A plain number is read from its bytes; anything else (`£12`, ` 7 `, an error) as text.
        if let number = record.withField(valueIndex, { cell -> Double? in
            switch extraction.numberFormat {
            case .strict: DecimalBytes.value(cell)
            case .readable: DecimalBytes.readable(cell, decimal: UInt8(ascii: "."), thousands: UInt8(ascii: ","))
            case .readableDecimalComma: DecimalBytes.readable(cell, decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."))
            }
        }) {
            total += number
            numbers += 1
            return
        }
        let cell = try text(record, valueIndex)
        if cell.trimmingWhitespaceFast().isEmpty { return }
        guard let number = extraction.number(cell) else {
            throw PluginError("row \(record.row) of \(url): column `\(header[valueIndex])` (column \(valueIndex + 1)) should hold a number, but found `\(cell)`"
                + NumberFormat.hint(for: cell, configured: extraction.numberFormat))
        }
        total += number
        numbers += 1
    }

    private func text(_ record: CSVRecord, _ column: Int) throws(PluginError) -> String {
        guard let text = record.validatedField(column) else {
            throw PluginError("row \(record.row) of \(url): column `\(header[column])` (column \(column + 1)) is not UTF-8 text")
        }
        return text
    }

    /// Whether some row has passed every filter (after which no message lists what the
    /// filtered columns hold).
    var foundMatch: Bool { !tallying }

    /// Adds in the totals of `later`, the scan of the rows that follow this one's, when at
    /// least one of the two has seen a row pass every filter (the totals are then all that
    /// ``result()`` reads; a sum adds the two halves' sums).
    mutating func add(_ later: CSVScan) {
        precondition(foundMatch || later.foundMatch, "scans are added only once a row has passed the filters")
        if !isResolved {
            self = later
            return
        }
        matched += later.matched
        total += later.total
        numbers += later.numbers
        rowsSeen += later.rowsSeen
        tallying = false
        tallies = []
    }

    /// The value once every row has been taken in.
    func result() throws(PluginError) -> ExtractedValue {
        let contributors = extraction.aggregate == .count ? matched : numbers
        guard contributors > 0 else {
            let what = matched == 0
                ? "no row of \(url) matched\(extraction.describeFilters(period: period))" + unmatchedFilters()
                : "the \(matched) matching row\(matched == 1 ? "" : "s") of \(url) have no value in column `\(extraction.column ?? "")`"
            switch extraction.ifEmpty {
            case .noData: return ExtractedValue(value: nil, count: 0, detail: what)
            case .zero: return ExtractedValue(value: 0, count: 0, detail: what)
            case .error: throw PluginError("\(what); expected at least one row")
            }
        }
        let detail = "\(contributors) row\(contributors == 1 ? "" : "s") of \(url)"
        switch extraction.aggregate {
        case .count: return ExtractedValue(value: Double(matched), count: contributors, detail: detail)
        case .sum: return ExtractedValue(value: total, count: contributors, detail: detail)
        case .mean: return ExtractedValue(value: total / Double(numbers), count: contributors, detail: detail, total: total)
        }
    }

    /// For each filter that no row passes, the values its column does hold:
    /// "; no row has `outcome` = `home`: the column holds `at home` ×12, `died` ×2".
    private func unmatchedFilters() -> String {
        guard rowsSeen > 0, tallying else { return "" }
        var notes: [String] = []
        for (index, filter) in extraction.filters.enumerated() where !passed[index] {
            let wanted = filter.accepted.count == 1
                ? "= `\(filter.accepted[0])`"
                : "in " + filter.accepted.map { "`\($0)`" }.joined(separator: ", ")
            notes.append("no row has `\(filter.column)` \(wanted): the column holds \(tallies[index].description())")
        }
        return notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")
    }
}
