// Catalogues for tests, built where a test cannot throw (a fixture's default loader):
// a clash of names fails the test that asked for the catalogue.
public import PioneerCore
public import PioneerKit
import PioneerPlugins
import Testing

extension PluginCatalogue {
    /// A catalogue of `factories`; records an issue in the running test when two share a name.
    public static func testing(_ factories: [PluginFactory]) -> PluginCatalogue {
        do {
            return try PluginCatalogue(factories)
        } catch {
            Issue.record("the test's plugins cannot share a catalogue: \(error)")
            return PluginCatalogue()
        }
    }

    /// The built-in plugins and `extra`.
    public static func builtIn(adding extra: [PluginFactory]) -> PluginCatalogue {
        testing(builtInFactories + extra)
    }
}
