// A site of the programme as its YAML declares it: identity, populations,
// feeds, indicators and goals. Built by PioneerConfig, read by every later stage.
public import PioneerKit

/// One Integrated Care Pioneer or Pilot site.
public struct Site: Sendable {
    /// Short stable id, the folder name under `sites/`: `torbay`.
    public var id: String
    public var name: String
    /// NHS region: "South West".
    public var region: String
    /// Programme and wave: "Pioneer wave 1 (2013)", "Integrated Care Pilot (2009)".
    public var wave: String
    /// What the site set out to improve: "older people", "end of life care".
    public var focus: [String]
    /// Population denominators by name: `total`, `aged_65_plus`.
    public var population: [String: Double]
    public var feeds: [FeedDefinition]
    public var indicators: [IndicatorSpec] {
        didSet { indicatorPositions = Self.positions(of: indicators) }
    }
    /// Where each indicator id first appears in ``indicators``: a site may declare thousands,
    /// and commands look one up for every stored measure.
    private var indicatorPositions: [String: Int]
    public var goals: [Goal]
    /// Events the charts mark (`events:`).
    public var events: [SiteEvent]
    /// How goals are judged (`progress:`).
    public var progress: ProgressSettings
    /// The site's directory and its YAML file, for messages and the default store path.
    public var directory: String
    public var file: String

    public init(id: String, name: String, region: String, wave: String, focus: [String],
                population: [String: Double], feeds: [FeedDefinition], indicators: [IndicatorSpec],
                goals: [Goal], events: [SiteEvent] = [], progress: ProgressSettings = ProgressSettings(),
                directory: String, file: String) {
        self.id = id
        self.name = name
        self.region = region
        self.wave = wave
        self.focus = focus
        self.population = population
        self.feeds = feeds
        self.indicators = indicators
        self.indicatorPositions = Self.positions(of: indicators)
        self.goals = goals
        self.events = events
        self.progress = progress
        self.directory = directory
        self.file = file
    }

    /// What plugins may know of the site.
    public var info: SiteInfo {
        SiteInfo(id: id, name: name, population: population)
    }

    public func feed(named name: String) -> FeedDefinition? {
        feeds.first { $0.name == name }
    }

    public func indicator(id: String) -> IndicatorSpec? {
        indicatorPositions[id].map { indicators[$0] }
    }

    private static func positions(of indicators: [IndicatorSpec]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (position, spec) in indicators.enumerated() where positions[spec.definition.id] == nil {
            positions[spec.definition.id] = position
        }
        return positions
    }
}

/// An indicator with the plugin that computes it and that plugin's configuration.
public struct IndicatorSpec: Sendable {
    public var definition: IndicatorDefinition
    /// The plugin name from `plugin:`.
    public var plugin: String
    /// The plugin's `config:` section, as written.
    public var config: ConfigNode
    /// Where the indicator is declared, for messages.
    public var location: SourceLocation

    /// The indicator's `spc:` options for its charts.
    public var spc: SPCSettings

    public init(definition: IndicatorDefinition, plugin: String, config: ConfigNode, location: SourceLocation,
                spc: SPCSettings = SPCSettings()) {
        self.spc = spc
        self.definition = definition
        self.plugin = plugin
        self.config = config
        self.location = location
    }
}
