// A funnel plot, its points, limits and options as the national aggregate's JSON carries
// them: keys in JSONEncoder's sorted order (`lower95` before `lower998`).

extension FunnelPlot: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        try out.field("centre", centre)
        out.field("distribution", distribution)
        out.field("isAdjusted", isAdjusted)
        try out.field("leftOut", leftOut)
        try out.field("options", options)
        try out.field("phi", phi)
        try out.field("points", points)
        try out.field("scale", scale)
        try out.field("tau2", tau2)
    }
}

extension FunnelPoint: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        try out.field("denominator", denominator)
        try out.field("limits", limits)
        out.field("position", position)
        out.field("site", site)
        try out.field("value", value)
        try out.field("zScore", zScore)
    }
}

extension FunnelLimits: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        try out.field("lower95", lower95)
        try out.field("lower998", lower998)
        try out.field("upper95", upper95)
        try out.field("upper998", upper998)
    }
}

extension FunnelOptions: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        out.field("overdispersion", overdispersion)
        try out.field("winsorising", winsorising)
    }
}
