// A period's feed requests must each have a key of their own.
public import PioneerKit

extension Array where Element == FeedRequest {
    /// What is wrong when two of a period's requests share a key, or nil: the plugin gets each
    /// response by its key, so the second body would be dropped while provenance listed its URL.
    public func repeatedKeyProblem(period: Period) -> String? {
        var seen: [String: Int] = [:]
        for (index, request) in enumerated() {
            if let first = seen[request.key] {
                return "asked for two feed requests with the key `\(request.key)` for \(period.label) "
                    + "(requests \(first + 1) and \(index + 1)); each request of a period needs a key of its own"
            }
            seen[request.key] = index
        }
        return nil
    }
}
