// The key printed once near the top: what each point colour, line and icon means, drawn with
// the same palette and icons as the charts so the key cannot drift from them.
import PioneerGoals
import PioneerKit

enum ReportKey {
    static func html() -> String {
        var out = "<section class=\"key-section\"><h2>How to read the charts</h2>\n"
        out += "<p>Each chart plots the indicator's values in order. A point is coloured when the Making Data Count rules find a special cause: a point beyond a process limit, a run of 7 on one side of the mean, a trend of 7 rising or falling, or two of three points near a limit. Grey points are common cause variation: noise, not change.</p>\n"
        out += "<div class=\"key\">\n"
        let swatches: [(SPCPointType, String)] = [
            (.commonCause, "common cause: no significant change"),
            (.specialCauseImprovement, "special cause: improvement"),
            (.specialCauseConcern, "special cause: concern"),
            (.specialCauseNeutralHigh, "special cause where neither direction is better"),
        ]
        for (type, words) in swatches {
            out += "<div>\(swatch("<circle cx=\"9\" cy=\"9\" r=\"5\" fill=\"\(MDCPalette.colour(of: type))\"/>"))<span>\(words)</span></div>\n"
        }
        let lines: [(String, String)] = [
            ("<line x1=\"0\" y1=\"9\" x2=\"18\" y2=\"9\" stroke=\"\(MDCPalette.meanLine)\" stroke-width=\"1.5\"/>", "mean (centre line) of each phase"),
            ("<line x1=\"0\" y1=\"9\" x2=\"18\" y2=\"9\" stroke=\"\(MDCPalette.limits)\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>", "process limits (mean ± 2.66 × mean moving range)"),
            ("<line x1=\"0\" y1=\"9\" x2=\"18\" y2=\"9\" stroke=\"\(MDCPalette.target)\" stroke-width=\"2\" stroke-dasharray=\"8 3\"/>", "target"),
            ("<line x1=\"0\" y1=\"9\" x2=\"18\" y2=\"9\" stroke=\"\(MDCPalette.trajectory)\" stroke-width=\"2\" stroke-dasharray=\"3 3\"/>", "trajectory: baseline, milestones, target"),
            ("<line x1=\"9\" y1=\"0\" x2=\"9\" y2=\"18\" stroke=\"\(MDCPalette.annotation)\" stroke-width=\"2\"/>", "rebase: limits recalculated from here, where the site said"),
            ("<line x1=\"9\" y1=\"0\" x2=\"9\" y2=\"18\" stroke=\"\(MDCPalette.annotation)\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>", "an event the site listed"),
            ("<path d=\"M5 5 L13 13 M5 13 L13 5\" stroke=\"#777777\" stroke-width=\"2\"/>", "a period with no value (suppressed, not available)"),
        ]
        for (drawing, words) in lines {
            out += "<div>\(swatch(drawing))<span>\(words)</span></div>\n"
        }
        out += "</div>\n<p>The icons beside each goal: the first says what the latest point shows (variation), the second whether the process, as it runs now, will meet the target (assurance).</p>\n<div class=\"key\">\n"
        let icons: [(String, String)] = [
            (MDCIcon.variation(.commonCause, better: .higher, id: "key-common"), "common cause: no significant change"),
            (MDCIcon.variation(.specialCauseImprovement, better: .higher, id: "key-improvement-high"), "improvement, higher values (H)"),
            (MDCIcon.variation(.specialCauseImprovement, better: .lower, id: "key-improvement-low"), "improvement, lower values (L)"),
            (MDCIcon.variation(.specialCauseConcern, better: .higher, id: "key-concern-low"), "concern, lower values (L)"),
            (MDCIcon.variation(.specialCauseConcern, better: .lower, id: "key-concern-high"), "concern, higher values (H)"),
            (MDCIcon.variation(.specialCauseNeutralHigh, better: .neutral, id: "key-neutral-high"), "higher, neither direction better"),
            (MDCIcon.assurance(.consistentPass, id: "key-pass"), "will consistently meet the target (P)"),
            (MDCIcon.assurance(.consistentFail, id: "key-fail"), "will consistently miss the target (F)"),
            (MDCIcon.assurance(.inconsistent, id: "key-inconsistent"), "may meet or miss the target (?)"),
        ]
        for (icon, words) in icons {
            out += "<div>\(icon)<span>\(words)</span></div>\n"
        }
        return out + "</div>\n</section>\n"
    }

    /// A small decorative drawing: the words beside it carry the meaning.
    private static func swatch(_ drawing: String) -> String {
        "<svg width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\" xmlns=\"http://www.w3.org/2000/svg\">\(drawing)</svg>"
    }
}
