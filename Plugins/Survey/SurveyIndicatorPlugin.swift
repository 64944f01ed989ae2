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
        if let records, let reason = records.wholeDocumentReason, let node = config["records"] {
            issues.note(reason, at: node)
        }
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
        // Counted as the responses stream past: an export of any size is read in the memory
        // of one response, and the answers seen are kept as a bounded tally for the message.
        var count = AnswerCount(agree: agree, disagree: disagree, exclude: exclude)
        switch format {
        case .json: try countJSONAnswers(response, period: period, into: &count)
        case .csv: try countCSVAnswers(response, period: period, into: &count)
        }
        let (n, agreeing) = (count.n, count.agreeing)
        guard count.listed > 0 || count.given == 0 else {
            throw PluginError("no response to `\(field)` in \(response.url) for \(period) matched an answer listed in \(listedKeysDescription); answers seen: \(count.seen.description()) (answers compare ignoring case and surrounding spaces)")
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

    /// The answers of one period, counted one at a time.
    struct AnswerCount {
        let agreeKeys: Set<String>
        let listedKeys: Set<String>
        let excludeKeys: Set<String>
        /// Answers that were not blank, and those among them that an `agree`, `disagree` or `exclude` lists.
        var given = 0, listed = 0
        /// n (answers not excluded), and those agreeing.
        var n = 0, agreeing = 0
        /// The answers given, for the message when none is listed.
        var seen = ValueTally()

        init(agree: [String], disagree: [String], exclude: [String]) {
            agreeKeys = Set(agree.map(AnswerMatching.key))
            excludeKeys = Set(exclude.map(AnswerMatching.key))
            listedKeys = agreeKeys.union(disagree.map(AnswerMatching.key)).union(excludeKeys)
        }

        mutating func add(_ answer: String) {
            let key = AnswerMatching.key(answer)
            guard !key.isEmpty else { return }
            given += 1
            // Only needed for the message, which only a period with no listed answer gives.
            if listed == 0 { seen.add(answer) }
            if listedKeys.contains(key) { listed += 1 }
            guard !excludeKeys.contains(key) else { return }
            n += 1
            if agreeKeys.contains(key) { agreeing += 1 }
        }
    }

    /// "`agree`", "`agree` or `exclude`", "`agree`, `disagree` or `exclude`": the keys that list answers.
    private var listedKeysDescription: String {
        let keys = ["agree"] + (disagree.isEmpty ? [] : ["disagree"]) + (exclude.isEmpty ? [] : ["exclude"])
        let named = keys.map { "`\($0)`" }
        return named.count == 1 ? named[0] : named.dropLast().joined(separator: ", ") + " or " + named[named.count - 1]
    }

    // MARK: Reading answers

    /// Counts the answers of the responses dated in `period` (all responses without `date_field`).
    private func countJSONAnswers(_ response: FeedResponse, period: Period, into count: inout AnswerCount) throws(PluginError) {
        let dateField = self.dateField, field = self.field
        try response.jsonRecords(at: records) { (record) throws(PluginError) in
            if let dateField, try !period.contains(record.date(dateField)) { return }
            // A missing or null answer is a blank one, left out of n like a blank CSV cell.
            if let answer = try record.textIfPresent(field) { count.add(answer) }
        }
    }

    /// Counts the answers of the CSV's rows dated in `period`, a row at a time.
    private func countCSVAnswers(_ response: FeedResponse, period: Period, into count: inout AnswerCount) throws(PluginError) {
        let url = response.url, field = self.field, dateField = self.dateField
        func find(_ header: [String]) throws(PluginError) -> (answer: Int, date: Int?) {
            (try CSVTable.requireColumn(field, header: header, in: url),
             try dateField.map { (column) throws(PluginError) in try CSVTable.requireColumn(column, header: header, in: url) })
        }
        var found: (answer: Int, date: Int?)?
        let header = try response.csvRecords { (record) throws(PluginError) in
            let columns: (answer: Int, date: Int?)
            if let found {
                columns = found
            } else {
                columns = try find(record.header)
                found = columns
            }
            if let dateColumn = columns.date, try !record.field(dateColumn, isIn: period, format: .iso, url: url) { return }
            count.add(record.field(columns.answer))
        }
        // No data rows: the columns must still be there.
        if found == nil { _ = try find(header) }
    }
}
