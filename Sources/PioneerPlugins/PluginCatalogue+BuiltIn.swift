// The plugins compiled into pioneer, one line each. Adding a plugin touches its folder
// under Plugins/, its name in Package.swift's `indicatorPluginFolders`, an import and a
// line here, and a test file (docs/plugins.md, "Writing a plugin"); PluginTests'
// convention test checks each.
public import PioneerCore
public import PioneerKit
import CareHomeDeathsPlugin
import CSVPlugin
import JSONPlugin
import RatePlugin
import SurveyPlugin

extension PluginCatalogue {
    /// The factories of the built-in plugins, sorted by name.
    public static let builtInFactories: [PluginFactory] = [
        PluginFactory(CareHomeDeathsIndicatorPlugin.self),
        PluginFactory(CSVIndicatorPlugin.self),
        PluginFactory(JSONIndicatorPlugin.self),
        PluginFactory(RateIndicatorPlugin.self),
        PluginFactory(SurveyIndicatorPlugin.self),
    ]

    /// A catalogue of the built-in plugins, to which site and external plugins may be added.
    ///
    /// - Throws: ``PluginCatalogueError`` when two built-in plugins share a name (a mistake
    ///   in this build, which the plugin convention tests catch first).
    public static func builtIn() throws(PluginCatalogueError) -> PluginCatalogue {
        try PluginCatalogue(builtInFactories)
    }
}
