// A small seeded random number generator, so that every run of the demo serves the same numbers.

/// SplitMix64 (Steele, Lea and Flood, 2014): a fast 64-bit generator whose output
/// depends only on its seed.
///
/// Everything it produces is built from integer arithmetic, `+`, `*` and `sqrt`
/// (which IEEE 754 rounds exactly), so the simulator's output is byte-for-byte the
/// same on every platform and every run. It deliberately does not conform to
/// `RandomNumberGenerator`: the standard library's `random(in:using:)` algorithms
/// may change between Swift releases, and the demo's numbers must not.
struct SplitMix64: Sendable {
    private(set) var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one stream of one site, e.g. ("torbay", "reablement", month index).
    ///
    /// The seed is a 64-bit FNV-1a hash of the names, mixed with the index, so streams
    /// are independent and stable (Swift's `Hasher` is randomised per process).
    init(_ site: String, _ stream: String, _ index: Int = 0) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in site.utf8 + [0x1F] + stream.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: hash ^ (UInt64(bitPattern: Int64(index)) &* 0x9E37_79B9_7F4A_7C15))
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        uniform() < p
    }

    /// Uniform integer in `range` (the modulo bias is far below anything the demo shows).
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// Approximately standard normal: the Irwin–Hall sum of twelve uniforms, minus six.
    mutating func standardNormal() -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += uniform() }
        return sum - 6
    }

    /// A count of events with mean `mean`: Poisson-like noise (variance equal to the mean).
    mutating func count(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        return max(0, Int((mean + mean.squareRoot() * standardNormal()).rounded()))
    }

    /// How many of `trials` succeed with probability `p` each.
    mutating func binomial(_ trials: Int, _ p: Double) -> Int {
        guard trials > 0 else { return 0 }
        let p = min(1, max(0, p))
        if trials <= 500 {
            var successes = 0
            for _ in 0..<trials where uniform() < p { successes += 1 }
            return successes
        }
        let mean = Double(trials) * p
        let spread = (mean * (1 - p)).squareRoot()
        return min(trials, max(0, Int((mean + spread * standardNormal()).rounded())))
    }

    /// `value` multiplied by a normal factor around 1 with relative spread `spread`.
    mutating func jitter(_ value: Double, spread: Double) -> Double {
        value * (1 + spread * standardNormal())
    }

    /// One of `choices`, drawn with the given weights (which need not sum to 1).
    mutating func pick<T>(_ choices: [(T, Double)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var point = uniform() * total
        for (choice, weight) in choices {
            if point < weight { return choice }
            point -= weight
        }
        return choices[choices.count - 1].0
    }

    /// One element of a non-empty list, uniformly.
    mutating func element<T>(of list: [T]) -> T {
        list[integer(in: 0...(list.count - 1))]
    }
}
