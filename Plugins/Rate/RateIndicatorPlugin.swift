// The `rate` plugin: numerator ÷ denominator for any value type, times the indicator's `per:` for a rate.
public import PioneerKit
public import PioneerExtraction

/// Computes a ratio of two parts, each read from a feed or given as a constant: a rate
/// (× the indicator's `per:`), a proportion (a share 0 to 1, with a Wilson interval),
/// or an amount, count or mean (× 1: a cost per patient, beds per ward).
///
/// One plugin for every ratio rather than a second `ratio` plugin: site files that
/// say `plugin: rate` keep working, and the parts, suppression and pooling rules are
/// the same whatever the value type. Keeps both parts in the observation so that
/// ratios can be pooled nationally (sum of numerators over sum of denominators),
/// also when the value is suppressed. See `Plugins/Rate/README.md`.
public struct RateIndicatorPlugin: IndicatorPlugin {
    public static let name = "rate"
    public static let summary = "Numerator ÷ denominator for any value type (× per 1,000 etc. for a rate), each part from a JSON or CSV feed, a population or a constant."

    /// Where one part of the rate comes from.
    public enum Operand: Sendable, Hashable {
        case json(JSONExtraction)
        case csv(CSVExtraction)
        /// A key of the site's `population:`.
        case population(String)
        case value(Double)
    }

    public var numerator: Operand
    public var denominator: Operand
    /// Denominators below this are suppressed; nil for no minimum.
    public var minimumDenominator: Double?
    /// Numerators from 1 up to (not including) this are suppressed; 0 for no small-number rule.
    public var suppressBelow: Double
    /// The multiplier: the indicator's `per:` for a rate, 1 for every other value type.
    public var factor: Double
    /// The indicator's value type, which decides whether a negative numerator is allowed
    /// (an amount or mean: a net refund) and whether a proportion gets an interval.
    public var valueType: ValueType

    public init(numerator: Operand, denominator: Operand, minimumDenominator: Double? = nil,
                suppressBelow: Double = 0, factor: Double, valueType: ValueType = .rate) {
        self.numerator = numerator
        self.denominator = denominator
        self.minimumDenominator = minimumDenominator
        self.suppressBelow = suppressBelow
        self.factor = factor
        self.valueType = valueType
    }

    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> RateIndicatorPlugin? {
        guard !config.isNull else {
            issues.error("the `rate` plugin needs a `config:` mapping with `numerator` and `denominator`", at: config)
            return nil
        }
        let factor = factor(for: setup.indicator, at: config, issues: issues)
        let reader = ConfigReader(config, issues: issues)
        let numerator = operand("numerator", reader: reader, setup: setup)
        let denominator = operand("denominator", reader: reader, setup: setup)
        let minimum = reader.double("minimum_denominator")
        let suppressBelow = reader.nonNegativeInt("suppress_below")
        reader.finish()
        if let minimum, minimum < 0, let node = config["minimum_denominator"] {
            issues.error("must be 0 or more, found \(minimum)", at: node)
            return nil
        }
        if case .value(let constant)? = denominator, constant == 0, let node = config["denominator"] {
            issues.error("a denominator of 0 gives no value; divide by a number above 0", at: node)
            return nil
        }
        let valueType = setup.indicator.valueType
        if let suppressBelow, suppressBelow > 0, !Self.countsNumerator(valueType), let node = config["suppress_below"] {
            issues.error("`suppress_below` hides small counts, but the numerator of a `value_type: \(valueType.rawValue)` is not a count; remove it, or use `minimum_denominator` to hide values resting on few people", at: node)
            return nil
        }
        guard let factor, let numerator, let denominator,
              reader.contains("suppress_below") == (suppressBelow != nil),
              reader.contains("minimum_denominator") == (minimum != nil) else { return nil }
        return RateIndicatorPlugin(numerator: numerator, denominator: denominator, minimumDenominator: minimum,
                                   suppressBelow: Double(suppressBelow ?? 0), factor: factor, valueType: valueType)
    }

    public func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [("numerator", numerator), ("denominator", denominator)].compactMap { key, operand in
            switch operand {
            case .json(let extraction): return extraction.request(key: key)
            case .csv(let extraction): return extraction.request(key: key)
            case .population, .value: return nil
            }
        }
    }

    public func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        let top: Double, bottom: Double
        switch try evaluate(numerator, key: "numerator", period: period, responses: responses, site: context.site) {
        case .success(let value): top = value
        case .failure(let missing): return missing.observation
        }
        switch try evaluate(denominator, key: "denominator", period: period, responses: responses, site: context.site) {
        case .success(let value): bottom = value
        case .failure(let missing): return missing.observation
        }
        guard bottom >= 0, top >= 0 || !Self.countsNumerator(valueType) else {
            let needs = Self.countsNumerator(valueType) ? "a numerator and a denominator" : "a denominator"
            throw PluginError("a `value_type: \(valueType.rawValue)` ratio needs \(needs) of 0 or more, but the numerator is \(formatNumber(top, decimals: 2)) and the denominator \(formatNumber(bottom, decimals: 2))")
        }
        guard bottom > 0 else {
            return .notAvailable(.noData, "the denominator is 0, so there is no value for \(period)")
        }
        // Suppressed values keep both parts in the store (for pooling and re-checks);
        // the details name the threshold, never the hidden number.
        if let minimumDenominator, bottom < minimumDenominator {
            return Observation(value: nil, numerator: top, denominator: bottom, notAvailable: NotAvailable(
                .suppressed, "the denominator is below the minimum of \(Self.show(minimumDenominator))"))
        }
        if top > 0, top < suppressBelow {
            return Observation(value: nil, numerator: top, denominator: bottom, notAvailable: NotAvailable(
                .suppressed, "the numerator is below the small-number threshold of \(Self.show(suppressBelow))"))
        }
        return .value(top / bottom * factor, numerator: top, denominator: bottom, interval: interval(top, bottom))
    }

    /// The Wilson 95% interval of a proportion of whole counts; nil for other value types
    /// and for parts that are not whole numbers (a share of a sum of weights has no n).
    private func interval(_ top: Double, _ bottom: Double) -> ConfidenceInterval? {
        guard valueType == .proportion, top == top.rounded(), bottom == bottom.rounded(),
              top <= bottom, bottom < Double(Int32.max) else { return nil }
        return .wilson(successes: Int(top), trials: Int(bottom))
    }

    /// Whether the numerator of `valueType` is a count, which can be small enough to
    /// suppress and cannot be negative; an amount or a mean is neither.
    static func countsNumerator(_ valueType: ValueType) -> Bool {
        switch valueType {
        case .rate, .proportion, .count: return true
        case .amount, .mean: return false
        }
    }

    // MARK: Observing

    /// A part of the ratio that has no value for the period, with the observation to report instead.
    private struct MissingPart: Error {
        var observation: Observation
    }

    private func evaluate(_ operand: Operand, key: String, period: Period, responses: FeedResponses,
                          site: SiteInfo) throws -> Result<Double, MissingPart> {
        let extracted: ExtractedValue
        switch operand {
        case .value(let constant):
            return .success(constant)
        case .population(let name):
            guard let population = site.population[name] else {
                throw PluginError("the site has no population `\(name)` for the \(key)")
            }
            return .success(population)
        case .json(let extraction):
            extracted = try extraction.extract(responses.require(key), period: period)
        case .csv(let extraction):
            extracted = try extraction.extract(responses.require(key), period: period)
        }
        guard let value = extracted.value else {
            return .failure(MissingPart(observation: .notAvailable(.noData, "\(key): \(extracted.detail)")))
        }
        return .success(value)
    }

    private static func show(_ number: Double) -> String {
        formatNumber(number, decimals: number == number.rounded() ? 0 : 2)
    }

    // MARK: Configuring

    /// The multiplier the indicator's value type calls for: its `per:` for a rate, else 1;
    /// nil (reported) for a rate without `per:`.
    private static func factor(for indicator: IndicatorDefinition, at node: ConfigNode, issues: IssueCollector) -> Double? {
        switch indicator.valueType {
        case .proportion, .count, .mean, .amount:
            return 1
        case .rate:
            guard let factor = indicator.factor else {
                issues.error("indicator `\(indicator.id)` has value_type `rate` but no `per:`; the `rate` plugin needs it (100, 1000, 10000 or 100000)", at: node)
                return nil
            }
            return Double(factor.rawValue)
        }
    }

    private static func operand(_ key: String, reader: ConfigReader, setup: PluginSetup) -> Operand? {
        guard let section = reader.section(key, required: true) else { return nil }
        let forms = ["json", "csv", "population", "value"]
        let given = forms.filter { section.contains($0) }
        section.declare("json", "csv", "population", "value")
        guard given.count == 1 else {
            let found = given.isEmpty ? "none" : given.map { "`\($0)`" }.joined(separator: " and ")
            reader.issues.error("give exactly one of `json`, `csv`, `population` or `value` for the \(key); found \(found)", at: section.node)
            section.finish()
            return nil
        }
        defer { section.finish() }
        switch given[0] {
        case "json":
            guard let block = section.section("json") else { return nil }
            defer { block.finish() }
            return JSONExtraction.configure(block, setup: setup).map(Operand.json)
        case "csv":
            guard let block = section.section("csv") else { return nil }
            defer { block.finish() }
            return CSVExtraction.configure(block, setup: setup).map(Operand.csv)
        case "population":
            guard let name = section.string("population"), let node = section.node["population"],
                  setup.checkPopulation(name, at: node, issues: reader.issues) else { return nil }
            return .population(name)
        default:
            guard let constant = section.double("value") else { return nil }
            if constant < 0, let node = section.node["value"] {
                reader.issues.error("must be 0 or more, found \(constant)", at: node)
                return nil
            }
            return .value(constant)
        }
    }
}
