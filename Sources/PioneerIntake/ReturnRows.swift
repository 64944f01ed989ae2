// The rows an accepted return is kept as beside its bytes, for the national aggregate, the
// status and the history to read with SQL: the return's facts, its indicators (the
// definitions themselves are in `indicator_definition`), their measures and its goals.
// Written as multi-row INSERTs with the text both databases share.
import PioneerAggregate
import PioneerReturns

/// One accepted return as the rows of `return_fact`, `return_indicator`, `return_measure`
/// and `return_goal`.
struct ReturnRows: Sendable {
    /// The tables' columns, in the order ``rows`` gives each row's cells.
    static let tables: [(name: String, columns: [String])] = [
        ("return_fact", ["submission", "schema_version", "generated_at", "complete"]),
        ("return_indicator", ["submission", "position", "indicator", "definition_version"]),
        ("return_measure", ["submission", "indicator_position", "position", "period", "value", "numerator", "denominator",
                            "sample_size", "interval_lower", "interval_upper", "not_available", "not_available_detail"]),
        ("return_goal", ["submission", "position", "goal", "indicator", "title", "status", "rag", "confidence", "agreement"]),
    ]

    /// Each table's rows, in the order of ``tables``.
    var rows: [[[SQLCell]]]

    /// The rows of `content`, stored as submission `id`.
    init(submission id: String, content: SiteReturn) {
        let fact: [[SQLCell]] = [[.text(id), .int(content.schemaVersion), .text(content.generatedAt), .bool(content.complete)]]
        var indicators: [[SQLCell]] = [], measures: [[SQLCell]] = []
        for (position, indicator) in content.indicators.enumerated() {
            indicators.append([.text(id), .int(position), .text(indicator.id), .text(indicator.definitionVersion)])
            for (index, measure) in indicator.measures.enumerated() {
                measures.append([
                    .text(id), .int(position), .int(index), .text(measure.period.label), .double(measure.value),
                    .double(measure.numerator), .double(measure.denominator), .int(measure.sampleSize),
                    .double(measure.interval?.lower), .double(measure.interval?.upper),
                    .text(measure.notAvailable?.reason), .text(measure.notAvailable?.detail),
                ])
            }
        }
        let goals: [[SQLCell]] = content.goals.enumerated().map { position, goal in
            [.text(id), .int(position), .text(goal.id), .text(goal.indicator), .text(goal.title), .text(goal.status),
             .text(goal.selfAssessment.rag), .text(goal.selfAssessment.confidence), .text(goal.agreement)]
        }
        rows = [fact, indicators, measures, goals]
    }

    /// The rows of an accepted submission stored before rows were kept, read from its stored
    /// bytes (an ADX one with the stored definitions); nil when the bytes cannot be read back.
    init?(backfilling id: String, format: String, bytes: [UInt8], catalogue: DefinitionCatalogue) {
        let format = SubmissionFormat(rawValue: format) ?? .json
        guard case .success(let item) = ReturnImport.read(bytes, format: format, catalogue: catalogue, source: "submission \(id)")
        else { return nil }
        self.init(submission: id, content: item.content)
    }

    /// How a statement's parameters are written: SQLite's anonymous `?`, PostgreSQL's `$1`, `$2`…
    enum Placeholders: Sendable {
        case anonymous
        case numbered
    }

    /// The INSERT statements that write these rows, with their cells: a few hundred rows a
    /// statement, well inside either database's limit on parameters (SQLite 32,766, PostgreSQL 65,535).
    /// Every submission writes them, so the text is built in one string, not joined from pieces.
    func statements(_ placeholders: Placeholders) -> [(sql: String, cells: [SQLCell])] {
        var statements: [(sql: String, cells: [SQLCell])] = []
        for (table, tableRows) in zip(Self.tables, rows) {
            let width = table.columns.count
            let perStatement = max(1, 2_000 / width)
            var start = 0
            while start < tableRows.count {
                let chunk = tableRows[start..<min(start + perStatement, tableRows.count)]
                var sql = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES "
                sql.reserveCapacity(sql.utf8.count + chunk.count * width * 7)
                var number = 0
                for row in 0..<chunk.count {
                    sql += row == 0 ? "(" : ", ("
                    for column in 0..<width {
                        if column > 0 { sql += ", " }
                        number += 1
                        switch placeholders {
                        case .anonymous: sql += "?"
                        case .numbered: sql += "$\(number)"
                        }
                    }
                    sql += ")"
                }
                var cells: [SQLCell] = []
                cells.reserveCapacity(number)
                for row in chunk { cells += row }
                statements.append((sql: sql, cells: cells))
                start += perStatement
            }
        }
        return statements
    }
}

/// One value bound to a statement; nil is SQL NULL.
enum SQLCell: Sendable, Equatable {
    case text(String?)
    case int(Int?)
    case double(Double?)
    case bool(Bool)
}
