// The variation and assurance icons as NHS readers know them from Making Data Count: the ring's
// colour says improvement, concern, neutral or common cause; the letter says the side (H or L)
// or the assurance (P, F, ?); each icon names itself for a screen reader.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReport
import Testing

@Suite("Making Data Count icons")
struct MDCIconTests {
    /// The goal's two icons, parsed: variation then assurance.
    static func icons(variation: SPCPointType, assurance: Assurance?, better: Direction) throws -> (variation: MarkupNode, assurance: MarkupNode) {
        var values = ReportFixture.admissions
        values[values.count - 1] = 25
        let chart = SPCChart(points: ReportFixture.chart(values).points.enumerated().map { offset, point in
            var point = point
            if offset == values.count - 1 { point.pointType = variation; point.specialCause = variation == .commonCause ? nil : .outsideLimits }
            return point
        }, variation: variation, assurance: assurance)
        let progress = ReportFixture.progress(values: values, chart: chart, definition: ReportFixture.definition(better: better))
        let html = SiteReport(site: ReportFixture.site, goals: [progress]).html()
        let section = String(try #require(html.components(separatedBy: "<section class=\"goal\"").last))
        let icons = try MarkupNode.svgs(in: section, class: "mdc-icon")
        #expect(icons.count == 2)
        return (try #require(icons.first), try #require(icons.last))
    }

    static func ringColour(_ icon: MarkupNode) -> String? { icon.first("circle")?.attributes["stroke"] }
    static func letter(_ icon: MarkupNode) -> String? { icon.first("text")?.text }

    @Test(arguments: [
        (SPCPointType.specialCauseImprovement, Direction.higher, "H", "#00b0f0"),
        (.specialCauseImprovement, .lower, "L", "#00b0f0"),
        (.specialCauseConcern, .higher, "L", "#e46c0a"),
        (.specialCauseConcern, .lower, "H", "#e46c0a"),
        (.specialCauseNeutralHigh, .neutral, "H", "#490092"),
        (.specialCauseNeutralLow, .neutral, "L", "#490092"),
    ])
    func aSpecialCauseIconHasItsColourAndSide(type: SPCPointType, better: Direction, letter: String, colour: String) throws {
        let icon = try Self.icons(variation: type, assurance: nil, better: better).variation
        #expect(icon.attributes["data-icon"] == type.rawValue)
        #expect(Self.ringColour(icon) == colour)
        #expect(Self.letter(icon) == letter)
        #expect(icon.first("text")?.attributes["fill"] == colour)
        #expect(icon.attributes["role"] == "img")
        let title = try #require(icon.first("title"))
        #expect(icon.attributes["aria-labelledby"] == title.attributes["id"])
        #expect(title.text == "Variation: \(type.words), \(letter == "H" ? "higher" : "lower") values")
    }

    @Test func commonCauseIsAGreyRingWithoutALetter() throws {
        let icon = try Self.icons(variation: .commonCause, assurance: nil, better: .lower).variation
        #expect(Self.ringColour(icon) == "#a6a6a6")
        #expect(icon.first("text") == nil)
        #expect(icon.first("title")?.text == "Variation: common cause, no significant change")
    }

    @Test(arguments: [
        (Assurance.consistentPass, "P", "#00b0f0"),
        (.consistentFail, "F", "#e46c0a"),
        (.inconsistent, "?", "#a6a6a6"),
    ])
    func theAssuranceIconSaysPassFailOrInconsistent(assurance: Assurance, letter: String, colour: String) throws {
        let icon = try Self.icons(variation: .commonCause, assurance: assurance, better: .lower).assurance
        #expect(icon.attributes["data-icon"] == assurance.rawValue)
        #expect(Self.ringColour(icon) == colour)
        #expect(Self.letter(icon) == letter)
        #expect(icon.first("title")?.text == "Assurance: \(assurance.words) (\(letter))")
        #expect(icon.first("line")?.attributes["stroke-dasharray"] != nil, "the target drawn dashed across the icon")
    }

    @Test func withoutATargetTheAssuranceIconIsAnEmptyRing() throws {
        let icon = try Self.icons(variation: .commonCause, assurance: nil, better: .lower).assurance
        #expect(icon.attributes["data-icon"] == "none")
        #expect(icon.first("text") == nil)
        #expect(icon.first("title")?.text.hasPrefix("Assurance: none") == true)
    }

    @Test func theKeyShowsEveryIconWithItsMeaning() throws {
        let html = SiteReport(site: ReportFixture.site, goals: []).html()
        let key = String(try #require(html.components(separatedBy: "<section class=\"key-section\">").last?.components(separatedBy: "</section>").first))
        let icons = try MarkupNode.svgs(in: key, class: "mdc-icon")
        #expect(icons.map { $0.attributes["data-icon"] ?? "" } == [
            "common_cause", "special_cause_improvement", "special_cause_improvement", "special_cause_concern",
            "special_cause_concern", "special_cause_neutral_high", "consistent_pass", "consistent_fail", "inconsistent",
        ])
        #expect(icons.compactMap(Self.letter) == ["H", "L", "L", "H", "H", "P", "F", "?"])
    }
}
