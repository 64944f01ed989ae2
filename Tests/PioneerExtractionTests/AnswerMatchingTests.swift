// How answers and filter values are compared (trimmed, Unicode case folding) and how the values
// seen are listed when none matched.
import PioneerKit
import PioneerExtraction
import Testing

@Suite struct AnswerMatchingTests {
    @Test(arguments: [
        ("Strongly agree", " strongly AGREE "), ("Straße", "STRASSE"), ("ÉTÉ", "été"), ("ΣΊΣΥΦΟΣ", "Σίσυφος"),
        ("ﬁne", "FINE"), ("At home", "at home\t"),
    ])
    func valuesEqualUnderCaseFoldingMatch(_ configured: String, _ sent: String) {
        #expect(AnswerMatching.key(configured) == AnswerMatching.key(sent), "`\(configured)` and `\(sent)`")
    }

    @Test func differentWordsStayDifferent() {
        #expect(AnswerMatching.key("Agree") != AnswerMatching.key("Strongly agree"))
        #expect(AnswerMatching.key("Agree") != AnswerMatching.key("Disagree"))
    }

    @Test func theTallyListsTheMostFrequentFirstAsFirstWritten() {
        let answers = Array(repeating: "strongly agree", count: 12) + ["Neither"] + Array(repeating: "neither ", count: 3)
            + ["", "Agree"]
        #expect(AnswerMatching.tally(answers) == "`strongly agree` ×12, `Neither` ×4, blank ×1, `Agree` ×1")
    }

    @Test func theTallyNamesAtMostItsLimit() {
        let answers = (1...12).map { "answer \($0)" }
        #expect(AnswerMatching.tally(answers, limit: 3) == "`answer 1` ×1, `answer 2` ×1, `answer 3` ×1, and 9 other values")
    }
}
