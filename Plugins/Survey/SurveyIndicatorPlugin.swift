// The `survey` plugin: the share of respondents agreeing with an "I statement", with n and a Wilson interval.
import Foundation
public import PioneerKit
public import PioneerExtraction

/// Computes the share of survey responses that agree, from a JSON or CSV feed of responses.
///
/// Answers compare case-blind and trimmed (``AnswerMatching``). Blank and missing
/// answers, and answers listed in `exclude`, are left out of n. When responses
/// arrive but none of them is an answer the config lists, the period fails with the
/// answers seen, rather than storing 0%. Below `minimum_n` the value is suppressed;
/// n, and (in the store only) the count agreeing, are kept. See `Plugins/Survey/README.md`.
public struct SurveyIndicatorPlugin: IndicatorPlugin {
    public static let name = "survey"
    public static let summary = "Share of survey responses agreeing with an \"I statement\", with n and a Wilson 95% interval."

    public enum Format: String, Sendable, Hashable, CaseIterable {
        case json
        case csv
    }

    static let requestKey = "responses"

    public var feed: String
    public var path: String
    public var format: Format
    /// JSON only: where the response objects are.
    public var records: JSONPath
    public var field: String
    /// The answers as configured, for messages.
    public var agree: [String]
    /// Answers that count in n but not as agreeing; listed so that an all-disagreeing
    /// period is told from a misspelt `agree`.
    public var disagree: [String]
    public var exclude: [String]
    public var minimumN: Int
    public var dateField: String?

    public init(feed: String, path: String, format: Format = .json, records: JSONPath, field: String,
                agree: [String], disagree: [String] = [], exclude: [String] = [], minimumN: Int = 30,
                dateField: String? = nil) {
        self.feed = feed
        self.path = path
        self.format = format
        self.records = records
        self.field = field
        self.agree = agree.map { $0.trimmingCharacters(in: .whitespaces) }
        self.disagree = disagree.map { $0.trimmingCharacters(in: .whitespaces) }
        self.exclude = exclude.map { $0.trimmingCharacters(in: .whitespaces) }
        self.minimumN = minimumN
        self.dateField = dateField
    }

    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> SurveyIndicatorPlugin? {
        guard !config.isNull else {
            issues.error("the `survey` plugin needs a `config:` mapping with at least `feed`, `path`, `field` and `agree`", at: config)
            return nil
        }
        var valid = setup.indicator.valueType == .proportion
        if !valid {
            issues.error("the `survey` plugin computes a share agreeing, but indicator `\(setup.indicator.id)` has value_type `\(setup.indicator.valueType.rawValue)`; set value_type to `proportion`", at: config)
        }
        let reader = ConfigReader(config, issues: issues)
        let feed = reader.feed(setup: setup)
        let path = reader.pathTemplate("path", required: true)
        let format: Format? = reader.choice("format")
        let records = reader.jsonPath("records")
        let field = reader.string("field", required: true)
        let agree = reader.scalarOrList("agree", required: true)
        let disagree = reader.scalarOrList("disagree")
        let exclude = reader.scalarOrList("exclude")
        let minimumN = reader.nonNegativeInt("minimum_n")
        let dateField = reader.string("date_field")
        reader.finish()
        if format == .csv, reader.contains("records"), let node = config["records"] {
            valid = false
            issues.error("`records` picks response objects out of JSON; a CSV has one response per row, so remove it", at: node)
        }
        if let agree, agree.isEmpty, let node = config["agree"] {
            valid = false
            issues.error("list at least one answer that counts as agreeing, such as `[Strongly agree, Agree]`", at: node)
        }
        // A key given but unreadable has been reported; don't fall back to its default.
        let unreadable = (reader.contains("format") && format == nil)
            || (reader.contains("records") && records == nil)
            || (reader.contains("disagree") && disagree == nil)
            || (reader.contains("exclude") && exclude == nil)
            || (reader.contains("minimum_n") && minimumN == nil)
        guard valid, !unreadable, let feed, let path, let field, let agree else { return nil }
        return SurveyIndicatorPlugin(
            feed: feed, path: path, format: format ?? .json, records: records ?? .everyElement, field: field,
            agree: agree, disagree: disagree ?? [], exclude: exclude ?? [], minimumN: minimumN ?? 30, dateField: dateField)
    }

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [FeedRequest(key: Self.requestKey, feed: feed, path: path)]
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        let response = try responses.require(Self.requestKey)
        let answers = switch format {
        case .json: try jsonAnswers(response, period: period)
        case .csv: try csvAnswers(response, period: period)
        }
        let agreeKeys = Set(agree.map(AnswerMatching.key))
        let listedKeys = agreeKeys.union(disagree.map(AnswerMatching.key)).union(exclude.map(AnswerMatching.key))
        let excludeKeys = Set(exclude.map(AnswerMatching.key))
        var n = 0, agreeing = 0, listed = 0
        var given: [String] = []
        for answer in answers {
            let key = AnswerMatching.key(answer)
            guard !key.isEmpty else { continue }
            given.append(answer)
            if listedKeys.contains(key) { listed += 1 }
            guard !excludeKeys.contains(key) else { continue }
            n += 1
            if agreeKeys.contains(key) { agreeing += 1 }
        }
        guard listed > 0 || given.isEmpty else {
            throw PluginError("no response to `\(field)` in \(response.url) for \(period) matched an answer listed in \(listedKeysDescription); answers seen: \(AnswerMatching.tally(given)) (answers compare ignoring case and surrounding spaces)")
        }
        guard n > 0 else {
            return .notAvailable(.noData, "no answers to `\(field)` in \(response.url) for \(period)", sampleSize: 0)
        }
        guard n >= minimumN else {
            // The parts stay in the store, marked suppressed, for pooling; nothing shows them.
            return Observation(value: nil, numerator: Double(agreeing), denominator: Double(n), sampleSize: n,
                               notAvailable: NotAvailable(.suppressed, "n = \(n), below the minimum of \(minimumN)"))
        }
        return .value(
            Double(agreeing) / Double(n), numerator: Double(agreeing), denominator: Double(n),
            sampleSize: n, interval: .wilson(successes: agreeing, trials: n))
    }

    /// "`agree`", "`agree` or `exclude`", "`agree`, `disagree` or `exclude`": the keys that list answers.
    private var listedKeysDescription: String {
        let keys = ["agree"] + (disagree.isEmpty ? [] : ["disagree"]) + (exclude.isEmpty ? [] : ["exclude"])
        let named = keys.map { "`\($0)`" }
        return named.count == 1 ? named[0] : named.dropLast().joined(separator: ", ") + " or " + named[named.count - 1]
    }

    // MARK: Reading answers

    /// The answers of the responses dated in `period` (all responses without `date_field`).
    private func jsonAnswers(_ response: FeedResponse, period: Period) throws(PluginError) -> [String] {
        var answers: [String] = []
        for record in try response.jsonRecords(at: records) {
            if let dateField, try !period.contains(record.date(dateField)) { continue }
            // A missing or null answer is a blank one, left out of n like a blank CSV cell.
            if let answer = try record.textIfPresent(field) { answers.append(answer) }
        }
        return answers
    }

    private func csvAnswers(_ response: FeedResponse, period: Period) throws(PluginError) -> [String] {
        let table = try response.csv()
        let column = try table.requireColumn(field, in: response.url)
        let dateColumn: Int? = if let dateField { try table.requireColumn(dateField, in: response.url) } else { nil }
        var answers: [String] = []
        for index in table.rows.indices {
            if let dateColumn,
               try !table.row(index, column: dateColumn, isIn: period, format: .iso, url: response.url) {
                continue
            }
            answers.append(table.rows[index][column])
        }
        return answers
    }
}
