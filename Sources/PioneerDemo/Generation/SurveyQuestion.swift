// A simulated survey question: how respondents answer, month by month.
import PioneerKit

/// A survey question: the share agreeing follows a series; the other answers split by weight.
struct SurveyQuestion: Sendable {
    /// Field or column name: `tell_story_once`.
    var field: String
    /// Answers that count as agreeing, with their relative weights.
    var agreeing: [(String, Double)]
    /// The other answers, with their relative weights (include "Don't know" here).
    var others: [(String, Double)]
    /// The share of respondents agreeing.
    var agreement: MonthlySeries
    /// The share leaving the question blank.
    var blankRate: Double = 0.02

    /// One respondent's answer in `month`.
    func answer(in month: Period, site: SiteSimulation, using random: inout SplitMix64) -> String {
        if random.chance(blankRate) { return "" }
        if random.chance(site.probability(agreement, month)) {
            return random.pick(agreeing)
        }
        return random.pick(others)
    }

    /// The usual five-point agreement scale with "Don't know".
    static func agreementScale(field: String, agreement: MonthlySeries) -> SurveyQuestion {
        SurveyQuestion(
            field: field,
            agreeing: [("Strongly agree", 0.35), ("Agree", 0.65)],
            others: [("Neither agree nor disagree", 0.40), ("Disagree", 0.33), ("Strongly disagree", 0.15), ("Don't know", 0.12)],
            agreement: agreement
        )
    }
}
