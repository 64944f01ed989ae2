// What `pioneer plugin test` found for one period, printed as a table or as JSON.
import Foundation
import PioneerCollect
import PioneerExtraction
import PioneerKit

struct PluginTestResult {
    struct Request: Encodable {
        var key: String
        var feed: String
        var url: String
        var file: String
    }

    var period: Period
    var requests: [Request] = []
    var observation: Observation?
    var error: String?

    init(period: Period) {
        self.period = period
    }

    /// One row per period, then the requests each was answered with.
    static func table(_ results: [PluginTestResult], definition: IndicatorDefinition) -> String {
        var table = TextTable(["PERIOD", "VALUE", "SHOWN", "NUMERATOR", "DENOMINATOR", "N", "95% INTERVAL", "NOTE"],
                              rightAligned: [1, 2, 3, 4, 5])
        for result in results {
            let observation = result.observation
            let note = result.error.map { "error: \($0)" } ?? observation?.notAvailable.map { "not available: \($0)" } ?? ""
            table.add([
                result.period.label,
                observation?.value.map(plain) ?? "-",
                observation?.value.map(definition.format) ?? "-",
                observation?.numerator.map(plain) ?? "",
                observation?.denominator.map(plain) ?? "",
                observation?.sampleSize.map(String.init) ?? "",
                observation?.interval.map { "\(plain($0.lower)) to \(plain($0.upper))" } ?? "",
                note,
            ])
        }
        var lines = table.render() + "\n"
        let asked = results.flatMap { result in result.requests.map { (result.period, $0) } }
        if !asked.isEmpty {
            lines += "\nRequests answered from files:\n"
            for (period, request) in asked {
                lines += "  \(period.label)  \(request.key) (feed \(request.feed)) \(request.url) <- \(request.file)\n"
            }
        }
        return lines
    }

    /// A number as a plugin author wants to check it: up to six decimals, no separators.
    /// From 10^15, where a double holds no decimals, and below 10^-6, Swift's shortest form:
    /// `1e+20`, not `100000000000000000000.` (nor 309 digits for 1e308); `1e-07`, not `0`.
    static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        guard abs(value) < 1e15, abs(value) >= 1e-6 else { return "\(value)" }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private struct JSONResult: Encodable {
        struct Interval: Encodable {
            var lower: Double
            var upper: Double
        }
        var period: String
        var value: Double?
        var numerator: Double?
        var denominator: Double?
        var n: Int?
        var interval: Interval?
        var notAvailable: String?
        var error: String?
        var requests: [Request]

        enum CodingKeys: String, CodingKey {
            case period, value, numerator, denominator, n, interval, notAvailable = "not_available", error, requests
        }
    }

    static func json(_ results: [PluginTestResult]) -> String {
        let rows = results.map { result in
            JSONResult(period: result.period.label, value: result.observation?.value, numerator: result.observation?.numerator,
                       denominator: result.observation?.denominator, n: result.observation?.sampleSize,
                       interval: result.observation?.interval.map { JSONResult.Interval(lower: $0.lower, upper: $0.upper) },
                       notAvailable: result.observation?.notAvailable?.description, error: result.error, requests: result.requests)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(rows)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
