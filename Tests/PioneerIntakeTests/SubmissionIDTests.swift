// Submission ids are UUIDs of version 7: a client reads them as UUIDs, and ids made later sort
// after earlier ones, which is what keeps each new return's rows at the end of the tables.
import Foundation
@testable import PioneerIntake
import Testing

@Suite("Submission ids")
struct SubmissionIDTests {
    @Test func anIdIsALowercaseUUIDOfVersion7WithRFC9562sVariant() throws {
        let id = SubmissionID.make()
        let uuid = try #require(UUID(uuidString: id))
        #expect(id == uuid.uuidString.lowercased())
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        #expect(bytes[6] >> 4 == 7, "version nibble of \(id)")
        #expect(bytes[8] >> 6 == 0b10, "variant bits of \(id)")
    }

    @Test func theFirst48BitsAreTheMillisecondsSince1970() {
        let id = SubmissionID.make(milliseconds: 0x0193_6D2A_B4C1, random: .max, .max)
        #expect(id == "01936d2a-b4c1-7fff-bfff-ffffffffffff")
        #expect(SubmissionID.make(milliseconds: 0, random: 0, 0) == "00000000-0000-7000-8000-000000000000")
    }

    @Test func idsMadeLaterSortAfterEarlierOnesWhateverTheirRandomBits() {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let ids = (0..<1000).map { step in SubmissionID.make(at: start.addingTimeInterval(Double(step) * 0.002)) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }
}
