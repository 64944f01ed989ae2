// The `rate` plugin: numerator ÷ denominator, times the indicator's `per:` factor for a rate.
public import PioneerKit

/// Computes a rate or proportion from two parts, each read from a feed or given as a constant.
///
/// Keeps both parts in the observation so that rates can be pooled nationally
/// (sum of numerators over sum of denominators). See `Plugins/Rate/README.md`.
public struct RateIndicatorPlugin: IndicatorPlugin {
    public static let name = "rate"
    public static let summary = "Numerator ÷ denominator (× per 1,000 etc. for a rate), each part from a JSON or CSV feed, a population or a constant."

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
    /// The multiplier: the indicator's `per:` for a rate, 1 for a proportion.
    public var factor: Double

    public init(numerator: Operand, denominator: Operand, minimumDenominator: Double? = nil,
                suppressBelow: Double = 0, factor: Double) {
        self.numerator = numerator
        self.denominator = denominator
        self.minimumDenominator = minimumDenominator
        self.suppressBelow = suppressBelow
        self.factor = factor
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
            issues.error("a denominator of 0 gives no rate", at: node)
            return nil
        }
        guard let factor, let numerator, let denominator,
              reader.contains("suppress_below") == (suppressBelow != nil),
              reader.contains("minimum_denominator") == (minimum != nil) else { return nil }
        return RateIndicatorPlugin(numerator: numerator, denominator: denominator, minimumDenominator: minimum,
                                   suppressBelow: Double(suppressBelow ?? 0), factor: factor)
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
        guard top >= 0, bottom >= 0 else {
            throw PluginError("a rate needs counts of 0 or more, but the numerator is \(formatNumber(top, decimals: 2)) and the denominator \(formatNumber(bottom, decimals: 2))")
        }
        guard bottom > 0 else {
            return .notAvailable(.noData, "the denominator is 0, so there is no rate for \(period)")
        }
        if let minimumDenominator, bottom < minimumDenominator {
            return Observation(value: nil, denominator: bottom, notAvailable: NotAvailable(
                .suppressed, "denominator \(Self.show(bottom)) is below the minimum of \(Self.show(minimumDenominator))"))
        }
        if top > 0, top < suppressBelow {
            return Observation(value: nil, denominator: bottom, notAvailable: NotAvailable(
                .suppressed, "numerator \(Self.show(top)) is below the small-number threshold of \(Self.show(suppressBelow))"))
        }
        return .value(top / bottom * factor, numerator: top, denominator: bottom)
    }

    // MARK: Observing

    /// A part of the rate that has no value for the period, with the observation to report instead.
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

    /// The multiplier the indicator's value type calls for, or nil (reported) when it is not a rate or proportion.
    private static func factor(for indicator: IndicatorDefinition, at node: ConfigNode, issues: IssueCollector) -> Double? {
        switch indicator.valueType {
        case .proportion:
            return 1
        case .rate:
            guard let factor = indicator.factor else {
                issues.error("indicator `\(indicator.id)` has value_type `rate` but no `per:`; the `rate` plugin needs it (100, 1000, 10000 or 100000)", at: node)
                return nil
            }
            return Double(factor.rawValue)
        case .count, .mean, .amount:
            issues.error("the `rate` plugin computes a rate or a proportion, but indicator `\(indicator.id)` has value_type `\(indicator.valueType.rawValue)`; set value_type to `rate` (with `per:`) or `proportion`, or use the `json` or `csv` plugin", at: node)
            return nil
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
