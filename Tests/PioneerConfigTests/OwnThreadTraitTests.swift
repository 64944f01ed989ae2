// The `.ownThread` trait runs a test on a queue of its own, off the shared pool that a long
// synchronous test would otherwise hold (PioneerTesting's OwnThreadTrait).
import PioneerTesting
import Testing

@Suite struct OwnThreadTraitTests {
    @Test(.ownThread) func aSynchronousTestRunsOnAQueueOfItsOwn() {
        #expect(OwnThreadExecutor.isCurrent)
    }

    @Test(.ownThread) func anAsynchronousTestStaysOnItAcrossASuspension() async throws {
        try await Task.sleep(for: .milliseconds(10))
        #expect(OwnThreadExecutor.isCurrent)
    }

    @Test func withoutTheTraitATestRunsOnTheSharedPool() {
        #expect(!OwnThreadExecutor.isCurrent)
    }
}
