// Writing `pioneer spc`'s results as JSON or CSV, streamed in large chunks: the benchmark
// writes 600,000 points, so nothing is built as one string or a tree of dictionaries.
import Foundation
import PioneerGoals

/// Writes each series' chart as it is analysed, through a fixed buffer flushed to stdout
/// (Array's append cost a tenth of the benchmark's time in small copies).
final class SPCOutputWriter {
    enum Format: String, CaseIterable {
        case json, csv
    }

    let format: Format
    private static let capacity = 1 << 20
    private let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    private var count = 0
    private var seriesWritten = 0

    init(format: Format) {
        self.format = format
    }

    deinit {
        buffer.deallocate()
    }

    func begin() {
        switch format {
        case .json: append("{\"series\":[")
        case .csv: append("series,index,value,mean,lower_limit,upper_limit,point_type,special_cause,variation,assurance\n")
        }
    }

    /// One series: its chart, or its points without limits when there are too few.
    func write(_ series: SPCInputSeries, result: SPCResult) {
        switch format {
        case .json: writeJSON(series, result: result)
        case .csv: writeCSV(series, result: result)
        }
        seriesWritten += 1
    }

    func end() {
        if format == .json { append(seriesWritten == 0 ? "]}\n" : "\n]}\n") }
        flush()
    }

    // MARK: JSON

    private func writeJSON(_ series: SPCInputSeries, result: SPCResult) {
        append(seriesWritten == 0 ? "\n{\"id\":" : ",\n{\"id\":")
        appendJSONString(series.id)
        switch result {
        case .chart(let chart):
            append(",\"variation\":\"\(chart.variation.rawValue)\",\"assurance\":")
            if let assurance = chart.assurance { append("\"\(assurance.rawValue)\"") } else { append("null") }
            append(",\"points\":[")
            var phase = -1
            var limits = ""
            for (offset, point) in chart.points.enumerated() {
                if point.phase != phase {
                    phase = point.phase
                    // The same for every point of a phase: formatted once.
                    // A phase of one point has no limits: null, as NHSRplotthedots' NaN.
                    let lower = point.hasLimits ? number(point.lowerLimit) : "null"
                    let upper = point.hasLimits ? number(point.upperLimit) : "null"
                    limits = ",\"mean\":\(number(point.mean)),\"lower_limit\":\(lower),\"upper_limit\":\(upper),\"point_type\":\""
                }
                append(offset == 0 ? "\n{\"index\":" : ",\n{\"index\":")
                append(String(series.indices[offset]))
                append(",\"value\":")
                append(number(point.value))
                append(limits)
                append(point.pointType.rawValue)
                if let rule = point.specialCause {
                    append("\",\"special_cause\":\"")
                    append(rule.rawValue)
                    append("\"}")
                } else {
                    append("\",\"special_cause\":null}")
                }
            }
            append("\n]}")
        case .notEnoughPoints(let have, let need):
            append(",\"variation\":null,\"assurance\":null,\"not_enough_points\":{\"have\":\(have),\"need\":\(need)},\"points\":[")
            for offset in series.values.indices {
                append(offset == 0 ? "\n{\"index\":" : ",\n{\"index\":")
                append(String(series.indices[offset]))
                append(",\"value\":")
                append(number(series.values[offset]))
                append(",\"mean\":null,\"lower_limit\":null,\"upper_limit\":null,\"point_type\":null,\"special_cause\":null}")
            }
            append("\n]}")
        }
    }

    private func appendJSONString(_ text: String) {
        append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                append("\\u00")
                append(hex[Int(byte >> 4)])
                append(hex[Int(byte & 0xF)])
            default: append(byte)
            }
        }
        append(UInt8(ascii: "\""))
    }

    // MARK: CSV

    private func writeCSV(_ series: SPCInputSeries, result: SPCResult) {
        let id = csvField(series.id)
        switch result {
        case .chart(let chart):
            let tail = "," + chart.variation.rawValue + "," + (chart.assurance?.rawValue ?? "") + "\n"
            var phase = -1
            var limits = ""
            for (offset, point) in chart.points.enumerated() {
                if point.phase != phase {
                    phase = point.phase
                    limits = point.hasLimits ? ",\(number(point.mean)),\(number(point.lowerLimit)),\(number(point.upperLimit)),"
                        : ",\(number(point.mean)),,,"
                }
                append(id)
                append(",")
                append(String(series.indices[offset]))
                append(",")
                append(number(point.value))
                append(limits)
                append(point.pointType.rawValue)
                append(",")
                if let rule = point.specialCause { append(rule.rawValue) }
                append(tail)
            }
        case .notEnoughPoints:
            for offset in series.values.indices {
                append(id)
                append(",")
                append(String(series.indices[offset]))
                append(",")
                append(number(series.values[offset]))
                append(",,,,,,,\n")
            }
        }
    }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    private func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Bytes

    /// The shortest text that reads back as the same Double; JSON's null for the
    /// (unreachable with finite input short of overflow) infinities.
    private func number(_ value: Double) -> String {
        value.isFinite ? value.description : (format == .json ? "null" : "")
    }

    private func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0.baseAddress, $0.count) }
    }

    private func append(_ text: StaticString) {
        append(text.utf8Start, text.utf8CodeUnitCount)
    }

    private func append(_ byte: UInt8) {
        if count == Self.capacity { flush() }
        buffer[count] = byte
        count += 1
    }

    private func append(_ bytes: UnsafePointer<UInt8>?, _ length: Int) {
        guard let bytes, length > 0 else { return }
        if count + length > Self.capacity { flush() }
        if length > Self.capacity {
            writeAll(bytes, length)
            return
        }
        (buffer + count).update(from: bytes, count: length)
        count += length
    }

    /// Writes the buffer to stdout.
    private func flush() {
        writeAll(buffer, count)
        count = 0
    }

    /// Writes to stdout; a closed pipe drops the rest quietly.
    private func writeAll(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        var offset = 0
        while offset < length {
            let written = writeStandardOutput(bytes + offset, length - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// POSIX write(2) to stdout; outside the writer, whose own `write` would hide it.
private func writeStandardOutput(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(STDOUT_FILENO, bytes, count)
}
