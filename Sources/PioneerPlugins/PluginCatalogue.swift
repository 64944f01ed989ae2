// The one list of indicator plugins the host knows, by the name a site YAML uses.
// Adding a plugin touches its folder under Plugins/, an import and a line here, its target
// in Package.swift's `indicatorPlugins` and a test file (docs/plugins.md, "Writing a
// plugin"); PluginTests' convention test checks each.
public import PioneerKit
import CareHomeDeathsPlugin
import CSVPlugin
import JSONPlugin
import RatePlugin
import SurveyPlugin

public enum PluginCatalogue {
    /// Every registered plugin. Keep sorted by name.
    public static let all: [any IndicatorPlugin.Type] = [
        CareHomeDeathsIndicatorPlugin.self,
        CSVIndicatorPlugin.self,
        JSONIndicatorPlugin.self,
        RateIndicatorPlugin.self,
        SurveyIndicatorPlugin.self,
    ]

    /// The plugin registered under `name`, or nil.
    public static func plugin(named name: String) -> (any IndicatorPlugin.Type)? {
        all.first { $0.name == name }
    }

    /// Registered names, sorted, for messages and `pioneer plugins`.
    public static var names: [String] {
        all.map { $0.name }.sorted()
    }
}
