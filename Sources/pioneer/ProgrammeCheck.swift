// `pioneer validate`'s check of the programme file beside the site folders
// (sites/programme.yaml): its own problems, and expected sites with no folder.
import Foundation
import PioneerConfig
import PioneerCore
import PioneerKit

/// The programme file's check, when the sites folder has one.
struct ProgrammeCheck {
    var file: String
    var programme: Programme?
    var issues: [ConfigIssue]

    var valid: Bool { programme != nil }

    /// Checks `root/programme.yaml` against the site `directories` found; nil when there is no
    /// such file. `goalIDs`, the goals the sites declare when every site loaded, are what the
    /// themes must name: a theme naming no site's goal counts nothing, in silence.
    static func run(root: String, sites directories: [String], goalIDs: Set<String>? = nil) -> ProgrammeCheck? {
        let file = (root.hasSuffix("/") ? root : root + "/") + "programme.yaml"
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let folders = Set(directories.map { URL(fileURLWithPath: $0).lastPathComponent })
        func absent(_ sites: [String]) -> [ConfigIssue] {
            sites.filter { !folders.contains($0) }.map { site in
                ConfigIssue(.warning, at: .unknown(file), path: "sites",
                            "the programme expects site `\(site)`, but \(root) has no folder `\(site)` holding \(SiteLoader.fileName)")
            }
        }
        do {
            let programme = try ProgrammeLoader.load(file: file)
            var issues = absent(programme.sites)
            if let goalIDs {
                for theme in programme.themes {
                    for goal in theme.goals where !goalIDs.contains(goal) {
                        issues.append(ConfigIssue(.warning, at: .unknown(file), path: "themes.\(theme.name)",
                                                  "goal `\(goal)` is declared by no site under \(root), so theme `\(theme.name)` counts nothing for it"
                                                  + didYouMean(goal, among: goalIDs)))
                    }
                }
            }
            return ProgrammeCheck(file: file, programme: programme, issues: issues)
        } catch {
            // Every problem in one run: the sites list is still read when the rest is broken.
            return ProgrammeCheck(file: file, programme: nil,
                                  issues: error.issues + absent(ProgrammeLoader.expectedSites(file: file) ?? []))
        }
    }

    /// The text `validate` writes on stderr: every problem, then OK or invalid.
    func lines(quiet: Bool) -> String {
        var lines = issues.map(\.description)
        if let programme {
            if !quiet {
                let themes = programme.themes.count
                lines.append("\(file): OK (programme \(programme.id): \(programme.sites.count) sites, \(themes) goal theme\(themes == 1 ? "" : "s"))")
            }
        } else {
            let errors = issues.count { $0.severity == .error }
            lines.append("\(file): invalid (\(errors) error\(errors == 1 ? "" : "s"))")
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}
