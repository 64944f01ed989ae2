// One indicator entry in a file of its own (a plugin's sample.yaml), read exactly as an entry of
// a site's `indicators:` list is: `pioneer plugin test` configures a plugin from it.
public import PioneerCore
public import PioneerKit

/// Reads a file holding one indicator entry, `- id: ...` or the same mapping without the dash.
public enum IndicatorFile {
    /// The indicator of the file at `path`, with its plugin configured by `plugins` against
    /// `site` and `feeds`, and the warnings.
    ///
    /// - Parameters:
    ///   - plugin: The plugin the entry must name; written into an entry that has no
    ///     `plugin:`, an error at the entry's `plugin:` when it names another.
    ///   - feeds: The feeds declared; nil takes every `feed:` the entry's config names as
    ///     declared (no site to check them against).
    /// - Throws: ``ConfigError`` with every problem, each at its line and column of `path`.
    public static func load(path: String, plugin: String, site: SiteInfo, feeds: Set<String>?,
                            plugins: PluginCatalogue) throws(ConfigError) -> (spec: IndicatorSpec, plugin: any IndicatorPlugin, warnings: [ConfigIssue]) {
        let text: String
        switch SiteFileReader.read(path, limit: ConfigDocument.maximumBytes) {
        case .success(let data): text = try SiteLoader.decode(data, file: path)
        case .failure(let failure): throw ConfigError([ConfigIssue(.error, at: .unknown(path), path: "", failure.message)])
        }
        let root = try ConfigDocument.parse(text, file: path)
        let entry = try self.entry(in: root, file: path)
        let named = try naming(entry, plugin: plugin)
        let issues = IssueCollector()
        let declared = feeds ?? named["config"].map(feedsNamed(in:)) ?? []
        let result = IndicatorReader(site: site, feeds: declared, issues: issues, plugins: plugins).read([named])
        try issues.throwIfErrors()
        guard let spec = result.specs.first, let configured = result.plugins[spec.definition.id] else {
            throw ConfigError([ConfigIssue(.error, at: entry.location, path: entry.path, "the indicator could not be read")])
        }
        return (spec, configured, issues.issues)
    }

    /// Every `feed:` value in a config tree.
    static func feedsNamed(in node: ConfigNode) -> Set<String> {
        switch node.content {
        case .mapping(let entries):
            return entries.reduce(into: Set<String>()) { names, entry in
                if entry.key == "feed", let name = entry.value.scalar { names.insert(name) }
                names.formUnion(feedsNamed(in: entry.value))
            }
        case .sequence(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(feedsNamed(in: $1)) }
        case .scalar, .null:
            return []
        }
    }

    /// The one indicator mapping of the file.
    private static func entry(in root: ConfigNode, file: String) throws(ConfigError) -> ConfigNode {
        if root.entries != nil { return root }
        if let items = root.items, items.count == 1, let only = items.first, only.entries != nil { return only }
        let found = root.items.map { "a list of \($0.count) items" } ?? root.kindDescription
        throw ConfigError([ConfigIssue(.error, at: root.location, path: root.path,
                                       "expected one indicator entry (`- id: ...` with name, kind, value_type, unit, period, better and config, as in a plugin's sample.yaml), found \(found)")])
    }

    /// `entry` with `plugin: <plugin>` added when it names none; an error when it names another.
    private static func naming(_ entry: ConfigNode, plugin: String) throws(ConfigError) -> ConfigNode {
        if let written = entry["plugin"] {
            guard written.scalar == plugin else {
                throw ConfigError([ConfigIssue(.error, at: written.location, path: written.path,
                                               "this entry names plugin `\(written.scalar ?? written.kindDescription)`, but the command tests `\(plugin)`; make them agree or remove `plugin:` from the file")])
            }
            return entry
        }
        guard let entries = entry.entries else { return entry }
        let path = entry.path.isEmpty ? "plugin" : "\(entry.path).plugin"
        let added = ConfigNode.Entry(key: "plugin", keyLocation: entry.location,
                                     value: ConfigNode(.scalar(plugin, quoted: false), location: entry.location, path: path))
        return ConfigNode(.mapping(entries + [added]), location: entry.location, path: entry.path)
    }
}
