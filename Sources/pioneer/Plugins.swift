// The plugin catalogue every command reads sites with: the CLI builds it and passes it to
// the stages, so none of them depends on which plugins exist.
import ArgumentParser
import PioneerCore
import PioneerPlugins

enum Plugins {
    /// The plugins a site may name: the built-in ones. Site and external plugins are added here.
    static func catalogue() throws -> PluginCatalogue {
        do {
            return try PluginCatalogue.builtIn()
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
