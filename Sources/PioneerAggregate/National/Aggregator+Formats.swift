// What differs between JSON and ADX returns when the aggregate checks them: where the
// integrity check comes from, definitions ADX cannot carry, which of two returns made at the
// same moment counts, and the goals ADX has no place for. Everything else is screened alike.
import PioneerReturns

extension Aggregator {
    /// Why a return's integrity is not vouched for, or nil when it is: the JSON digest for a
    /// JSON return; for ADX, the document's content digest and definitions for every indicator.
    static func integrityProblem(_ item: ReceivedReturn, definitions: ADXDefinitionSource = .filesGiven) -> String? {
        switch item.format {
        case .json:
            return digestProblem(item.content, checked: item.digestCheck)
        case .adx(let check, let unresolved):
            switch check {
            case .valid:
                break
            case .missing:
                return "the ADX return carries no contentDigest (sha256), so changes since it was made cannot be detected"
            case .mismatch(let expected, let found):
                return "its ADX contentDigest does not match its content (recorded \(expected.prefix(12))…, computed \(found.prefix(12))…): it was changed or corrupted after it was made"
            }
            guard unresolved.isEmpty else {
                let more = unresolved.count > 5 ? " and \(unresolved.count - 5) more" : ""
                let listed = unresolved.prefix(5).map(\.description).joined(separator: ", ") + more
                let those = unresolved.count == 1 ? "that definition" : "those definitions"
                switch definitions {
                case .filesGiven:
                    return "ADX carries no indicator definitions, and no JSON return among the files given defines \(listed); "
                        + "give a JSON return with \(those) (any site, any period) alongside"
                case .receivedReturns:
                    return "ADX carries no indicator definitions, and no JSON return this service has received defines \(listed); "
                        + "submit a JSON return with \(those) first (any site, any period), then make this ADX return again "
                        + "(`pioneer return --format adx`) and submit it"
                }
            }
            return nil
        }
    }

    /// Whether `item` supersedes `kept`, a return from the same site: the later made (as moments,
    /// whatever offsets the times are written with); of two made at the same moment the JSON
    /// one, which carries goals and provenance.
    static func isNewer(_ item: ReceivedReturn, than kept: ReceivedReturn) -> Bool {
        let (made, keptMade) = (item.content.generatedAt, kept.content.generatedAt)
        if let moment = instant(made), let keptMoment = instant(keptMade) {
            if moment != keptMoment { return moment > keptMoment }
        } else if made != keptMade {
            return made > keptMade
        }
        return item.format == .json && kept.format != .json
    }

    /// The accepted sites whose return is ADX and so carries no goals.
    static func goalsNotCarried(_ accepted: [ReceivedReturn]) -> [String] {
        accepted.filter { $0.format != .json }.map(\.content.site.id)
    }
}

/// Where the aggregate looks up the indicator definitions an ADX return does not carry.
public enum ADXDefinitionSource: Sendable, Hashable {
    /// The JSON returns given with it (`pioneer aggregate RETURNS...`).
    case filesGiven
    /// The JSON returns an intake service has received and stored.
    case receivedReturns
}
