// Reads a site's `progress:` block: the tolerance between `at risk` and `off track`, the
// points in the projection, and when a latest value is too old to judge.
import PioneerCore
import PioneerKit

/// Reads `progress:` into ``ProgressSettings``, reporting every problem.
struct ProgressSettingsReader {
    let issues: IssueCollector

    /// A tolerance is a fraction of the baseline-to-target change: 0 leaves no `at risk`
    /// band for a point value, 1 lets a value miss by the whole change and be only at risk.
    static let tolerance = 0.0...1.0
    static let toleranceExample = "0.1 is a tenth of the change from baseline to target"

    func read(_ node: ConfigNode) -> ProgressSettings {
        let defaults = ProgressSettings()
        guard node.entries != nil else {
            _ = ConfigReader(node, issues: issues)   // reports anything but a mapping
            return defaults
        }
        let reader = ConfigReader(node, issues: issues)
        let tolerance = reader.double("tolerance", in: Self.tolerance, example: Self.toleranceExample)
        let points = reader.int("projection_points", in: 2...Int.max)
        let stale = reader.int("stale_after_periods", in: 1...Int.max)
        reader.finish()
        return ProgressSettings(tolerance: tolerance ?? defaults.tolerance,
                                projectionPoints: points ?? defaults.projectionPoints,
                                staleAfterPeriods: stale ?? defaults.staleAfterPeriods)
    }
}
