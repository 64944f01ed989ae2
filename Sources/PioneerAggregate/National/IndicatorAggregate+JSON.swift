// One indicator across the sites as the national aggregate's JSON carries it: written
// straight into bytes, keys in JSONEncoder's sorted order, nil optionals left out.

extension IndicatorAggregate: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        out.field("better", better)
        out.field("decimals", decimals)
        try out.field("definitions", definitions)
        out.field("factor", factor)
        try out.field("funnel", funnel)
        out.field("funnelUnavailable", funnelUnavailable)
        out.field("id", id)
        out.field("name", name)
        out.field("notPooled", notPooled)
        try out.field("pooled", pooled)
        try out.field("sites", sites)
        out.field("unit", unit)
        out.field("valueType", valueType)
    }
}

extension SiteIndicatorValue: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber) {
        out.field("definitionVersion", definitionVersion)
        try out.field("denominator", denominator)
        try out.field("lower", lower)
        out.field("notAvailable", notAvailable)
        try out.field("numerator", numerator)
        out.field("position", position)
        out.field("site", site)
        try out.field("upper", upper)
        try out.field("value", value)
    }
}

extension DefinitionGroup: JSONWritable {
    package func writeMembers(to out: inout JSONOutput) {
        out.field("sites", sites)
        out.field("version", version)
    }
}
