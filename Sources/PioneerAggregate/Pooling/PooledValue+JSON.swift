// A pooled value, its left-out sites and its spread as the national aggregate's JSON
// carries them: keys in JSONEncoder's sorted order, nil optionals left out.

extension PooledValue: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        try out.field("denominator", denominator)
        try out.field("leftOut", leftOut)
        out.field("method", method)
        try out.field("numerator", numerator)
        out.field("sites", sites)
        try out.field("spread", spread)
        try out.field("value", value)
    }
}

extension LeftOutSite: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) {
        out.field("reason", reason)
        out.field("site", site)
    }
}

extension Spread: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        try out.field("lowerQuartile", lowerQuartile)
        try out.field("maximum", maximum)
        try out.field("median", median)
        try out.field("minimum", minimum)
        try out.field("upperQuartile", upperQuartile)
    }
}
