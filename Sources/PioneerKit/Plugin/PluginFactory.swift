// A plugin as a value: its name, its summary and how to configure it. The host's catalogue
// holds these, so a plugin known only at run time (an external process a site names) is
// registered the same way as a compiled-in one (after Telegraf's `inputs.Add("cpu", creator)`).

/// Makes a configured ``IndicatorPlugin`` from an indicator's `config:` section, under the
/// name a site YAML gives in `plugin:`.
///
/// A Swift plugin type gives its factory directly; an adapter that serves many plugins
/// (one per external program, say) makes one factory per name with a closure:
///
/// ```swift
/// let json = PluginFactory(JSONIndicatorPlugin.self)
/// let tool = PluginFactory(name: "waiting-list", summary: "Runs ./waiting-list.") { config, setup, issues in
///     ExternalPlugin.configure(program: "./waiting-list", config, setup: setup, issues: issues)
/// }
/// ```
public struct PluginFactory: Sendable {
    /// The name a site YAML uses in `plugin:`.
    public let name: String
    /// One line for `pioneer plugins` and the docs.
    public let summary: String
    private let make: @Sendable (ConfigNode, PluginSetup, IssueCollector) -> (any IndicatorPlugin)?

    /// A factory named `name` that configures plugins with `configure`.
    ///
    /// `configure` follows ``IndicatorPlugin/configure(_:setup:issues:)``: it reports every
    /// problem to the collector and returns nil when the configuration is unusable.
    public init(name: String, summary: String,
                configure: @escaping @Sendable (ConfigNode, PluginSetup, IssueCollector) -> (any IndicatorPlugin)?) {
        self.name = name
        self.summary = summary
        self.make = configure
    }

    /// The factory of a Swift plugin type, under the type's own name and summary.
    public init<Plugin: IndicatorPlugin>(_ type: Plugin.Type) {
        self.init(name: Plugin.name, summary: Plugin.summary) { config, setup, issues in
            Plugin.configure(config, setup: setup, issues: issues)
        }
    }

    /// Reads and checks `config`; the configured plugin, or nil with the problems in `issues`.
    public func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> (any IndicatorPlugin)? {
        make(config, setup, issues)
    }
}
