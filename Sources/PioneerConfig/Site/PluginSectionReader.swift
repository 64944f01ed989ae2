// Reads a site's `plugins:` section: the external programs the site provides, each checked
// where it is written (kind, command, arguments, environment, deadline, limits).
import Foundation
import PioneerCore
import PioneerExec
import PioneerKit

/// Reads `plugins:` into ``ExecPluginSpec``s, reporting every problem at its line and column.
///
/// Nothing is run here: whether the program speaks the protocol is `pioneer validate`'s
/// question (``ExecPluginCheck``), so loading a site for `collect` starts no process.
struct PluginSectionReader {
    /// The site folder: commands are relative to it, and plugins run in it.
    let directory: String
    let references: EnvironmentReferences
    /// The plugins already known (the built-in ones), which a site's may not shadow.
    let known: PluginCatalogue
    let issues: IssueCollector

    /// The kinds of plugin a site may declare.
    static let kinds = ["exec"]
    /// The longest deadline: a plugin that needs more than an hour per call needs another design.
    static let maximumDeadline = 3600.0
    static let maximumOutputLimit = 1 << 30

    /// The entries, each as a spec. An entry whose name is good but whose settings are not
    /// gives a stand-in spec, never run (its errors refuse the site), so the indicators that
    /// name it are not also told the plugin is unknown: each problem is reported once.
    func read(_ node: ConfigNode) -> [ExecPluginSpec] {
        guard let entries = node.entries else {
            if !node.isNull {
                issues.error("expected a mapping of plugin names to their settings, e.g. `waiting-list: {kind: exec, command: plugins/waiting_list.py}`, found \(node.kindDescription)", at: node)
            }
            return []
        }
        var specs: [ExecPluginSpec] = []
        for entry in entries {
            if let spec = readPlugin(named: entry.key, entry.value, keyLocation: entry.keyLocation) {
                specs.append(spec)
            }
        }
        return specs
    }

    private func readPlugin(named name: String, _ node: ConfigNode, keyLocation: SourceLocation) -> ExecPluginSpec? {
        let nameNode = ConfigNode(.scalar(name, quoted: false), location: keyLocation, path: node.path)
        var nameValid = true
        if !PluginCatalogue.isPluginName(name) {
            issues.error("`\(name)` cannot be a plugin name; use lowercase letters, digits and single hyphens, starting with a letter, e.g. `waiting-list`", at: nameNode)
            nameValid = false
        } else if known.factory(named: name) != nil {
            issues.error("`\(name)` is the name of a built-in plugin; give the site's plugin a name of its own, e.g. `site-\(name)`", at: nameNode)
            nameValid = false
        }
        let reader = ConfigReader(node, issues: issues)
        let kind = reader.string("kind", required: true)
        let command = reader.node("command", required: true).flatMap(readCommand)
        let arguments = reader.stringList("args") ?? []
        let (environment, unset) = reader.node("env").map(readEnvironment) ?? ([:], [])
        let deadline = readDeadline(reader)
        let outputLimit = reader.node("max_output").flatMap(readSize) ?? ExecPluginSpec.defaultOutputLimit
        let logLimit = reader.node("max_log").flatMap(readSize) ?? ExecPluginSpec.defaultLogLimit
        let bodies: ExecPluginSpec.Bodies = reader.choice("bodies") ?? .inline
        reader.finish()
        if let kind, !Self.kinds.contains(kind), let kindNode = reader.node["kind"] {
            issues.error("unknown plugin kind `\(kind)`\(didYouMean(kind, among: Self.kinds)); the only kind is `exec`, a program in the site folder that speaks docs/plugin-protocol.md", at: kindNode)
        }
        guard nameValid else { return nil }
        guard kind != nil, let command, let deadline, !reader.hasErrors else {
            return ExecPluginSpec(name: name, command: siteFolder, workingDirectory: siteFolder, location: keyLocation)
        }
        var spec = ExecPluginSpec(
            name: name, command: command, arguments: arguments, environment: environment,
            deadline: .milliseconds(Int64((deadline * 1000).rounded())), workingDirectory: siteFolder,
            outputLimit: outputLimit, logLimit: logLimit, bodies: bodies, location: keyLocation)
        spec.unsetVariables = unset
        return spec
    }

    private var siteFolder: URL {
        URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
    }

    /// The program, relative to the site folder (or absolute), which must be an executable file.
    private func readCommand(_ node: ConfigNode) -> URL? {
        guard let text = node.scalar, !text.trimmingWhitespace().isEmpty else {
            let found = node.scalar == nil ? node.kindDescription : "an empty string"
            issues.error("expected the path of the plugin's program, relative to the site folder, e.g. `plugins/waiting_list.py`, found \(found)", at: node)
            return nil
        }
        let url = text.hasPrefix("/") ? URL(fileURLWithPath: text)
            : URL(fileURLWithPath: text, relativeTo: siteFolder).standardizedFileURL
        let shown = text.hasPrefix("/") ? text : "\(directory)/\(text)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            // A link that leads nowhere exists as a link: say so, not "does not exist".
            if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) {
                let reason = Self.loops(url.path) ? "a loop of symbolic links" : "a symbolic link to \(destination), which does not exist"
                issues.error("command \(shown) is \(reason); point it at the plugin's program", at: node)
                return nil
            }
            let hint = text.contains("/") ? "" : "; a command is a path relative to the site folder, not a name looked up on PATH (for an interpreter, give its path, e.g. `/usr/bin/python3`, and the script in `args`)"
            issues.error("command not found: \(shown) does not exist\(hint)", at: node)
            return nil
        }
        guard !isDirectory.boolValue else {
            issues.error("command \(shown) is a folder; give the program inside it", at: node)
            return nil
        }
        guard access(url.path, X_OK) == 0 else {
            issues.error("command \(shown) is not executable; make it so with `chmod +x \(shown)`", at: node)
            return nil
        }
        return url
    }

    /// Whether resolving the link at `path` goes round in a loop.
    private static func loops(_ path: String) -> Bool {
        guard let resolved = realpath(path, nil) else { return errno == ELOOP }
        free(resolved)
        return false
    }

    /// `env:` with `${VAR}` filled from pioneer's environment; the values are never repeated
    /// in a message, since they may be secrets.
    /// Also the `${VAR}` references that are unset or empty, for collect to refuse to run
    /// the plugin without them, as validate's warning says.
    private func readEnvironment(_ node: ConfigNode) -> ([String: String], [String]) {
        guard let entries = node.entries else {
            issues.error("expected a mapping of environment variable names to values, e.g. `LOOKUP_TABLE: ${WAITING_LIST_LOOKUP}`, found \(node.kindDescription)", at: node)
            return ([:], [])
        }
        var environment: [String: String] = [:]
        var unset: [String] = []
        for entry in entries {
            guard EnvironmentReferences.isVariableName(entry.key) else {
                let keyNode = ConfigNode(.scalar(entry.key, quoted: false), location: entry.keyLocation, path: entry.value.path)
                issues.error("`\(entry.key)` is not an environment variable name; use letters, digits and underscores, not starting with a digit", at: keyNode)
                continue
            }
            guard let text = entry.value.scalar else {
                issues.error("expected a value for `\(entry.key)`, found \(entry.value.kindDescription)", at: entry.value)
                continue
            }
            guard let names = references.variables(in: text, at: entry.value) else { continue }
            references.checkSet(names, at: entry.value, user: "this plugin")
            unset += names.filter { (references.environment[$0] ?? "").isEmpty && !unset.contains($0) }
            var value = text
            for name in names {
                value = value.replacingOccurrences(of: "${\(name)}", with: references.environment[name] ?? "")
            }
            environment[entry.key] = value
        }
        return (environment, unset)
    }

    /// Seconds per call, 60 unless given.
    private func readDeadline(_ reader: ConfigReader) -> Double? {
        guard let node = reader.node("deadline") else { return ExecPluginSpec.defaultDeadline.seconds }
        let text = node.scalar ?? ""
        guard let seconds = Double(text.replacingOccurrences(of: "_", with: "")), seconds.isFinite,
              seconds > 0, seconds <= Self.maximumDeadline else {
            issues.error("the deadline is the seconds one call may take, more than 0 and at most \(Int(Self.maximumDeadline)), e.g. `30`; found \(node.scalar.map { "`\($0)`" } ?? node.kindDescription)", at: node)
            return nil
        }
        return seconds
    }

    private func readSize(_ node: ConfigNode) -> Int? {
        guard let text = node.scalar, let bytes = try? ByteCount.parse(text), bytes <= Self.maximumOutputLimit else {
            issues.error("expected a size up to \(ByteCount.describe(Self.maximumOutputLimit)), e.g. `64MB`, found \(node.scalar.map { "`\($0)`" } ?? node.kindDescription)", at: node)
            return nil
        }
        return bytes
    }
}

extension Duration {
    /// The duration in seconds, fractions kept.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
