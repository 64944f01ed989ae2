// An extraction's answer or error as one line of text, so that two ways of reading the same
// body (in order, and in two halves) can be compared whole: value, count, detail and message.
import PioneerExtraction

/// `run`'s value, count and detail, `error: …` for what it threw, or `not split` for nil.
func answerText(_ run: () throws -> ExtractedValue?) -> String {
    do {
        guard let value = try run() else { return "not split" }
        return "\(value.value.map { "\($0)" } ?? "no data") (\(value.count)): \(value.detail)"
    } catch {
        return "error: \(error)"
    }
}
