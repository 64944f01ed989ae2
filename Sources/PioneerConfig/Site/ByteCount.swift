// Sizes as people write them in configuration (`512KB`, `20MB`, `1GB`, `1048576`)
// and as messages print them.
import Foundation
import PioneerKit
import PioneerExtraction

/// Reading and printing byte counts. Units are binary: 1KB is 1,024 bytes.
package enum ByteCount {
    /// Why a size could not be read.
    package enum ParseError: Error, Equatable {
        case notASize
        case notPositive
    }

    /// The bytes in `text`: a whole number, optionally followed by `B`, `KB`, `MB` or `GB`
    /// (any case, with or without a space; `KiB` and friends accepted too).
    package static func parse(_ text: String) throws(ParseError) -> Int {
        let trimmed = text.trimmingWhitespace().replacingOccurrences(of: "_", with: "")
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingWhitespace().uppercased()
        let multiplier: Int
        switch unit {
        case "", "B": multiplier = 1
        case "K", "KB", "KIB": multiplier = 1024
        case "M", "MB", "MIB": multiplier = 1024 * 1024
        case "G", "GB", "GIB": multiplier = 1024 * 1024 * 1024
        default: throw .notASize
        }
        guard !digits.isEmpty, let count = Int(digits) else { throw .notASize }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw .notASize }
        guard bytes > 0 else { throw .notPositive }
        return bytes
    }

    /// `2 MB`, `512 KB`, `300 bytes`.
    package static func describe(_ bytes: Int) -> String {
        let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)]
        for (name, size) in units where bytes >= size {
            let value = Double(bytes) / Double(size)
            let shown = value.rounded() == value ? String(Int(value)) : formatNumber(value, decimals: 1)
            return "\(shown) \(name)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }
}

extension StringProtocol {
    /// The text without leading or trailing whitespace.
    func trimmingWhitespace() -> String {
        trimmingWhitespaceFast()
    }
}
