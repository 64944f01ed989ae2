// What one submission comes to before it is stored: read, the sender checked against the
// site, the same checks the national aggregate makes (the aggregate's own code), every value
// against the value rules, and the deadlines by the server's clock.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerKit
import PioneerReturns

/// The verdict on one submission's bytes, before the store gives it an id and a version.
struct ImportVerdict: Sendable {
    var kind: SubmissionOutcome.Kind
    /// The site and period the submission is filed under (nil: it takes no version).
    var filedSite: String?
    var filedPeriod: String?
    /// The summary, its submission id and version still to be filled in.
    var summary: ImportSummary
    /// The return read, when the bytes could be read.
    var content: SiteReturn? = nil
}

/// Checks submissions against a programme.
struct ReturnImport: Sendable {
    var programme: Programme

    /// The verdict on `bytes` sent by `caller`, received at `received` (the server's clock).
    /// `catalogue` holds the indicator definitions an ADX submission is read with.
    func verdict(_ bytes: [UInt8], format: SubmissionFormat, caller: Caller, received: Date, digest: String,
                 catalogue: DefinitionCatalogue) -> ImportVerdict {
        let receivedAt = IntakeTime.text(received)
        func summary(_ status: ImportStatus, site: String?, period: String?, late: Bool = false, problems: [String],
                     values: [ValueOutcome] = []) -> ImportSummary {
            ImportSummary(status: status, submission: nil, site: site, period: period, version: nil, duplicate: false,
                          late: late, receivedAt: receivedAt, digest: digest, problems: problems, values: values,
                          accepted: values.count { $0.status == "accepted" }, rejected: values.count { $0.status == "rejected" },
                          warnings: values.count { $0.status == "warning" })
        }
        // A site token's unreadable bytes are filed under its site, so the site can see them.
        let senderSite = caller.role == .site ? caller.site : nil

        let item: ReceivedReturn
        switch Self.read(bytes, format: format, catalogue: catalogue, source: "the submission") {
        case .success(let read):
            item = read
        case .failure(let failure):
            return ImportVerdict(kind: failure.unprocessable ? .unprocessable : .malformed, filedSite: senderSite, filedPeriod: nil,
                                 summary: summary(.rejected, site: senderSite, period: nil, problems: [failure.message]))
        }
        let content = item.content
        if let field = Self.fieldWithNUL(in: content) {
            // PostgreSQL's text cannot hold U+0000: refused here, and filed as unreadable bytes
            // are (under a site token's own site, with no period), so it is stored all the same.
            let problem = "`\(field)` holds a NUL character (\\u0000), which the intake store cannot keep; remove it and make the return again"
            return ImportVerdict(kind: .unprocessable, filedSite: senderSite, filedPeriod: nil,
                                 summary: summary(.rejected, site: senderSite, period: nil, problems: [problem]))
        }
        let site = content.site.id, periodLabel = content.period.label

        if caller.role == .site, caller.site != site {
            // Filed under the sender, without a period: it must not take a version of the
            // other site's, nor make the other site's own later submission of these bytes a duplicate.
            let problem = "this token is for site `\(caller.site ?? "")`; it cannot submit a return for site `\(site)`"
            return ImportVerdict(kind: .forbidden, filedSite: senderSite, filedPeriod: nil,
                                 summary: summary(.rejected, site: site, period: periodLabel, problems: [problem]))
        }

        var problems: [String] = []
        var late = false
        var warnings: [String] = []
        let period: Period
        do {
            period = try Period(parsing: periodLabel)
        } catch {
            let problem = "its period `\(periodLabel)` is not a period pioneer knows (\(error))"
            return ImportVerdict(kind: .unprocessable, filedSite: site, filedPeriod: periodLabel,
                                 summary: summary(.rejected, site: site, period: periodLabel, problems: [problem],
                                                  values: Self.values(of: content, rejectedBecause: problem)))
        }
        var aggregator = Aggregator(programme: programme, period: period, asOf: IntakeTime.day(received))
        aggregator.adxDefinitions = .receivedReturns
        if let problem = aggregator.problem(with: item) {
            problems.append(problem)
        }
        if programme.expects(period) {
            let day = IntakeTime.day(received)
            let soft = programme.deadlines.softDeadline(of: period), hard = programme.deadlines.hardDeadline(of: period)
            late = day > soft
            if day > hard {
                warnings.append("received on \(day), after the hard deadline of \(hard): stored and marked late, but the national aggregate counts a return this late as missing")
            }
        }
        if !content.complete {
            let missing = content.missing.count
            warnings.append("the return is marked incomplete: \(missing) required measure\(missing == 1 ? " is" : "s are") missing")
        }

        guard problems.isEmpty else {
            return ImportVerdict(kind: .unprocessable, filedSite: site, filedPeriod: periodLabel,
                                 summary: summary(.rejected, site: site, period: periodLabel, late: late, problems: problems,
                                                  values: Self.values(of: content, rejectedBecause: problems[0])))
        }
        let values = Self.values(of: content, rejectedBecause: nil)
        let status: ImportStatus = warnings.isEmpty && !values.contains { $0.status == "warning" } ? .accepted : .acceptedWithWarnings
        return ImportVerdict(kind: .created, filedSite: site, filedPeriod: periodLabel,
                             summary: summary(status, site: site, period: periodLabel, late: late, problems: warnings, values: values),
                             content: content)
    }

    /// Every value of the return and what became of it. When the return is refused
    /// (`rejectedBecause`), every value is rejected: those that break a rule with their own
    /// reason, the rest with the return's, so no value reads as taken.
    static func values(of content: SiteReturn, rejectedBecause returnProblem: String?) -> [ValueOutcome] {
        content.indicators.flatMap { indicator in
            indicator.measures.map { measure in
                let broken = ValueRules.problems(of: measure, in: indicator)
                if !broken.isEmpty {
                    return ValueOutcome(indicator: indicator.id, period: measure.period.label, status: "rejected",
                                        reason: broken.joined(separator: "; "))
                }
                if let returnProblem {
                    return ValueOutcome(indicator: indicator.id, period: measure.period.label, status: "rejected",
                                        reason: "not taken: the return was rejected (\(returnProblem))")
                }
                if let missing = measure.notAvailable {
                    let why = missing.detail.isEmpty ? missing.reason : "\(missing.reason): \(missing.detail)"
                    return ValueOutcome(indicator: indicator.id, period: measure.period.label, status: "warning",
                                        reason: "no value: \(why)")
                }
                return ValueOutcome(indicator: indicator.id, period: measure.period.label, status: "accepted")
            }
        }
    }

    /// The first field of `content` the store keeps as text (in its columns, not inside JSON)
    /// that holds U+0000, by its place in the return: `site.id`, `indicators[2].id`.
    static func fieldWithNUL(in content: SiteReturn) -> String? {
        func nul(_ text: String?) -> Bool { text?.utf8.contains(0) ?? false }
        if nul(content.site.id) { return "site.id" }
        if nul(content.period.label) { return "period.label" }
        if nul(content.generatedAt) { return "generatedAt" }
        for (index, indicator) in content.indicators.enumerated() {
            if nul(indicator.id) { return "indicators[\(index)].id" }
            if nul(indicator.definitionVersion) { return "indicators[\(index)].definitionVersion" }
            for (place, measure) in indicator.measures.enumerated() {
                let path = "indicators[\(index)].measures[\(place)]"
                if nul(measure.period.label) { return "\(path).period.label" }
                if nul(measure.notAvailable?.reason) { return "\(path).notAvailable.reason" }
                if nul(measure.notAvailable?.detail) { return "\(path).notAvailable.detail" }
            }
        }
        for (index, goal) in content.goals.enumerated() {
            let path = "goals[\(index)]"
            if nul(goal.id) { return "\(path).id" }
            if nul(goal.indicator) { return "\(path).indicator" }
            if nul(goal.title) { return "\(path).title" }
            if nul(goal.status) { return "\(path).status" }
            if nul(goal.selfAssessment.rag) { return "\(path).selfAssessment.rag" }
            if nul(goal.selfAssessment.confidence) { return "\(path).selfAssessment.confidence" }
            if nul(goal.agreement) { return "\(path).agreement" }
        }
        return nil
    }

    /// Why bytes could not be read as a return: malformed, or (an unknown schema version) readable but refused.
    struct ReadFailure: Error, Sendable {
        var message: String
        var unprocessable: Bool
    }

    /// The return in `bytes` as the aggregator takes it, or why it cannot be read. An ADX
    /// return's indicators are defined from `catalogue`; its content digest stands for the digest.
    static func read(_ bytes: [UInt8], format: SubmissionFormat, catalogue: DefinitionCatalogue, source: String,
                     receivedOn: CalendarDate? = nil) -> Result<ReceivedReturn, ReadFailure> {
        switch format {
        case .json:
            do {
                let content = try ReturnReader.read(data: Data(bytes), file: source)
                return .success(ReceivedReturn(source: source, content: content, receivedOn: receivedOn,
                                               digestCheck: try? ReturnCoding.verify(content, encoded: bytes)))
            } catch {
                return .failure(ReadFailure(message: error.message, unprocessable: error.kind == .unknownSchemaVersion))
            }
        case .adx:
            do {
                let document = try ADXReader.read(data: Data(bytes), file: source)
                let resolution = document.resolved(with: catalogue)
                return .success(ReceivedReturn(
                    source: source, content: resolution.siteReturn,
                    format: .adx(contentDigest: document.contentDigestCheck, unresolved: resolution.unresolved), receivedOn: receivedOn))
            } catch {
                let place = error.line.map { "line \($0), column \(error.column ?? 1): " } ?? ""
                return .failure(ReadFailure(message: "is not a readable ADX return: \(place)\(error.message)", unprocessable: false))
            }
        }
    }
}
