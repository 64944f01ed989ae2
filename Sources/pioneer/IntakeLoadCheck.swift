// After the intake load test: does the service's database hold exactly what it answered 2xx?
import PioneerIntake

/// What the database holds against what the service answered.
struct IntakeLoadCheck {
    /// Submissions answered 2xx.
    var answered: Int
    /// Accepted submissions stored (accepted or accepted with warnings), and their distinct digests.
    var stored: Int
    var storedDigests: Int
    /// Answered 2xx but not in the database: lost.
    var lost: [String]
    /// In the database but never answered 2xx (an answer the client gave up on).
    var unanswered: Int

    /// True when the database holds exactly the submissions answered 2xx, each once.
    var exact: Bool { lost.isEmpty && unanswered == 0 && stored == answered && storedDigests == stored }

    /// Reads every stored submission from `database` and compares digests with `acceptedDigests`.
    static func check(database: String, acceptedDigests: Set<String>) async throws -> IntakeLoadCheck {
        let store: IntakeStore
        let records: [SubmissionRecord]
        do {
            store = try await IntakeStore.open(database)
            records = try await store.submissions(site: nil, period: nil)
            await store.close()
        } catch {
            throw BenchIntakeError("cannot read the submissions in \(database): \(error)")
        }
        let accepted = records.filter { $0.status != .rejected }
        let storedDigests = Set(accepted.map(\.digest))
        return IntakeLoadCheck(
            answered: acceptedDigests.count,
            stored: accepted.count,
            storedDigests: storedDigests.count,
            lost: acceptedDigests.subtracting(storedDigests).sorted(),
            unanswered: storedDigests.subtracting(acceptedDigests).count)
    }
}
