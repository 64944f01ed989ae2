// Reading a plain decimal straight from its bytes. A large extract holds millions of numbers
// like `7`, `1042` or `12.5`; making a String of each for Double(_:) cost more than reading
// the rest of the row. Only the cases where one multiplication or division gives exactly
// what Double(_:) gives are read here; every other text goes to Double(_:) as before.

/// The exactly-rounded value of a short decimal written in bytes.
enum DecimalBytes {
    /// Powers of ten a Double holds exactly.
    private static let powers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `bytes` as a number when they are `-?digits(.digits)?([eE][+-]?digits)?` and the value
    /// is found exactly (at most 2^53 as a whole number of units, a power of ten up to 10^22);
    /// nil otherwise, and the caller reads the text the general way.
    ///
    /// A double holds both operands exactly, and one IEEE operation rounds correctly, so the
    /// result is the one a correctly rounding reader gives (Clinger's fast path).
    static func value(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let count = bytes.count
        var index = 0
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        /// Adds the digits from `index` to the mantissa; how many there were.
        func takeDigits() -> Int {
            let start = index
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            digits += index - start
            return index - start
        }
        guard takeDigits() > 0 else { return nil }
        var exponent = 0
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fraction = takeDigits()
            guard fraction > 0 else { return nil }
            exponent = -fraction
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var negativeExponent = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negativeExponent = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            let exponentStart = index
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                written = written * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                guard written < 1000 else { return nil }
                index += 1
            }
            guard index > exponentStart else { return nil }
            exponent += negativeExponent ? -written : written
        }
        guard index == count else { return nil }
        return exact(mantissa, digits: digits, exponent: exponent, negative: negative)
    }

    /// The value `mantissa` × 10^`exponent` when one operation finds it exactly, else nil.
    private static func exact(_ mantissa: UInt64, digits: Int, exponent: Int, negative: Bool) -> Double? {
        // 19 digits always fit in 64 bits; past 2^53 a double no longer holds every whole number.
        guard digits <= 19, mantissa <= 1 << 53 else { return nil }
        var value = Double(mantissa)
        if mantissa != 0 {
            guard exponent >= -22 && exponent <= 22 else { return nil }
            value = exponent < 0 ? value / powers[-exponent] : value * powers[exponent]
        }
        return negative ? -value : value
    }

    /// `bytes` as `number_format: readable` (`thousands` `,`, `decimal` `.`) or
    /// `readable-decimal-comma` (`.` and `,`) reads them, for the usual shapes only: an
    /// optional `-` and one currency sign (`£`, `€`, `$`) before the digits, in either order;
    /// the digits in groups of three after the first when separated (`1,204`, `3,945,237`);
    /// an optional decimal part. nil for anything else (a space, brackets, `%`, a currency
    /// after the digits, a number not found exactly), which the caller reads as text, as
    /// ``NumberFormat/parse(_:)`` does, with the same result for what both read.
    static func readable(_ bytes: UnsafeRawBufferPointer, decimal: UInt8, thousands: UInt8) -> Double? {
        let count = bytes.count
        var index = 0
        var negative = false
        var currency = false
        while index < count {
            if bytes[index] == UInt8(ascii: "-"), !negative {
                negative = true
                index += 1
            } else if !currency, let length = currencyLength(bytes, at: index) {
                currency = true
                index += length
            } else {
                break
            }
        }
        var mantissa: UInt64 = 0
        var digits = 0
        /// Adds the digits from `index` to the mantissa; how many there were.
        func takeDigits() -> Int {
            let start = index
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10, digits + index - start < 20 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            digits += index - start
            return index - start
        }
        let head = takeDigits()
        guard head > 0 else { return nil }
        if index < count, bytes[index] == thousands {
            guard head <= 3 else { return nil }
            while index < count, bytes[index] == thousands {
                index += 1
                guard takeDigits() == 3 else { return nil }
            }
        }
        var exponent = 0
        if index < count, bytes[index] == decimal {
            index += 1
            let fraction = takeDigits()
            guard fraction > 0 else { return nil }
            exponent = -fraction
        }
        guard index == count else { return nil }
        return exact(mantissa, digits: digits, exponent: exponent, negative: negative)
    }

    /// The length of the currency sign at `index` (`$`, `£`, `€` in UTF-8), or nil.
    private static func currencyLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let rest = bytes.count - index
        if bytes[index] == UInt8(ascii: "$") { return 1 }
        if rest >= 2, bytes[index] == 0xC2, bytes[index + 1] == 0xA3 { return 2 }
        if rest >= 3, bytes[index] == 0xE2, bytes[index + 1] == 0x82, bytes[index + 2] == 0xAC { return 3 }
        return nil
    }
}
