// What a command keeps alive to the end of the process instead of freeing it just before the
// process ends (which frees everything at once, and at no cost).
import Synchronization

/// Values kept alive until the process exits.
///
/// Freeing a large structure is not free: taking apart the configuration, plans and reports
/// of 10,000 indicators took `pioneer collect` about a tenth of a second after its last report
/// was written, with nothing left to do but exit. A command hands such values here as it ends.
enum KeptUntilExit {
    private static let values = Mutex<[any Sendable]>([])

    static func keep(_ value: any Sendable) {
        values.withLock { $0.append(value) }
    }
}
