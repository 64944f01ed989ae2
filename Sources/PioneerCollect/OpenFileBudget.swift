// How many stores and fetches a collection may keep open at once under the process's limit
// on open files (`ulimit -n`; see PioneerCore's OpenFiles for why it must stay below it): the
// sites are collected in turns when their stores do not all fit.

/// The open files a collection plans for: each store's, each fetch's, and a margin.
public struct OpenFileBudget: Sendable, Equatable {
    /// A store in WAL mode holds the database, its log and its index, for the writer and a reader.
    public static let filesPerStore = 6
    /// A transfer's socket, a cached connection, and a resolver's socket pair at worst.
    public static let filesPerFetch = 3
    /// Everything else: signal and timer descriptors, body files.
    public static let margin = 40
    /// A site's run that runs plugin programs (`kind: exec`) runs up to eight at once, each
    /// with its pipes (three kept, six while it starts) and its descriptors for the wait.
    public static let filesForPrograms = 8 * 8

    /// Fetches in flight at once: `--max-parallel`, or fewer when the limit allows no more.
    public var fetchesAtOnce: Int
    /// Store files open at once; the sites beyond them wait for a later turn.
    public var storesAtOnce: Int

    public init(fetchesAtOnce: Int, storesAtOnce: Int) {
        self.fetchesAtOnce = fetchesAtOnce
        self.storesAtOnce = storesAtOnce
    }

    /// Plans for `stores` store files and `maxParallel` fetches with `open` files already open
    /// under a limit of `limit`.
    ///
    /// - Returns: the plan, or nil when the limit leaves no room for even one store and one fetch.
    /// `perStore` is what a store's run takes besides its fetches: ``filesPerStore``, and
    /// ``filesForPrograms`` more when its sites run plugin programs.
    public static func plan(stores: Int, maxParallel: Int, open: Int, limit: Int, perStore: Int = filesPerStore) -> OpenFileBudget? {
        let filesPerStore = perStore
        let room = limit - open - margin
        guard room >= filesPerStore + filesPerFetch else { return nil }
        // Fetches take at most half of the room: a low limit slows the fetching, and the
        // stores still have room.
        let fetches = max(1, min(maxParallel, (room / 2) / filesPerFetch, (room - filesPerStore) / filesPerFetch))
        let storeRoom = room - fetches * filesPerFetch
        return OpenFileBudget(fetchesAtOnce: fetches, storesAtOnce: max(1, min(stores, storeRoom / filesPerStore)))
    }

    /// The least `ulimit -n` that lets one store and one fetch work with `open` files open.
    public static func leastLimit(open: Int, perStore: Int = filesPerStore) -> Int {
        open + margin + perStore + filesPerFetch
    }
}
