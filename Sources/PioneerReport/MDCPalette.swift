// The colours of the NHS "Making Data Count" charts and icons, one table for the whole report.
//
// NHSRplotthedots 0.2.2's `ptd_spc_colours()` defaults, which its maintainers standardised with
// the Making Data Count team in December 2023 (their issue #196): before that the package used
// #7b7d7d / #289de0 / #361475 / #fab428, which older charts still show.
import PioneerGoals

enum MDCPalette {
    static let commonCause = "#a6a6a6"
    static let improvement = "#00b0f0"
    static let concern = "#e46c0a"
    static let neutral = "#490092"
    static let valueLine = "#a6a6a6"
    static let meanLine = "#000000"
    static let limits = "#a6a6a6"
    static let target = "#de1b1b"
    static let trajectory = "#490092"
    /// Events and rebase markers: context, not data, so a quiet grey of their own.
    static let annotation = "#5f6368"

    /// A point's colour.
    static func colour(of type: SPCPointType) -> String {
        switch type {
        case .commonCause: commonCause
        case .specialCauseImprovement: improvement
        case .specialCauseConcern: concern
        case .specialCauseNeutralHigh, .specialCauseNeutralLow: neutral
        }
    }

    /// An assurance icon's colour: pass reads as improvement, fail as concern, inconsistent as common cause.
    static func colour(of assurance: Assurance?) -> String {
        switch assurance {
        case .consistentPass: improvement
        case .consistentFail: concern
        case .inconsistent, nil: commonCause
        }
    }
}
