// What `pioneer submit` prints for a file: the service's import summary in plain English.
import Foundation
import PioneerFeeds
import PioneerIntake
import PioneerKit

/// The text `pioneer submit` writes for each file.
enum SubmitOutput {
    /// The summary, a line for the verdict, then the details, indented:
    ///
    /// ```text
    /// returns/torbay-2026-03.json: rejected (HTTP 422)
    ///   site torbay, period 2026-03, version 3, received 2026-04-10T09:00:00Z
    ///   values: 148 accepted, 0 with warnings, 2 rejected
    ///   rejected: readmissions-30d (2026-03): the proportion 1.4 is above 1
    /// ```
    static func text(_ summary: ImportSummary, file: String, httpStatus: Int) -> String {
        var lines: [String] = []
        let verdict: String
        switch summary.status {
        case .accepted: verdict = "accepted"
        case .acceptedWithWarnings: verdict = "accepted with warnings"
        case .rejected: verdict = "rejected"
        }
        let success = (200...299).contains(httpStatus)
        lines.append("\(file): \(verdict)\(success ? "" : " (\(FeedError.Cause.http(status: httpStatus)))")")

        var identity: [String] = []
        identity.append("site \(summary.site ?? "unknown")")
        identity.append("period \(summary.period ?? "unknown")")
        if let version = summary.version { identity.append("version \(version)") }
        identity.append("received \(summary.receivedAt)")
        lines.append("  " + identity.joined(separator: ", "))
        if let submission = summary.submission {
            lines.append("  submission \(submission), digest \(summary.digest)")
        }
        if summary.duplicate {
            let version = summary.version.map { "version \($0)" } ?? "an earlier version"
            lines.append("  duplicate: the same bytes as \(version), already received; nothing new was stored")
        }
        if summary.late {
            lines.append("  late: received after the period's deadline, by the service's clock")
        }
        lines.append("  values: \(summary.accepted) accepted, \(summary.warnings) with warnings, \(summary.rejected) rejected")
        for problem in summary.problems {
            lines.append("  problem: \(problem)")
        }
        for value in summary.values where value.status == "rejected" {
            lines.append("  rejected: \(describe(value))")
        }
        for value in summary.values where value.status == "warning" {
            lines.append("  warning: \(describe(value))")
        }
        // The summary's text is the service's: shown, never obeyed by the terminal.
        return lines.map { $0.escapingControlCharacters() }.joined(separator: "\n") + "\n"
    }

    /// The `error` of a service's error body (`{"error": "…", "requestId": "…"}`), or a short
    /// plain-text body; nil when there is neither.
    static func serverMessage(_ body: Data) -> String? {
        struct ErrorBody: Decodable {
            var error: String
            var requestId: String?
        }
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body) {
            return (decoded.requestId.map { "\(decoded.error) (request \($0))" } ?? decoded.error).escapingControlCharacters()
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, !text.hasPrefix("<"), !text.contains("\n") else { return nil }
        return text.escapingControlCharacters()
    }

    /// "0.5 s", "2 s".
    static func seconds(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }

    private static func describe(_ value: ValueOutcome) -> String {
        "\(value.indicator) (\(value.period))" + (value.reason.map { ": \($0)" } ?? "")
    }
}
