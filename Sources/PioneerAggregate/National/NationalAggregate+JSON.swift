// The national aggregate as the intake service's `GET /v1/aggregate` answers it: written
// straight into bytes, byte for byte what JSONEncoder with sorted keys writes. Keys are
// listed in JSONEncoder's order (sorted by UTF-8 bytes); a nil optional is left out.
import PioneerKit

extension NationalAggregate: JSONWritable {
    /// The compact JSON of the aggregate, with sorted keys and slashes unescaped.
    ///
    /// - Throws: ``JSONOutput/NonFiniteNumber`` for a NaN or infinite figure, as JSONEncoder does.
    package func jsonBytes() throws(JSONOutput.NonFiniteNumber) -> [UInt8] {
        try JSONOutput.bytes(of: self, capacity: estimatedJSONSize)
    }

    /// Room for the whole answer up front, so it is never copied to grow: a site's value and
    /// funnel point take about 380 bytes (seventeen-digit figures, short site ids).
    private var estimatedJSONSize: Int {
        let perIndicator = indicators.reduce(0) { $0 + 1024 + $1.sites.count * 448 }
        return 4096 + completeness.sites.count * 160 + (rejected.count + otherPeriods.count) * 256 + perIndicator
    }

    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        out.field("accepted", accepted)
        try out.field("completeness", completeness)
        try out.field("confidenceGaps", confidenceGaps)
        try out.field("funnelOptions", funnelOptions)
        out.field("goalsNotCarried", goalsNotCarried)
        try out.field("indicators", indicators)
        try out.field("otherPeriods", otherPeriods)
        out.field("period", period)
        out.field("programme", programme)
        try out.field("rejected", rejected)
        try out.field("themes", themes)
    }
}

extension Completeness: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        out.field("asOf", asOf.description)
        out.field("hardDeadline", hardDeadline.description)
        try out.field("sites", sites)
        out.field("softDeadline", softDeadline.description)
    }
}

extension SiteCompleteness: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) {
        if let rejected { out.field("rejected", rejected) }
        out.field("site", site)
        out.field("source", source)
        out.field("status", status)
        out.field("submitted", submitted)
    }
}

extension RejectedReturn: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) {
        out.field("period", period)
        out.field("reason", reason)
        out.field("site", site)
        out.field("source", source)
        out.field("superseded", superseded)
    }
}

extension ThemeSummary: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) {
        out.field("achieved", achieved)
        out.field("atRisk", atRisk)
        out.field("goals", goals)
        out.field("noData", noData)
        out.field("noStatus", noStatus)
        out.field("offTrack", offTrack)
        out.field("onTrack", onTrack)
        out.field("theme", theme)
    }
}

extension ConfidenceGap: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) {
        out.field("agreement", agreement)
        out.field("confidence", confidence)
        out.field("goal", goal)
        out.field("rag", rag)
        out.field("site", site)
        out.field("status", status)
        out.field("theme", theme)
        out.field("title", title)
    }
}
