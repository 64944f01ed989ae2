// Finding site directories and loading each one's site.yaml: the file system side
// (missing folders, unreadable or oversized files, encodings) and the whole check.
public import Foundation
public import PioneerKit
public import PioneerCore

/// Loads and checks sites from `sites/<site-id>/site.yaml`.
///
/// Every problem in a file is reported in one run, each at its `file:line:column`
/// and key path. Unset environment variables are warnings by default, so
/// `pioneer validate` works on a machine without the secrets and `pioneer collect`
/// still collects the feeds that have theirs (a request that needs an unset secret
/// fails, sending nothing). `requireSecrets` makes them errors, for a caller that
/// wants all or nothing.
///
/// ```swift
/// let loader = SiteLoader(plugins: try PluginCatalogue.builtIn())
/// for directory in try SiteLoader.discover() {
///     let loaded = try loader.load(directory: directory)
///     print(loaded.site.name, loaded.warnings.count)
/// }
/// ```
public struct SiteLoader: Sendable {
    /// The file each site directory holds.
    public static let fileName = "site.yaml"

    public var environment: [String: String]
    public var requireSecrets: Bool
    /// The plugins `plugin:` may name.
    public var plugins: PluginCatalogue

    /// - Parameters:
    ///   - plugins: The plugins `plugin:` may name; the caller builds the catalogue
    ///     (`pioneer` starts from the built-in plugins), so this stage knows no plugin itself.
    ///   - environment: Where `${VAR}` references are looked up.
    ///   - requireSecrets: Whether an unset variable is an error rather than a warning.
    public init(plugins: PluginCatalogue, environment: [String: String] = ProcessInfo.processInfo.environment,
                requireSecrets: Bool = false) {
        self.environment = environment
        self.requireSecrets = requireSecrets
        self.plugins = plugins
    }

    /// Loads and checks the site in `directory`.
    ///
    /// - Throws: ``ConfigError`` with every problem (warnings included) when any is an error.
    public func load(directory: String) throws(ConfigError) -> LoadedSite {
        let directory = Self.trimmingTrailingSlashes(directory)
        let file = directory == "." ? Self.fileName : "\(directory)/\(Self.fileName)"
        let text = try Self.readText(directory: directory, file: file)
        return try load(text: text, directory: directory, file: file)
    }

    /// Checks site YAML `text` as if read from `file` in `directory`.
    func load(text: String, directory: String, file: String) throws(ConfigError) -> LoadedSite {
        let issues = IssueCollector()
        let (tree, documentIssues) = ConfigDocument.read(text, file: file)
        issues.append(contentsOf: documentIssues)
        guard let tree else { throw ConfigError(Self.sorted(issues.issues)) }

        // The folder's own name as the system finds it: `sites/link/..` is named for where the
        // link leads, not for `sites` (a test site's directory need not exist: then as written).
        let folderName: String
        if let resolved = realpath(directory, nil) {
            folderName = URL(fileURLWithPath: String(cString: resolved)).lastPathComponent
            free(resolved)
        } else {
            folderName = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        }
        let reader = SiteReader(
            directory: directory, folderName: folderName, file: file,
            references: EnvironmentReferences(environment: environment, requireSecrets: requireSecrets, issues: issues),
            plugins: plugins, issues: issues)
        let result = reader.read(tree)
        let sortedIssues = Self.sorted(ConfigDocument.droppingFollowOns(issues.issues, documentCount: documentIssues.count))
        guard let (site, plugins, catalogue) = result, !issues.hasErrors else { throw ConfigError(sortedIssues) }
        return LoadedSite(site: site, plugins: plugins, warnings: sortedIssues, catalogue: catalogue)
    }

    /// The site id the site file in `directory` declares (`site.id`), read without checking the
    /// rest of the file; nil when there is no such folder or file, or no id can be read from it.
    public static func declaredSiteID(directory: String) -> String? {
        let directory = trimmingTrailingSlashes(directory)
        let file = directory == "." ? fileName : "\(directory)/\(fileName)"
        guard let text = try? readText(directory: directory, file: file) else { return nil }
        return ConfigDocument.read(text, file: file).0?["site"]?["id"]?.scalar
    }

    /// The site directories under `root` that hold a site file, sorted by name.
    ///
    /// - Throws: ``ConfigError`` when `root` does not exist or is not a directory.
    public static func discover(root: String = "sites") throws(ConfigError) -> [String] {
        let root = trimmingTrailingSlashes(root)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw ConfigError([ConfigIssue(.error, at: .unknown(root), path: "",
                                           "the sites folder does not exist; run pioneer where `\(root)` is, or choose the folder with --root")])
        }
        guard isDirectory.boolValue else {
            throw ConfigError([ConfigIssue(.error, at: .unknown(root), path: "", "the sites folder is a file, not a directory")])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root)
        } catch {
            throw ConfigError([ConfigIssue(.error, at: .unknown(root), path: "", "cannot list the sites folder: permission denied or unreadable")])
        }
        // A site.yaml that is a broken link, a link loop or a FIFO still marks a site, so
        // loading it says what is wrong rather than the site being skipped in silence.
        return names.sorted().filter { !$0.hasPrefix(".") }.map { "\(root)/\($0)" }.filter { directory in
            SiteFileReader.exists("\(directory)/\(fileName)") || SiteFileReader.exists("\(directory)/site.yml")
        }
    }

    // MARK: Reading the file

    private static func readText(directory: String, file: String) throws(ConfigError) -> String {
        func fail(_ path: String, _ message: String) -> ConfigError {
            ConfigError([ConfigIssue(.error, at: .unknown(path), path: "", message)])
        }
        switch SiteFileReader.entry(at: directory) {
        case .directory:
            break
        case .file:
            throw fail(directory, "is a file; give the site's directory (the folder that holds \(fileName))")
        case .failure(.missing):
            throw fail(directory, "the site directory does not exist")
        case .failure(let failure):
            throw fail(directory, failure.message)
        }
        switch SiteFileReader.read(file, limit: ConfigDocument.maximumBytes) {
        case .success(let data):
            return try decode(data, file: file)
        case .failure(.missing):
            if SiteFileReader.exists("\(directory)/site.yml") {
                throw fail(file, "no \(fileName) here, but there is a site.yml; rename it to \(fileName)")
            }
            throw fail(file, "the site directory has no \(fileName); every site directory needs one")
        case .failure(.tooLarge(let size)):
            throw fail(file, "the file is \(ByteCount.describe(size)); configuration files are limited to \(ByteCount.describe(ConfigDocument.maximumBytes))")
        case .failure(let failure):
            throw fail(file, failure.message)
        }
    }

    /// The file's text, refusing anything that is not UTF-8.
    static func decode(_ data: Data, file: String) throws(ConfigError) -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ConfigError([ConfigIssue(.error, at: .unknown(file), path: "", "the file is saved as UTF-16; save it as UTF-8")])
        }
        // The fast path: valid UTF-8 is checked and copied in one pass. Only invalid
        // text is decoded scalar by scalar, to say where it goes wrong.
        if var text = String(validating: bytes, as: UTF8.self) {
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return text
        }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        var scalars = String.UnicodeScalarView()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += UTF8.width(scalar)
                scalars.append(scalar)
            case .emptyInput:
                break decoding
            case .error:
                let position = TextPosition(String(scalars)).position(ofScalar: scalars.count)
                let byte = consumed < bytes.count ? String(format: " (byte 0x%02X)", bytes[consumed]) : ""
                throw ConfigError([ConfigIssue(
                    .error, at: SourceLocation(file: file, line: position.line, column: position.column), path: "",
                    "the file is not UTF-8 text\(byte); is it a binary file, or saved in another encoding? Save it as UTF-8")])
            }
        }
        var text = String(scalars)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    private static func sorted(_ issues: [ConfigIssue]) -> [ConfigIssue] {
        issues.enumerated().sorted { left, right in
            let a = left.element.location, b = right.element.location
            if a.file != b.file { return a.file < b.file }
            if (a.line, a.column) != (b.line, b.column) { return (a.line, a.column) < (b.line, b.column) }
            return left.offset < right.offset
        }.map(\.element)
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
