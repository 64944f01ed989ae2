// Observations: a missing value carries its reason, never a zero.
import Foundation
import Testing
@testable import PioneerKit

@Suite("Support")
struct SupportTests {
    @Test func notAvailableCarriesAReasonNotAZero() {
        let observation = Observation.notAvailable(.suppressed, "n = 7, below the minimum of 30", sampleSize: 7)
        #expect(observation.value == nil)
        #expect(!observation.isAvailable)
        #expect(observation.notAvailable?.description == "suppressed small number: n = 7, below the minimum of 30")
    }
}
