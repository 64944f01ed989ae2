// The words people read for SPC labels are distinct, so a table never shows two labels alike.
import PioneerGoals
import Testing

@Suite("SPC words")
struct SPCWordsTests {
    @Test func everyPointTypeRuleAndAssuranceHasItsOwnWords() {
        #expect(Set(SPCPointType.allCases.map(\.words)).count == SPCPointType.allCases.count)
        #expect(Set(SpecialCauseRule.allCases.map(\.words)).count == SpecialCauseRule.allCases.count)
        #expect(Set(Assurance.allCases.map(\.words)).count == Assurance.allCases.count)
    }
}
