// What became of one file `pioneer submit` sent, and the exit status it stands for.

/// What became of one file, ordered from best to worst; the command exits with the worst.
enum SubmitOutcome: Int, Comparable {
    case accepted, acceptedWithWarnings, unusable, rejected, notDelivered

    var exitCode: Int32 {
        switch self {
        case .accepted: return 0
        case .acceptedWithWarnings: return 5
        case .unusable: return 1
        case .rejected: return 6
        case .notDelivered: return 7
        }
    }

    static func < (lhs: SubmitOutcome, rhs: SubmitOutcome) -> Bool { lhs.rawValue < rhs.rawValue }
}
