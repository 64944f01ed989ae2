// Memory the server's large answers borrow goes back to the system when they are done.
//
// The national aggregate and history build buffers of tens of megabytes (a 17 MB answer, its
// rows). glibc's malloc serves blocks that large by mmap, but after the first one is freed it
// raises that threshold to the block's size, so later ones come from the heap and stay there:
// the aggregating server's resident memory climbed with each of the first aggregates and never
// came down (90 to 280 MB over the national benchmark). Fixing the threshold keeps large
// blocks mapped on their own and unmapped when freed. `mallopt` is not in Swift's Glibc module
// (it is declared in <malloc.h>), so it is looked up by name; where it is absent, nothing changes.
#if canImport(Glibc)
import Glibc
#endif

enum LargeBlocks {
    /// Blocks of this size and larger are mapped on their own and returned when freed.
    static let threshold: Int32 = 256 * 1024

    /// Asks glibc to keep `threshold` as its mmap threshold from now on; false where it cannot.
    @discardableResult
    static func returnToTheSystemWhenFreed() -> Bool {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
        return mallopt(mmapThreshold, threshold) == 1
        #else
        return false
        #endif
    }

    /// Gives the free pages inside glibc's heaps back to the system (`malloc_trim`), after an
    /// answer built from many small blocks (the aggregate's 63,000 measures and their
    /// strings): freed, they stay resident in the heap they fragmented until trimmed.
    static func giveBackFreePages() {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        typealias MallocTrim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
