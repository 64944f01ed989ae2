// Why the intake load test could not run or check its results, in plain English.

/// A failure of `pioneer bench-intake` itself (not a missed target).
struct BenchIntakeError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
