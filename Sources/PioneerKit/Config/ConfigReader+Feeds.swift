// Reading the settings every feed-reading plugin shares: a feed, a path template, query values.

extension ConfigReader {
    /// The feed name at `key`, reported unless the site declares it.
    public func feed(_ key: String = "feed", setup: PluginSetup) -> String? {
        guard let name = string(key, required: true), let node = node[key] else { return nil }
        return setup.checkFeed(name, at: node, issues: issues) ? name : nil
    }

    /// A path template at `key`; a placeholder other than the ``FeedPathTemplate/placeholders`` is reported,
    /// and so is a `..` that climbs out of the feed's `base_url` (``FeedPathTemplate/climbsOutOfBase(_:)``).
    public func pathTemplate(_ key: String, required: Bool = false) -> String? {
        guard let template = string(key, required: required), let node = node[key] else { return nil }
        guard !FeedPathTemplate.climbsOutOfBase(template) else {
            issues.error("path `\(template)` climbs out of the feed's base_url with `..` (or an encoded `%2e%2e`); a path must stay under base_url", at: node)
            return nil
        }
        return checkPlaceholders(template, at: node) ? template : nil
    }

    /// Query parameters at `key` (a mapping of names to templated values), each checked for unknown placeholders.
    public func queryTemplates(_ key: String = "query") -> [String: String]? {
        guard let query = stringMap(key) else { return nil }
        var valid = true
        for entry in node[key]?.entries ?? [] {
            if let value = entry.value.scalar, !checkPlaceholders(value, at: entry.value) {
                valid = false
            }
        }
        return valid ? query : nil
    }

    /// A whole number at `key` that must not be negative.
    public func nonNegativeInt(_ key: String) -> Int? {
        guard let value = int(key), let node = node[key] else { return nil }
        guard value >= 0 else {
            issues.error("must be 0 or more, found \(value)", at: node)
            return nil
        }
        return value
    }

    /// A list at `key` that may also be written as a single scalar (`agree: Agree`).
    public func scalarOrList(_ key: String, required: Bool = false) -> [String]? {
        guard let value = node(key, required: required) else { return nil }
        if let text = value.scalar { return [text] }
        guard value.items != nil else {
            typeError(value, expected: "a string or a list of strings")
            return nil
        }
        return stringList(key)
    }

    /// Whether `key` is present with a non-empty value (to tell "absent" from "given but invalid").
    public func contains(_ key: String) -> Bool {
        node[key].map { !$0.isNull } ?? false
    }

    private func checkPlaceholders(_ template: String, at node: ConfigNode) -> Bool {
        if let problem = FeedPathTemplate.braceProblem(in: template) {
            let known = FeedPathTemplate.placeholders.map { "{\($0)}" }.joined(separator: ", ")
            issues.error("\(problem) in `\(template)`; a placeholder is a name in braces: \(known)", at: node)
            return false
        }
        let unknown = FeedPathTemplate.unknownPlaceholders(in: template)
        for name in unknown {
            let known = FeedPathTemplate.placeholders.map { "{\($0)}" }.joined(separator: ", ")
            issues.error("unknown placeholder `{\(name)}`\(didYouMean(name, among: FeedPathTemplate.placeholders)); the placeholders are \(known)", at: node)
        }
        return unknown.isEmpty
    }
}
