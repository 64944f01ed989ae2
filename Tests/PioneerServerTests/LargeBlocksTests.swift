// `pioneer serve` fixes glibc's mmap threshold so that the large buffers of aggregate answers
// are unmapped when freed (the effect on resident memory is shown by scripts/bench-national.sh).
@testable import PioneerServer
import Testing

@Suite("Large blocks go back to the system")
struct LargeBlocksTests {
    @Test func glibcTakesTheFixedMmapThreshold() {
        #expect(LargeBlocks.returnToTheSystemWhenFreed())
    }
}
