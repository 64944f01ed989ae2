// What `pioneer validate` adds for external plugins: each program's `describe`, and its
// `validate` of every indicator's config, with messages placed at the config's lines.
import Foundation
public import Logging
public import PioneerCore
public import PioneerKit

/// Runs the external plugins of a loaded site against their configs.
///
/// Kept out of site loading on purpose: loading runs no process, so `pioneer collect`
/// pays only the calls it needs; `pioneer validate` calls this after loading.
public enum ExecPluginCheck {
    /// Issues from the site's external plugins: a `describe` that fails is an error at the
    /// plugin's `plugins:` entry; each issue from `validate` is placed at the node its key
    /// names in the indicator's `config:` (the nearest that exists).
    public static func issues(_ loaded: LoadedSite, logger: Logger = Logger(label: "pioneer.validate")) async -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        var described: [String: Result<ExecPluginDescription, ExecPluginError>] = [:]
        for indicator in loaded.site.indicators {
            guard let plugin = loaded.plugins[indicator.definition.id] as? ExecIndicatorPlugin else { continue }
            let session = plugin.session
            let name = session.spec.name
            if described[name] == nil {
                let result = await session.describe(logger: logger)
                described[name] = result
                if case .failure(let error) = result {
                    issues.append(ConfigIssue(.error, at: session.spec.location, path: "plugins.\(name)",
                                              "plugin `\(name)` failed its `describe` call: \(error.detail)"))
                }
            }
            guard case .success(let description)? = described[name], description.offers(.validate) else { continue }
            do throws(ExecPluginError) {
                for issue in try await session.validate(plugin.subject, logger: logger) {
                    let node = node(at: issue.key, in: indicator.config)
                    issues.append(ConfigIssue(issue.severity, at: node.location, path: node.path,
                                              "plugin `\(name)`: \(issue.message)"))
                }
            } catch {
                issues.append(ConfigIssue(.error, at: indicator.config.location, path: indicator.config.path,
                                          "plugin `\(name)` failed its `validate` call: \(error.detail)"))
            }
        }
        return issues
    }

    /// `loaded` with its external plugins' issues: still loaded, with their warnings added,
    /// or refused (nil) with every issue in file order when any is an error.
    public static func check(_ loaded: LoadedSite, logger: Logger = Logger(label: "pioneer.validate")) async
        -> (loaded: LoadedSite?, issues: [ConfigIssue]) {
        let found = await issues(loaded, logger: logger)
        guard !found.isEmpty else { return (loaded, []) }
        let all = (loaded.warnings + found).enumerated().sorted { left, right in
            let a = left.element.location, b = right.element.location
            if a.file != b.file { return a.file < b.file }
            if (a.line, a.column) != (b.line, b.column) { return (a.line, a.column) < (b.line, b.column) }
            return left.offset < right.offset
        }.map(\.element)
        guard !found.contains(where: { $0.severity == .error }) else { return (nil, all) }
        var checked = loaded
        checked.warnings = all
        return (checked, [])
    }

    /// The node a dotted key path names inside `config` (`numerator.feed`, `blocks[1].path`
    /// or `blocks.1.path`), or the nearest ancestor that exists.
    public static func node(at key: String, in config: ConfigNode) -> ConfigNode {
        var node = config
        let steps = key.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
            .split(separator: ".", omittingEmptySubsequences: true)
        for step in steps {
            if let child = node[String(step)] {
                node = child
            } else if let index = Int(step), let items = node.items, items.indices.contains(index) {
                node = items[index]
            } else {
                break
            }
        }
        return node
    }
}
