// The returns the intake load test sends: distinct, valid and signed, as `pioneer return` makes
// them (the return model, signed by ReturnCoding), a fixed number of indicators each.
import Crypto
import Foundation
import PioneerReturns
import PioneerKit

/// Distinct signed returns for a set of sites and months, as many versions of each as asked.
///
/// Each (site, month) return is built from the model and encoded once by ``ReturnCoding``;
/// its versions differ only in `generatedAt`, a fixed-width timestamp, so a version is that
/// canonical encoding with the timestamp replaced and its SHA-256 digest appended: a
/// submission costs two SHA-256 passes, not a 150-value encoding, and is made when it is
/// sent, so thousands need no more memory than one return per (site, month). The first is
/// decoded and checked by ``ReturnCoding/verify(_:)`` before any is used, so a change to
/// the encoding cannot slip by.
struct BenchIntakeReturns: Sendable {
    /// One return ready to send.
    struct Submission: Sendable {
        var site: String
        var period: String
        var body: Data
        /// `sha256:<hex>` of `body`, as the service records what it received.
        var digest: String
    }

    /// The first month unless told otherwise: returns are for `months` months from here.
    static let defaultFirstMonth = (year: 2024, month: 1)

    /// One per (site, month), site fastest, so consecutive submissions rarely race for the
    /// same site and period.
    private let templates: [Template]

    init(sites: [String], months: Int, indicators: Int,
         firstMonth: (year: Int, month: Int) = BenchIntakeReturns.defaultFirstMonth) throws {
        guard !sites.isEmpty, months > 0, indicators > 0 else {
            throw BenchIntakeError("the returns need at least one site, one month and one indicator")
        }
        var templates: [Template] = []
        // Indicator n is defined alike in every return: its version is hashed once.
        var versions: [Int: String] = [:]
        for month in 0..<months {
            for site in sites {
                templates.append(try Template(site: site, month: month, indicators: indicators, firstMonth: firstMonth,
                                              versions: &versions))
            }
        }
        self.templates = templates
        guard let first = templates.first else { throw BenchIntakeError("no returns to make") }
        let decoded = try JSONDecoder().decode(SiteReturn.self, from: try first.version(0).body)
        guard try ReturnCoding.verify(decoded) == .valid else {
            throw BenchIntakeError("a generated return does not pass ReturnCoding.verify; the generator is out of step with the encoding")
        }
    }

    /// Submission `index`: (site, month) `index` modulo their number, version `index` divided by it.
    func submission(_ index: Int) throws -> Submission {
        try templates[index % templates.count].version(index / templates.count)
    }

    /// Writes the first version of each (site, month) return among the first `count`
    /// submissions to `folder`/SITE/PERIOD.json: the same bytes the service receives.
    func save(count: Int, to folder: String) throws {
        let root = URL(fileURLWithPath: folder)
        for index in 0..<min(count, templates.count) {
            let submission = try templates[index].version(0)
            let siteFolder = root.appendingPathComponent(submission.site)
            do {
                try FileManager.default.createDirectory(at: siteFolder, withIntermediateDirectories: true)
                try submission.body.write(to: siteFolder.appendingPathComponent(submission.period + ".json"))
            } catch {
                throw BenchIntakeError("cannot write the return \(submission.site) \(submission.period) to \(siteFolder.path): \(error.localizedDescription)")
            }
        }
    }

    /// A (site, month) return encoded canonically, its `generatedAt` located.
    private struct Template: Sendable {
        let site: String
        let period: String
        let canonical: [UInt8]
        /// Where the 24 characters of the `generatedAt` value start in ``canonical``.
        let stampOffset: Int
        /// The month its versions are made in, `2026-01`: the one after its period.
        let madeMonth: String

        /// - Parameter versions: the definition versions of the indicators by number, as far as known.
        init(site: String, month: Int, indicators: Int, firstMonth: (year: Int, month: Int),
             versions: inout [Int: String]) throws {
            let period = Self.period(month, after: firstMonth)
            // Made in the month after the period: a return is made once its period is over.
            let after = Self.period(month + 1, after: firstMonth).label
            let made = after + "-01T00:00:00.000Z"
            let provenance = ReturnProvenance(plugin: "json", runID: 1, collectedAt: made, sources: [])
            var entries: [ReturnIndicator] = []
            var random = SplitMix(seed: UInt64(truncatingIfNeeded: (site + period.label).hashValueStable))
            for number in 1...indicators {
                let id = "indicator-" + String(format: "%03d", number)
                let measure: ReturnMeasure
                let valueType: String
                switch number % 3 {
                case 0:
                    valueType = "proportion"
                    let denominator = Double(50 + random.next() % 2_000)
                    let numerator = Double(random.next() % UInt64(denominator + 1))
                    measure = ReturnMeasure(period: period, value: numerator / denominator, numerator: numerator,
                                            denominator: denominator, provenance: provenance)
                case 1:
                    valueType = "rate"
                    let denominator = Double(2_000 + random.next() % 200_000)
                    let numerator = Double(random.next() % 2_000)
                    measure = ReturnMeasure(period: period, value: numerator / denominator * 1000, numerator: numerator,
                                            denominator: denominator, provenance: provenance)
                default:
                    valueType = "count"
                    measure = ReturnMeasure(period: period, value: Double(random.next() % 5_000), provenance: provenance)
                }
                let indicator = ReturnIndicator(
                    id: id, name: "Indicator \(number)", kind: "outcome", valueType: valueType,
                    unit: valueType == "proportion" ? "%" : valueType == "rate" ? "per 1,000" : "people",
                    factor: valueType == "rate" ? 1000 : nil, better: "higher", decimals: 1,
                    definitionVersion: versions[number], measures: [measure])
                versions[number] = indicator.definitionVersion
                entries.append(indicator)
            }
            let content = SiteReturn(
                generator: Generator(version: "0.1.0"),
                site: SiteIdentity(id: site, name: "Bench site \(site)", region: "England", wave: "1"),
                period: period, generatedAt: made, complete: true, missing: [], indicators: entries, goals: [],
                runs: [ReturnRun(id: 1, startedAt: made, finishedAt: made, status: "finished", periods: period.label)])
            let canonical = [UInt8](try ReturnCoding.canonical(content))
            let key = Array(#""generatedAt":""#.utf8)
            guard let start = canonical.firstRange(of: key)?.upperBound, start + 24 <= canonical.count else {
                throw BenchIntakeError("the canonical encoding of a return has no generatedAt where the generator expects it")
            }
            self.site = site
            self.period = period.label
            self.canonical = canonical
            stampOffset = start
            madeMonth = after
        }

        /// Version `number`: made `number` seconds after the first, signed.
        func version(_ number: Int) throws -> Submission {
            var bytes = canonical
            let seconds = number % 60, minutes = (number / 60) % 60, hours = (number / 3600) % 24, day = 1 + number / 86_400
            guard day <= 28 else { throw BenchIntakeError("more than 28 days of versions of one return") }
            let stamp = madeMonth + String(format: "-%02dT%02d:%02d:%02d.000Z", day, hours, minutes, seconds)
            bytes.replaceSubrange(stampOffset..<(stampOffset + 24), with: Array(stamp.utf8))
            let contentDigest = HexText.lowercase(SHA256.hash(data: bytes))
            // The canonical encoding ends with the object's closing brace; the digest goes in before it.
            bytes.removeLast()
            bytes += Array(#","digest":{"algorithm":"sha256","value":"\#(contentDigest)"}}"#.utf8)
            let body = Data(bytes)
            return Submission(site: site, period: period, body: body, digest: "sha256:" + HexText.lowercase(SHA256.hash(data: body)))
        }

        /// Month `index` after `firstMonth`, written out in full.
        static func period(_ index: Int, after firstMonth: (year: Int, month: Int)) -> ReturnPeriod {
            let months = firstMonth.year * 12 + (firstMonth.month - 1) + index
            let year = months / 12, month = months % 12 + 1
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            let label = String(format: "%04d-%02d", year, month)
            return ReturnPeriod(label: label, type: "month", start: label + "-01", end: label + String(format: "-%02d", days))
        }
    }
}

/// SplitMix64: the same values on every run and platform, unlike Swift's seeded hashing.
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private extension String {
    /// FNV-1a over the UTF-8 bytes: a seed that is the same on every run (`hashValue` is not).
    var hashValueStable: UInt64 {
        utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
