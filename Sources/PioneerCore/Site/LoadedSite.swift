// What loading a site gives the later stages: the site, each indicator's configured
// plugin, and the warnings worth showing even though the site is valid.
public import PioneerKit

/// A site read and checked from its `site.yaml`, ready to collect.
public struct LoadedSite: Sendable {
    public var site: Site
    /// The configured plugin for each indicator, by indicator id.
    public var plugins: [String: any IndicatorPlugin]
    /// Problems that do not stop the site being used: unset environment variables,
    /// missing certificate files, TLS verification turned off.
    public var warnings: [ConfigIssue]
    /// The plugins the site may name: those the loader was given and the site's own
    /// (`plugins:`, external programs), for tools that configure a plugin themselves.
    public var catalogue: PluginCatalogue?

    public init(site: Site, plugins: [String: any IndicatorPlugin], warnings: [ConfigIssue], catalogue: PluginCatalogue? = nil) {
        self.site = site
        self.plugins = plugins
        self.warnings = warnings
        self.catalogue = catalogue
    }
}
