// Small text formats the simulated systems share: UK dates, money, NHS numbers.
import PioneerKit

extension CalendarDate {
    /// `03/05/2024`, as UK council systems export dates.
    var ukText: String {
        (day < 10 ? "0" : "") + String(day) + "/" + (month < 10 ? "0" : "") + String(month) + "/" + String(year)
    }
}

/// Pounds with two decimals and no separators, as exports write them: `1234.50`.
func poundsText(_ value: Double) -> String {
    DemoJSON.fixed(value, decimals: 2)
}

/// Ten-digit NHS numbers with a valid modulus 11 check digit.
enum NHSNumber {
    /// A valid NHS number drawn from `random`, as ten digits without spaces.
    ///
    /// Numbers start with 9 (the range issued in England since 1996); draws whose
    /// check digit would be 10 are redrawn, as the NHS does.
    static func draw(using random: inout SplitMix64) -> String {
        while true {
            var digits = [9]
            for _ in 0..<8 { digits.append(random.integer(in: 0...9)) }
            var sum = 0
            for (position, digit) in digits.enumerated() { sum += digit * (10 - position) }
            let check = 11 - sum % 11
            if check == 10 { continue }
            digits.append(check == 11 ? 0 : check)
            return digits.map(String.init).joined()
        }
    }

    /// `9434765919` as people write it, `943 476 5919`.
    static func spaced(_ number: String) -> String {
        let characters = Array(number)
        guard characters.count == 10 else { return number }
        return String(characters[0..<3]) + " " + String(characters[3..<6]) + " " + String(characters[6..<10])
    }
}
