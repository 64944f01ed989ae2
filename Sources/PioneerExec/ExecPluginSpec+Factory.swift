// An external plugin in the catalogue: the factory a `plugins:` entry becomes, so that
// indicators name it in `plugin:` exactly as they name a built-in one.
import Foundation
public import PioneerKit

extension ExecPluginSpec {
    /// A factory under ``name`` whose plugins all share one ``ExecPluginSession``, so the
    /// program is described once however many indicators use it.
    ///
    /// Configuring runs no process: the config section is passed on as JSON, and the
    /// program checks it in `pioneer validate` (``ExecPluginCheck``), so loading a site
    /// for `collect` costs nothing per external indicator.
    public func factory() -> PluginFactory {
        let session = ExecPluginSession(spec: self)
        return PluginFactory(name: name, summary: "Runs \(command.lastPathComponent), a program of the site's (kind: exec).") { config, setup, _ in
            ExecIndicatorPlugin(
                session: session,
                subject: RequestSubject(indicator: setup.indicator, config: RequestSubject.json(config), site: setup.site),
                feeds: setup.feeds)
        }
    }
}
