// The Making Data Count icons, drawn as small SVGs: a ringed circle whose colour says
// improvement, concern, neutral or common cause, with "H" or "L" for the side of the special
// cause; and the assurance icon with "P" (will pass the target), "F" (will fail) or "?".
// NHS readers know these from board papers, so the report keeps their shapes and letters.
import PioneerGoals
import PioneerKit

enum MDCIcon {
    /// Which side of the mean the latest special cause lies: the letter on the icon.
    enum Side { case high, low }

    /// The variation icon for the latest point's label.
    static func variation(_ type: SPCPointType, better: Direction, id: String) -> String {
        let side = side(of: type, better: better)
        let letter = side.map { $0 == .high ? "H" : "L" } ?? ""
        let colour = MDCPalette.colour(of: type)
        let words: String
        switch (type, side) {
        case (.commonCause, _): words = "Variation: common cause, no significant change"
        case (_, .high?): words = "Variation: \(type.words), higher values"
        case (_, .low?): words = "Variation: \(type.words), lower values"
        case (_, nil): words = "Variation: \(type.words)"
        }
        var body = ring(colour: colour)
        if letter.isEmpty {
            body += dots(rising: nil, colour: MDCPalette.commonCause, highlight: nil)
        } else {
            body += letterText(letter, colour: colour)
            body += dots(rising: side == .high, colour: "#7f7f7f", highlight: colour)
        }
        return icon(kind: "variation", type: type.rawValue, id: id, words: words, body: body)
    }

    /// The assurance icon: nil (no target) draws an empty grey ring.
    static func assurance(_ assurance: Assurance?, id: String) -> String {
        let colour = MDCPalette.colour(of: assurance)
        var body = ring(colour: colour)
        let words: String
        switch assurance {
        case .consistentPass?:
            words = "Assurance: \(Assurance.consistentPass.words) (P)"
            body += letterText("P", colour: colour) + targetLine(colour: colour, y: 72) + processLine(y: 60)
        case .consistentFail?:
            words = "Assurance: \(Assurance.consistentFail.words) (F)"
            body += letterText("F", colour: colour) + targetLine(colour: colour, y: 58) + processLine(y: 70)
        case .inconsistent?:
            words = "Assurance: \(Assurance.inconsistent.words) (?)"
            body += letterText("?", colour: colour) + targetLine(colour: colour, y: 64) + processLine(y: 64)
        case nil:
            words = "Assurance: none, the goal has no target the chart can be judged against"
        }
        return icon(kind: "assurance", type: assurance?.rawValue ?? "none", id: id, words: words, body: body)
    }

    /// H when the special cause is above the mean, L below; nil for common cause.
    static func side(of type: SPCPointType, better: Direction) -> Side? {
        switch type {
        case .commonCause: nil
        case .specialCauseNeutralHigh: .high
        case .specialCauseNeutralLow: .low
        case .specialCauseImprovement: better == .lower ? .low : .high
        case .specialCauseConcern: better == .lower ? .high : .low
        }
    }

    private static func icon(kind: String, type: String, id: String, words: String, body: String) -> String {
        """
        <svg class="mdc-icon \(kind)" data-icon="\(type)" role="img" aria-labelledby="\(id)" width="56" height="56" viewBox="0 0 100 100" xmlns="http://www.w3.org/2000/svg">\
        <title id="\(id)">\(HTMLText.escape(words))</title>\(body)</svg>
        """
    }

    private static func ring(colour: String) -> String {
        "<circle cx=\"50\" cy=\"50\" r=\"44\" fill=\"#ffffff\" stroke=\"\(colour)\" stroke-width=\"7\"/>"
    }

    private static func letterText(_ letter: String, colour: String) -> String {
        "<text x=\"50\" y=\"45\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-weight=\"700\" font-size=\"34\" fill=\"\(colour)\">\(letter)</text>"
    }

    /// Five dots along a line: flat and grey for common cause; rising or falling with the last two coloured.
    private static func dots(rising: Bool?, colour: String, highlight: String?) -> String {
        let ys: [Double]
        switch rising {
        case nil: ys = [66, 60, 68, 61, 65]
        case true?: ys = [72, 74, 70, 58, 52]
        case false?: ys = [58, 56, 60, 72, 78]
        }
        let xs: [Double] = [24, 37, 50, 63, 76]
        var out = "<polyline points=\"\(zip(xs, ys).map { "\(Int($0)),\(Int($1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#7f7f7f\" stroke-width=\"2\"/>"
        for (index, (x, y)) in zip(xs, ys).enumerated() {
            let fill = index >= 3 ? (highlight ?? colour) : colour
            out += "<circle cx=\"\(Int(x))\" cy=\"\(Int(y))\" r=\"5\" fill=\"\(fill)\"/>"
        }
        return out
    }

    private static func targetLine(colour: String, y: Int) -> String {
        "<line x1=\"14\" y1=\"\(y)\" x2=\"86\" y2=\"\(y)\" stroke=\"\(colour)\" stroke-width=\"3\" stroke-dasharray=\"7 3\"/>"
    }

    private static func processLine(y: Int) -> String {
        "<polyline points=\"22,\(y) 34,\(y - 5) 46,\(y + 3) 58,\(y - 4) 70,\(y + 2) 80,\(y - 2)\" fill=\"none\" stroke=\"#7f7f7f\" stroke-width=\"3\"/>"
    }
}
