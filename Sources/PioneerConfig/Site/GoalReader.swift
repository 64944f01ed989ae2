// Reads a site's `goals:` list: which indicator each goal is on, where it starts and
// aims to be (in that indicator's kind of period), the path between, and the site's
// own assessment.
import Foundation
import PioneerCore
import PioneerKit

/// Reads `goals:` into ``Goal``s, reporting every problem.
struct GoalReader {
    /// Every indicator id declared, valid or not.
    let declaredIDs: [String]
    /// The period and value types each declared indicator states, valid or not: a goal's
    /// own mistakes are reported even when its indicator has others.
    let declaredTypes: [String: IndicatorReader.DeclaredTypes]
    let issues: IssueCollector

    func read(_ items: [ConfigNode]) -> [Goal] {
        var goals: [Goal] = []
        var firstLine: [String: Int] = [:]
        for item in items {
            let errorsBefore = errorCount
            let goal = readGoal(item)
            if let idNode = item["id"], let id = idNode.scalar, SiteIdentifier.isIdentifier(id) {
                if let line = firstLine[id] {
                    issues.error("duplicate goal id `\(id)` (first at line \(line)); ids must be unique in a site", at: idNode)
                    continue
                }
                firstLine[id] = idNode.location.line
            }
            if let goal, errorCount == errorsBefore {
                goals.append(goal)
            }
        }
        return goals
    }

    private func readGoal(_ item: ConfigNode) -> Goal? {
        let reader = ConfigReader(item, issues: issues)
        let id = identifier(reader)
        let indicatorID = readIndicatorID(reader)
        let title = reader.string("title", required: true)
        let types = indicatorID.flatMap { declaredTypes[$0] }
        let periodType = types?.period
        let valueType = types?.value
        let baseline = reader.section("baseline", required: true).flatMap { periodValue($0, type: periodType, valueType: valueType) }
        let target = reader.section("target", required: true).flatMap { periodValue($0, type: periodType, valueType: valueType) }
        if let baseline, let target, target.period <= baseline.period, let node = item["target"]?["period"] {
            issues.error("the target period `\(target.period.label)` must be after the baseline `\(baseline.period.label)`", at: node)
        }
        if let baseline, let target, let better = types?.better, let node = item["target"]?["value"] {
            warnIfWorse(target: target.value, baseline: baseline.value, better: better, at: node)
        }
        let trajectory = reader.node("trajectory").flatMap {
            readTrajectory($0, type: periodType, valueType: valueType, baseline: baseline, target: target)
        }
        let assessment = reader.section("self_assessment").map(readAssessment) ?? SelfAssessment()
        let tolerance = reader.double("tolerance", in: ProgressSettingsReader.tolerance,
                                      example: ProgressSettingsReader.toleranceExample)
        reader.finish()
        guard let id, let indicatorID, let title, let baseline, let target else { return nil }
        return Goal(id: id, indicatorID: indicatorID, title: title, baseline: baseline, target: target,
                    trajectory: trajectory ?? .linear, assessment: assessment, tolerance: tolerance,
                    location: item.location)
    }

    private var errorCount: Int { issues.issues.count(where: { $0.severity == .error }) }

    private func identifier(_ reader: ConfigReader) -> String? {
        guard let text = reader.string("id", required: true), let node = reader.node["id"] else { return nil }
        guard SiteIdentifier.isIdentifier(text) else {
            issues.error("goal id `\(text.escapingControlCharacters())` \(SiteIdentifier.rule(for: text))", at: node)
            return nil
        }
        return text
    }

    private func readIndicatorID(_ reader: ConfigReader) -> String? {
        guard let text = reader.string("indicator", required: true), let node = reader.node["indicator"] else { return nil }
        guard declaredIDs.contains(text) else {
            let declared = declaredIDs.isEmpty
                ? "the site declares no indicators"
                : "the site declares " + quotedList(declaredIDs)
            issues.error("unknown indicator `\(text)`\(didYouMean(text, among: declaredIDs)); \(declared)", at: node)
            return nil
        }
        return text
    }

    /// `{ period: …, value: … }`, the period of the indicator's type and the value in its
    /// range when they are known.
    private func periodValue(_ reader: ConfigReader, type: PeriodType?, valueType: ValueType?) -> PeriodValue? {
        let period = reader.period("period", required: true, type: type)
        var value = reader.double("value", required: true)
        reader.finish()
        if let number = value, valueType == .proportion, !(0...1).contains(number), let node = reader.node["value"] {
            issues.error(Self.proportionAdvice(number), at: node)
            value = nil
        }
        guard let period, let value else { return nil }
        return PeriodValue(period: period, value: value)
    }

    /// A target on the worse side of the baseline is judged `achieved` once the indicator has
    /// worsened that far. It may be meant (a rise held to a limit), so it is a warning.
    private func warnIfWorse(target: Double, baseline: Double, better: Direction, at node: ConfigNode) {
        let worse: String
        switch better {
        case .lower where target > baseline: worse = "above"
        case .higher where target < baseline: worse = "below"
        default: return
        }
        let written = { (number: Double) in String(format: "%g", number) }
        issues.warning("the target `\(written(target))` is \(worse) the baseline `\(written(baseline))`, but \(better.rawValue) is better for this indicator: the goal counts as achieved once the indicator has got worse; check the target, or the indicator's `better`", at: node)
    }

    /// Proportions are stored and compared as fractions, as the plugins compute them; a
    /// goal written in percent would sit a hundred times above every measure.
    static func proportionAdvice(_ number: Double) -> String {
        let written = String(format: "%g", number)
        if number > 1, number <= 100 {
            return "a proportion's goal values are fractions between 0 and 1, found `\(written)`; for \(written)% write `\(String(format: "%g", number / 100))`"
        }
        return "a proportion's goal values are fractions between 0 and 1 (0.37 for 37%), found `\(written)`"
    }

    private func readTrajectory(_ node: ConfigNode, type: PeriodType?, valueType: ValueType?,
                                baseline: PeriodValue?, target: PeriodValue?) -> Trajectory? {
        if let text = node.scalar {
            guard text == "linear" else {
                issues.error("`\(text)` is not a trajectory; write `linear` or a list of milestones such as `- { period: \(type?.exampleLabel ?? "2026-06"), value: 22.8 }`", at: node)
                return nil
            }
            return .linear
        }
        guard let items = node.items else {
            issues.error("expected `linear` or a list of milestones, found \(node.kindDescription)", at: node)
            return nil
        }
        var milestones: [PeriodValue] = []
        for item in items {
            let reader = ConfigReader(item, issues: issues)
            guard let milestone = periodValue(reader, type: type, valueType: valueType), let periodNode = item["period"] else { continue }
            if let baseline, let target, milestone.period < baseline.period || milestone.period > target.period {
                issues.error("milestone `\(milestone.period.label)` is outside the goal's span, from the baseline `\(baseline.period.label)` to the target `\(target.period.label)`", at: periodNode)
                continue
            }
            // The baseline and the target set the line's ends; a milestone there would be ignored.
            let end = milestone.period == baseline?.period ? "baseline" : milestone.period == target?.period ? "target" : nil
            if let end, let baseline, let target {
                issues.error("milestone `\(milestone.period.label)` is at the \(end)'s period, where the \(end) sets the value; give milestones between the baseline `\(baseline.period.label)` and the target `\(target.period.label)`", at: periodNode)
                continue
            }
            if let previous = milestones.last, milestone.period <= previous.period {
                issues.error("milestones must be in time order, each after the one before: `\(milestone.period.label)` follows `\(previous.period.label)`", at: periodNode)
                continue
            }
            milestones.append(milestone)
        }
        return .milestones(milestones)
    }

    private func readAssessment(_ reader: ConfigReader) -> SelfAssessment {
        let confidence: Confidence? = reader.choice("confidence")
        let rag: RAG? = reader.choice("rag")
        let narrative = reader.string("narrative")
        var asOf: CalendarDate?
        if let node = reader.node("as_of") {
            if let text = node.scalar, let date = CalendarDate(iso: text.trimmingWhitespace()) {
                asOf = date
            } else {
                issues.error("`\(node.scalar ?? node.kindDescription)` is not a date; write YYYY-MM-DD, e.g. `2026-10-31`", at: node)
            }
        }
        reader.finish()
        return SelfAssessment(confidence: confidence, rag: rag, narrative: narrative, asOf: asOf)
    }
}
