// `pioneer aggregate`'s table and CSV: the national aggregate as a person reads it in a
// terminal, and as a spreadsheet user opens it.
import Foundation
import PioneerAggregate
import PioneerCollect
import PioneerExtraction
import PioneerKit

enum AggregateOutput {
    // MARK: Table

    static func table(_ national: NationalAggregate) -> String {
        var sections: [String] = []
        let completeness = national.completeness
        sections.append("\(national.programme): national aggregate for \(national.period) (as of \(completeness.asOf))")

        var grid = TextTable(["SITE", "RETURN", "MADE", "FILE"])
        for site in completeness.sites {
            grid.addShown([site.site, site.status.rawValue, site.submitted ?? "",
                           site.source ?? site.rejected.map { "\($0) (rejected, below)" } ?? ""])
        }
        let counts = SubmissionStatus.allCases.map { "\(completeness.count($0)) \($0.rawValue)" }.joined(separator: ", ")
        sections.append("""
            Completeness (on time to \(completeness.softDeadline), late to \(completeness.hardDeadline))
            \(completeness.sites.isEmpty ? "no sites expected for this period" : grid.render())
            \(counts)
            """)

        for (title, items) in [("Rejected returns, kept out of the totals", national.rejected.filter { !$0.superseded }),
                               ("Superseded returns (the site's later return, or the same one, is counted)", national.rejected.filter(\.superseded))]
            where !items.isEmpty {
            var table = TextTable(["FILE", "SITE", "PERIOD", "REASON"])
            for item in items {
                table.addShown([item.source, item.site.isEmpty ? "not readable" : item.site, item.period.isEmpty ? "not readable" : item.period, item.reason])
            }
            sections.append(title + "\n" + table.render())
        }
        if !national.otherPeriods.isEmpty {
            // A folder of every return ever received names many periods: the earliest and latest few say enough.
            let labels = Set(national.otherPeriods.map(\.period)).sorted()
            let shown = labels.count <= 8 ? labels : Array(labels.prefix(4)) + ["…"] + Array(labels.suffix(3))
            let periods = shown.joined(separator: ", ").escapingControlCharacters()
            let count = national.otherPeriods.count
            sections.append("\(count) return\(count == 1 ? "" : "s") for \(labels.count) other period\(labels.count == 1 ? "" : "s") set aside (\(periods))")
        }
        sections.append(indicatorTable(national))
        sections += national.indicators.map(siteTable)
        sections.append(goalTable(national))
        return sections.joined(separator: "\n\n") + "\n"
    }

    private static func indicatorTable(_ national: NationalAggregate) -> String {
        var table = TextTable(["INDICATOR", "TYPE", "SITES", "NATIONAL", "NUMERATOR", "DENOMINATOR", "MIN", "Q1", "Q3", "MAX", "METHOD"],
                              rightAligned: [2, 3, 4, 5, 6, 7, 8, 9])
        for indicator in national.indicators {
            let pooled = indicator.pooled
            let spread = pooled?.spread
            table.addShown([
                indicator.id, indicator.valueType, "\(pooled?.sites.count ?? 0)/\(indicator.sites.count)",
                pooled?.value.map { value(indicator, $0) } ?? "–",
                pooled?.numerator.map(part) ?? "", pooled?.denominator.map(part) ?? "",
                spread.map { value(indicator, $0.minimum) } ?? "", spread.map { value(indicator, $0.lowerQuartile) } ?? "",
                spread.map { value(indicator, $0.upperQuartile) } ?? "", spread.map { value(indicator, $0.maximum) } ?? "",
                indicator.notPooled ?? pooled.map { $0.method.rawValue } ?? "",
            ])
        }
        let options = national.funnelOptions
        func noMeasures(_ national: NationalAggregate) -> String {
            let none = "no indicator has a measure for \(national.period) in the accepted returns"
            // A quarter's or year's return of monthly indicators carries the months inside it.
            guard !national.accepted.isEmpty, let period = try? Period(parsing: national.period), period.type != .month else { return none }
            return none + "; a return for \(period.type.article) \(period.type.displayName) carries each indicator's own periods inside it "
                + "(its months, for monthly indicators), pooled period by period in --history (JSON) and --format html"
        }
        return """
            Indicators (funnel limits 95% and 99.8%, overdispersion: \(options.overdispersion.rawValue), winsorised at \(Int(options.winsorising * 100))%)
            \(national.indicators.isEmpty ? noMeasures(national) : table.render())
            """
    }

    private static func siteTable(_ indicator: IndicatorAggregate) -> String {
        var table = TextTable(["SITE", "VALUE", "INTERVAL", "NUMERATOR", "DENOMINATOR", "FUNNEL"], rightAligned: [1, 3, 4])
        for site in indicator.sites {
            let interval = site.lower.flatMap { lower in site.upper.map { "\(value(indicator, lower))–\(value(indicator, $0))" } } ?? ""
            table.addShown([site.site, site.value.map { value(indicator, $0) } ?? "– (\(site.notAvailable ?? "no value"))", interval,
                       site.numerator.map(part) ?? "", site.denominator.map(part) ?? "", site.position?.rawValue ?? ""])
        }
        var lines = ["\(indicator.id): \(indicator.name) (\(indicator.unit))".escapingControlCharacters(), table.render()]
        if let funnel = indicator.funnel {
            let adjustment = funnel.isAdjusted
                ? "limits widened for overdispersion (\(funnel.options.overdispersion.rawValue), φ = \(formatNumber(funnel.phi, decimals: 3)), τ² = \(String(format: "%.4g", funnel.tau2 * funnel.scale * funnel.scale)))"
                : "φ = \(formatNumber(funnel.phi, decimals: 3)), no overdispersion adjustment"
            lines.append("Funnel: \(funnel.distribution.rawValue) around \(value(indicator, funnel.pooledValue)); \(adjustment)")
            let outside = funnel.outside.map { "\($0.site) (\($0.position.phrase))" }
            lines.append(outside.isEmpty ? "Every site is inside the 95% limits." : "Outside the limits (named, not ranked): " + outside.joined(separator: ", ").escapingControlCharacters())
        } else if let reason = indicator.funnelUnavailable {
            lines.append("Funnel: \(reason)")
        }
        for left in indicator.pooled?.leftOut ?? [] {
            lines.append("Left out of the national value: \(left.site), \(left.reason)".escapingControlCharacters())
        }
        return lines.joined(separator: "\n")
    }

    private static func goalTable(_ national: NationalAggregate) -> String {
        var themes = TextTable(["THEME", "ACHIEVED", "ON TRACK", "AT RISK", "OFF TRACK", "NO DATA", "NO STATUS"], rightAligned: [1, 2, 3, 4, 5, 6])
        for theme in national.themes {
            themes.addShown([theme.theme, "\(theme.achieved)", "\(theme.onTrack)", "\(theme.atRisk)", "\(theme.offTrack)", "\(theme.noData)", "\(theme.noStatus)"])
        }
        var text = "Goals by theme\n" + themes.render()
        if !national.goalsNotCarried.isEmpty {
            text += "\nADX returns carry no goals: \(national.goalsNotCarried.joined(separator: ", ")) (their goals are not counted above)"
        }
        if national.confidenceGaps.isEmpty {
            text += "\n\nConfidence gap: every self-assessment agrees with its computed status, or none was made."
        } else {
            var gaps = TextTable(["SITE", "GOAL", "THEME", "STATUS", "SELF-ASSESSMENT", "AGREEMENT"])
            for gap in national.confidenceGaps {
                let own = [gap.rag, gap.confidence.map { "\($0) confidence" }].compactMap { $0 }.joined(separator: ", ")
                gaps.addShown([gap.site, gap.goal, gap.theme ?? "", gap.status ?? "", own, gap.agreement])
            }
            text += "\n\nConfidence gap (self-assessment against computed status)\n" + gaps.render()
        }
        return text
    }

    /// A value on the indicator's own scale: `41.3%`, `4.2`, `1,204`.
    static func value(_ indicator: IndicatorAggregate, _ number: Double) -> String {
        formatValue(number, valueType: indicator.valueType, decimals: indicator.decimals)
    }

    private static func part(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? formatNumber(number, decimals: 0) : formatNumber(number, decimals: 2)
    }

    // MARK: JSON with the history

    /// The aggregate's JSON with one more key, `history`: the pooled series (`--history`).
    struct WithHistory: Encodable {
        var national: NationalAggregate
        var history: NationalHistory

        private enum Key: String, CodingKey { case history }

        func encode(to encoder: any Encoder) throws {
            try national.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(history, forKey: .history)
        }
    }

    // MARK: CSV

    /// RFC 4180 CSV: one row per indicator and site, then one `national` row per indicator;
    /// numbers unformatted, on the indicator's scale.
    static func csv(_ national: NationalAggregate) -> String {
        let header = ["period", "indicator", "value_type", "factor", "site", "value", "numerator", "denominator",
                      "interval_lower", "interval_upper", "not_available", "definition_version", "funnel_position",
                      "lower_95", "upper_95", "lower_99_8", "upper_99_8", "note"]
        var lines = [header.joined(separator: ",")]
        for indicator in national.indicators {
            for site in indicator.sites {
                let limits = indicator.funnel?.points.first { $0.site == site.site }?.limits
                lines.append(row([
                    national.period, indicator.id, indicator.valueType, indicator.factor.map(String.init) ?? "", site.site,
                    site.value.map(number) ?? "", site.numerator.map(number) ?? "", site.denominator.map(number) ?? "",
                    site.lower.map(number) ?? "", site.upper.map(number) ?? "", site.notAvailable ?? "", site.definitionVersion,
                    site.position?.rawValue ?? "",
                    limits.map { number($0.lower95) } ?? "", limits.map { number($0.upper95) } ?? "",
                    limits.map { number($0.lower998) } ?? "", limits.map { number($0.upper998) } ?? "", "",
                ]))
            }
            let pooled = indicator.pooled
            lines.append(row([
                national.period, indicator.id, indicator.valueType, indicator.factor.map(String.init) ?? "", "national",
                pooled?.value.map(number) ?? "", pooled?.numerator.map(number) ?? "", pooled?.denominator.map(number) ?? "",
                "", "", "", indicator.definitions.count == 1 ? indicator.definitions[0].version : "", "", "", "", "", "",
                indicator.notPooled ?? pooled?.method.rawValue ?? "",
            ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func row(_ fields: [String]) -> String {
        fields.map(CSVText.field).joined(separator: ",")
    }
}

extension TextTable {
    /// Adds a row of text that came from returns, with any control character shown escaped
    /// (`\n`, `\u001b`): a site id or a reason in a return can neither start a line of the
    /// office's table nor send its terminal a control sequence.
    mutating func addShown(_ row: [String]) {
        add(row.map { $0.escapingControlCharacters() })
    }
}
