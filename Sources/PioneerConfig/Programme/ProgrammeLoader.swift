// Loading the programme file (sites/programme.yaml) from disk: the file system side, then
// the whole check, every problem at its file:line:column like a site file's.
public import PioneerCore
public import PioneerKit

/// Loads and checks a programme file.
///
/// ```swift
/// let programme = try ProgrammeLoader.load(file: "sites/programme.yaml")
/// programme.deadlines.softDeadline(of: .month(2026, 3))   // 2026-04-15
/// ```
public enum ProgrammeLoader {
    /// Where the example sites' programme lives, beside their folders.
    public static let defaultFile = "sites/programme.yaml"

    /// The site ids a programme file's `sites:` list names, read even when the file has other
    /// errors (so `validate` can still say which expected sites have no folder); nil when the
    /// file cannot be read or has no such list.
    public static func expectedSites(file: String) -> [String]? {
        guard case .success(let data) = SiteFileReader.read(file, limit: ConfigDocument.maximumBytes),
              let text = try? SiteLoader.decode(data, file: file),
              let tree = ConfigDocument.read(text, file: file).0, let items = tree["sites"]?.items else { return nil }
        return items.compactMap(\.scalar).filter(SiteIdentifier.isIdentifier)
    }

    /// Reads and checks the programme file at `file`.
    ///
    /// - Throws: ``ConfigError`` with every problem found.
    public static func load(file: String) throws(ConfigError) -> Programme {
        let text: String
        switch SiteFileReader.read(file, limit: ConfigDocument.maximumBytes) {
        case .success(let data):
            text = try SiteLoader.decode(data, file: file)
        case .failure(.missing):
            throw ConfigError([ConfigIssue(.error, at: .unknown(file), path: "",
                                           "the programme file does not exist; give one with --programme")])
        case .failure(.tooLarge(let size)):
            throw ConfigError([ConfigIssue(.error, at: .unknown(file), path: "",
                                           "the file is \(ByteCount.describe(size)); configuration files are limited to \(ByteCount.describe(ConfigDocument.maximumBytes))")])
        case .failure(let failure):
            throw ConfigError([ConfigIssue(.error, at: .unknown(file), path: "", failure.message)])
        }
        return try load(text: text, file: file)
    }

    /// Checks programme YAML `text` as if read from `file`.
    public static func load(text: String, file: String) throws(ConfigError) -> Programme {
        let issues = IssueCollector()
        let (tree, documentIssues) = ConfigDocument.read(text, file: file)
        issues.append(contentsOf: documentIssues)
        guard let tree else { throw ConfigError(documentIssues) }
        let programme = ProgrammeReader(file: file, issues: issues).read(tree)
        let sorted = ConfigDocument.droppingFollowOns(issues.issues, documentCount: documentIssues.count).enumerated().sorted { left, right in
            let a = left.element.location, b = right.element.location
            if (a.line, a.column) != (b.line, b.column) { return (a.line, a.column) < (b.line, b.column) }
            return left.offset < right.offset
        }.map(\.element)
        guard let programme, !issues.hasErrors else { throw ConfigError(sorted) }
        return programme
    }
}
