// The rows an accepted return is kept as beside its bytes, for the national aggregate, the
// status and the history to read with SQL: the return's facts, its indicators (the
// definitions themselves are in `indicator_definition`), their measures and its goals.
// SQLite writes them through one prepared INSERT a table, PostgreSQL with COPY.
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
}

/// One value bound to a statement; nil is SQL NULL.
enum SQLCell: Sendable, Equatable {
    case text(String?)
    case int(Int?)
    case double(Double?)
    case bool(Bool)
}
