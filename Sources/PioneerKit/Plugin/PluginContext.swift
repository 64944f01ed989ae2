// What a plugin may know about the site and indicator it works for.
public import Logging

/// The site facts a plugin may use: identity and population constants.
public struct SiteInfo: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Population denominators by name: `total`, `aged_65_plus`.
    public var population: [String: Double]

    public init(id: String, name: String, population: [String: Double] = [:]) {
        self.id = id
        self.name = name
        self.population = population
    }
}

/// What a plugin sees when it is configured, to check references in its config.
public struct PluginSetup: Sendable {
    public var site: SiteInfo
    public var indicator: IndicatorDefinition
    /// Names of the feeds the site declares.
    public var feeds: Set<String>

    public init(site: SiteInfo, indicator: IndicatorDefinition, feeds: Set<String>) {
        self.site = site
        self.indicator = indicator
        self.feeds = feeds
    }

    /// Checks that `node` (a scalar) names a declared feed; reports it otherwise.
    @discardableResult
    public func checkFeed(_ name: String, at node: ConfigNode?, issues: IssueCollector) -> Bool {
        guard !feeds.contains(name) else { return true }
        let known = feeds.sorted()
        let hint = didYouMean(name, among: known)
        let list = known.isEmpty ? "the site declares no feeds" : "the site declares " + known.map { "`\($0)`" }.joined(separator: ", ")
        if let node {
            issues.error("unknown feed `\(name)`\(hint); \(list)", at: node)
        }
        return false
    }

    /// Checks that `name` is a population constant of the site; reports it otherwise.
    @discardableResult
    public func checkPopulation(_ name: String, at node: ConfigNode?, issues: IssueCollector) -> Bool {
        guard site.population[name] == nil else { return true }
        let known = site.population.keys.sorted()
        let hint = didYouMean(name, among: known)
        if let node {
            issues.error("unknown population `\(name)`\(hint); the site's `population:` declares \(known.isEmpty ? "none" : known.map { "`\($0)`" }.joined(separator: ", "))", at: node)
        }
        return false
    }
}

/// What a plugin sees while it computes a period.
public struct PluginContext: Sendable {
    public var site: SiteInfo
    public var indicator: IndicatorDefinition
    /// Log through this; the host decides where it goes.
    public var logger: Logger

    public init(site: SiteInfo, indicator: IndicatorDefinition, logger: Logger = Logger(label: "pioneer.plugin")) {
        self.site = site
        self.indicator = indicator
        self.logger = logger
    }
}
