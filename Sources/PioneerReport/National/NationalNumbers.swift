// Numbers in the national report on each indicator's own scale: a proportion as a
// percentage, an amount in pounds, a rate per its factor, counts with thousands separators.
import PioneerAggregate
import PioneerExtraction

enum NationalNumbers {
    /// `41.3%`, `£1,204`, `3.52`.
    static func value(_ number: Double, valueType: String, decimals: Int) -> String {
        formatValue(number, valueType: valueType, decimals: decimals)
    }

    static func value(_ indicator: IndicatorAggregate, _ number: Double) -> String {
        value(number, valueType: indicator.valueType, decimals: indicator.decimals)
    }

    static func value(_ series: PooledSeries, _ number: Double) -> String {
        value(number, valueType: series.valueType, decimals: series.decimals)
    }

    /// A numerator or denominator: whole numbers without decimals.
    static func part(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? formatNumber(number, decimals: 0) : formatNumber(number, decimals: 2)
    }

    /// φ and τ² as the text and the report print them.
    static func statistic(_ number: Double) -> String {
        guard number.isFinite else { return "not defined" }
        if number == 0 { return "0" }
        if abs(number) >= 0.001 && abs(number) < 1e6 { return formatNumber(number, decimals: 3) }
        // A small τ² of a proportion: four significant figures.
        var exponent = 0
        var scaled = abs(number)
        while scaled < 1 { scaled *= 10; exponent += 1 }
        return formatNumber(number, decimals: exponent + 3)
    }
}
