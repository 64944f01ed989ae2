// The shape of one simulated quantity over time: level, trend, winter peak and the intervention's effect.
import PioneerKit

/// The expected value of a monthly quantity, before noise.
///
/// ```
/// mean(month) = level × (1 + trend × years since April 2023)
///                     × (1 + winter × seasonal shape of the calendar month)
///                     × (1 + effect × ramp since the intervention started)
/// ```
/// The seasonal shape is a cosine peaking in January (+1) with its trough in July
/// (−1), written out as a table so no platform's `cos` can change the output.
/// The ramp grows linearly from the intervention's first month to 1 after
/// `rampMonths`: a service takes months to reach everyone.
struct MonthlySeries: Sendable {
    /// Mean in April 2023, before seasonality.
    var level: Double
    /// Relative change per year from the start of the history (0.02 is 2% a year).
    var trend: Double = 0
    /// Relative size of the winter peak (0.15 puts January 15% above the yearly average).
    var winter: Double = 0
    /// Relative change once the intervention is fully in place (−0.1 is a 10% fall).
    var effect: Double = 0
    /// Months the intervention takes to reach full effect.
    var rampMonths: Int = 6

    /// cos(2π(m − 1)/12) for January (m = 1) to December.
    static let seasonalShape: [Double] = [1, 0.866, 0.5, 0, -0.5, -0.866, -1, -0.866, -0.5, 0, 0.5, 0.866]

    func mean(in month: Period, interventionStart: Period) -> Double {
        let years = Double(DemoHistory.firstMonth.distance(to: month)) / 12
        let season = Self.seasonalShape[month.start.month - 1]
        let monthsRunning = interventionStart.distance(to: month)
        let ramp = monthsRunning < 0 ? 0 : min(1, Double(monthsRunning + 1) / Double(max(1, rampMonths)))
        return level * (1 + trend * years) * (1 + winter * season) * (1 + effect * ramp)
    }

    /// The expected value as a probability, kept within 0.01…0.99.
    func probability(in month: Period, interventionStart: Period) -> Double {
        min(0.99, max(0.01, mean(in: month, interventionStart: interventionStart)))
    }
}
