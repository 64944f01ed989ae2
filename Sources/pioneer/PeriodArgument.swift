// Reading a period option (`--sample 2026-03`) while argument-parser parses, so a period it
// cannot read is a usage error (exit 2) that names the option and says what is accepted.
import ArgumentParser
import PioneerKit

enum PeriodArgument {
    /// `text` as a ``Period``; a ``ValidationError`` with the period parser's reason otherwise.
    static func parse(_ text: String) throws -> Period {
        do {
            return try Period(parsing: text)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
