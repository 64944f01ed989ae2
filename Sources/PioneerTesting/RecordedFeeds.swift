// Feed bodies recorded to files, found by request key and period: what a plugin author saves
// from a real feed once and replays in tests (and `pioneer plugin test --feed KEY=FILE`).
public import Foundation
public import PioneerKit

/// A folder of recorded feed bodies, one file per request key, optionally one per period.
///
/// For the request key `admissions` in period 2026-06 the body is the first file found of
/// `admissions-2026-06.*` and `admissions.*` (any extension: `.json`, `.csv`, `.txt`), so one
/// file serves every period unless a period has its own. Quarter labels are written without
/// spaces in file names: `admissions-FY2026-27Q1.json`.
///
/// ```swift
/// let feeds = RecordedFeeds(folder: payloads.appending(path: "falls"))   // falls/admissions.json, ...
/// let observation = try harness.run(.month(2026, 6), recorded: feeds)
/// ```
public struct RecordedFeeds: Sendable {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// The file recorded for `key` in `period`.
    /// - Throws: ``HarnessError`` naming the files looked for and those the folder holds.
    public func file(for key: String, period: Period) throws(HarnessError) -> URL {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw HarnessError("cannot list the recorded feeds folder \(folder.path): \(error.localizedDescription)")
        }
        let label = Self.fileLabel(period)
        for stem in ["\(key)-\(label)", key] {
            if let name = names.first(where: { $0.hasPrefix(stem + ".") && !$0.dropFirst(stem.count + 1).contains(".") }) {
                return folder.appending(path: name)
            }
        }
        let held = names.isEmpty ? "nothing" : names.map { "`\($0)`" }.joined(separator: ", ")
        throw HarnessError("no recorded body for `\(key)` in \(period.label): looked for \(key)-\(label).* and \(key).* in \(folder.path), which holds \(held)")
    }

    /// The body recorded for `key` in `period`.
    public func body(for key: String, period: Period) throws -> FeedBody {
        try FeedBody.file(file(for: key, period: period))
    }

    /// A period's label as it appears in a file name: no spaces (`FY2026-27Q1`).
    public static func fileLabel(_ period: Period) -> String {
        period.label.replacingOccurrences(of: " ", with: "")
    }
}

extension PluginHarness {
    /// Runs the plugin on `period`, answering each request with the body recorded for its key.
    public func run(_ period: Period, recorded feeds: RecordedFeeds) throws -> Observation {
        var bodies: [String: FeedBody] = [:]
        for request in try requests(for: period) {
            bodies[request.key] = try feeds.body(for: request.key, period: request.period ?? period)
        }
        return try run(period, bodies: bodies)
    }
}
