// The return as a FHIR R4 `collection` Bundle of summary MeasureReports shaped like the Da
// Vinci DEQM Summary MeasureReport profile, for offices whose systems take FHIR. The mapping
// is documented in docs/returns.md; scripts/check-fhir.py parses a bundle with the
// fhir.resources models and checks its references.
import Crypto
import Foundation

/// A FHIR R4 Bundle made from a return.
///
/// - one `Organization` for the site (identifier `https://pioneer.example/fhir/sid/site`),
///   then one `MeasureReport` per indicator-period, in the return's order.
/// - every entry's `fullUrl` is `urn:uuid:` and a name-based (version 5) UUID of the site,
///   period and indicator, and its resource `id` is the same UUID: two runs give the same ids.
/// - a MeasureReport: `status` `complete`, or `pending` in every report of an incomplete
///   return; `type` `summary`; `measure` `https://pioneer.example/fhir/Measure/<id>|<definitionVersion>`;
///   `date` when the return was made; `reporter` the Organization; `period` to the day.
/// - its one group: populations `numerator` and `denominator` when the measure has them
///   (a whole number as `count`; a part that is not whole, such as a mid-year population
///   estimate, in the extension ``populationAmountURL`` instead), `measureScore` the value
///   (a proportion between 0 and 1 in UCUM unit `1`).
/// - `improvementNotation` `increase` (higher is better) or `decrease`; none for neutral.
///
/// A value not available has no `measureScore`; the group carries the standard
/// `data-absent-reason` extension (`masked` for suppressed, `error` for a feed that was
/// down, `temp-unknown` for not yet due, `unknown` otherwise) and the reason in words in
/// ``notAvailableURL``.
public enum FHIRMeasureReportBundle {
    public static let base = "https://pioneer.example/fhir"
    public static let siteIdentifierSystem = base + "/sid/site"
    public static let populationSystem = "http://terminology.hl7.org/CodeSystem/measure-population"
    public static let improvementSystem = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
    public static let dataAbsentReasonURL = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
    public static let populationAmountURL = base + "/StructureDefinition/population-amount"
    public static let notAvailableURL = base + "/StructureDefinition/not-available"
    /// RFC 4122's URL namespace: the names hashed are URLs under ``base``.
    static let urlNamespace: [UInt8] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]

    /// The bundle's JSON: keys sorted, indented.
    ///
    /// - Throws: ``ReturnFormatError`` when a number is not finite (JSON cannot hold it).
    public static func json(_ siteReturn: SiteReturn) throws(ReturnFormatError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(bundle(siteReturn))) + [0x0A]
        } catch {
            throw ReturnFormatError(format: "fhir", "a measure of \(siteReturn.site.id) is not a finite number, which FHIR cannot hold")
        }
    }

    /// The bundle of `siteReturn`.
    public static func bundle(_ siteReturn: SiteReturn) -> Bundle {
        let site = siteReturn.site
        let organizationID = uuid(name: "\(base)/site/\(site.id)")
        var entries = [Bundle.Entry(fullUrl: "urn:uuid:" + organizationID, resource: .organization(Organization(
            id: organizationID, identifier: [Identifier(system: siteIdentifierSystem, value: site.id)], name: site.name)))]
        for indicator in siteReturn.indicators {
            for measure in indicator.measures {
                let id = uuid(name: "\(base)/site/\(site.id)/period/\(measure.period.label)/indicator/\(indicator.id)")
                entries.append(Bundle.Entry(fullUrl: "urn:uuid:" + id, resource: .measureReport(
                    report(id: id, indicator: indicator, measure: measure, siteReturn: siteReturn, organization: "urn:uuid:" + organizationID))))
            }
        }
        return Bundle(timestamp: siteReturn.generatedAt, entry: entries)
    }

    static func report(id: String, indicator: ReturnIndicator, measure: ReturnMeasure, siteReturn: SiteReturn,
                       organization: String) -> MeasureReport {
        var populations: [Population] = []
        for (code, part) in [("numerator", measure.numerator), ("denominator", measure.denominator)] {
            guard let part else { continue }
            let concept = CodeableConcept(coding: [Coding(system: populationSystem, code: code)])
            if part.rounded() == part, abs(part) <= Double(Int32.max) {
                populations.append(Population(id: code, code: concept, count: Int(part)))
            } else {
                populations.append(Population(id: code, code: concept,
                                              extension: [Extension(url: populationAmountURL, valueDecimal: part)]))
            }
        }
        var group = Group(population: populations.isEmpty ? nil : populations)
        if let value = measure.value {
            group.measureScore = indicator.valueType == "proportion"
                ? Quantity(value: value, unit: "1", system: "http://unitsofmeasure.org", code: "1")
                : Quantity(value: value, unit: indicator.unit.isEmpty ? nil : indicator.unit)
        } else {
            let notAvailable = measure.notAvailable
            group.extension = [
                Extension(url: dataAbsentReasonURL, valueCode: absentReason(notAvailable?.reason)),
                Extension(url: notAvailableURL, valueString: notAvailable.map { "\($0.reason): \($0.detail)" } ?? "not available"),
            ]
        }
        let notation: String? = switch indicator.better {
        case "higher": "increase"
        case "lower": "decrease"
        default: nil
        }
        return MeasureReport(
            id: id, status: siteReturn.complete ? "complete" : "pending",
            measure: "\(base)/Measure/\(indicator.id)|\(indicator.definitionVersion)",
            date: siteReturn.generatedAt, reporter: Reference(reference: organization),
            period: FHIRPeriod(start: measure.period.start, end: measure.period.end),
            improvementNotation: notation.map { CodeableConcept(coding: [Coding(system: improvementSystem, code: $0)]) },
            group: [group])
    }

    /// The `data-absent-reason` code of a return's not-available reason.
    public static func absentReason(_ reason: String?) -> String {
        switch reason ?? "" {
        case "suppressed": "masked"
        case "feed-down": "error"
        case "not-yet-due": "temp-unknown"
        default: "unknown"
        }
    }

    /// The RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in the URL namespace,
    /// lowercase: the same name always gives the same UUID.
    public static func uuid(name: String) -> String {
        var hash = Insecure.SHA1()
        hash.update(data: urlNamespace)
        hash.update(data: Array(name.utf8))
        var bytes = Array(hash.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    // The FHIR elements Pioneer writes; nil fields are left out of the JSON.

    public struct Bundle: Sendable, Hashable, Encodable {
        public struct Entry: Sendable, Hashable, Encodable {
            public var fullUrl: String
            public var resource: Resource
        }

        public var resourceType = "Bundle"
        public var type = "collection"
        public var timestamp: String
        public var entry: [Entry]
    }

    public enum Resource: Sendable, Hashable, Encodable {
        case organization(Organization)
        case measureReport(MeasureReport)

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .organization(let organization): try organization.encode(to: encoder)
            case .measureReport(let report): try report.encode(to: encoder)
            }
        }

        public var measureReport: MeasureReport? {
            if case .measureReport(let report) = self { report } else { nil }
        }
    }

    public struct Organization: Sendable, Hashable, Encodable {
        public var resourceType = "Organization"
        public var id: String
        public var identifier: [Identifier]
        public var name: String
    }

    public struct MeasureReport: Sendable, Hashable, Encodable {
        public var resourceType = "MeasureReport"
        public var id: String
        public var status: String
        public var type = "summary"
        public var measure: String
        public var date: String
        public var reporter: Reference
        public var period: FHIRPeriod
        public var improvementNotation: CodeableConcept?
        public var group: [Group]
    }

    public struct Group: Sendable, Hashable, Encodable {
        public var `extension`: [Extension]?
        public var population: [Population]?
        public var measureScore: Quantity?
    }

    public struct Population: Sendable, Hashable, Encodable {
        public var id: String
        public var `extension`: [Extension]?
        public var code: CodeableConcept
        public var count: Int?

        init(id: String, code: CodeableConcept, count: Int? = nil, extension: [Extension]? = nil) {
            self.id = id
            self.extension = `extension`
            self.code = code
            self.count = count
        }
    }

    public struct Extension: Sendable, Hashable, Encodable {
        public var url: String
        public var valueCode: String?
        public var valueString: String?
        public var valueDecimal: Double?

        init(url: String, valueCode: String? = nil, valueString: String? = nil, valueDecimal: Double? = nil) {
            self.url = url
            self.valueCode = valueCode
            self.valueString = valueString
            self.valueDecimal = valueDecimal
        }
    }

    public struct Identifier: Sendable, Hashable, Encodable {
        public var system: String
        public var value: String
    }

    public struct Reference: Sendable, Hashable, Encodable {
        public var reference: String
    }

    public struct FHIRPeriod: Sendable, Hashable, Encodable {
        public var start: String
        public var end: String
    }

    public struct CodeableConcept: Sendable, Hashable, Encodable {
        public var coding: [Coding]
    }

    public struct Coding: Sendable, Hashable, Encodable {
        public var system: String
        public var code: String
    }

    public struct Quantity: Sendable, Hashable, Encodable {
        public var value: Double
        public var unit: String?
        public var system: String?
        public var code: String?

        init(value: Double, unit: String?, system: String? = nil, code: String? = nil) {
            self.value = value
            self.unit = unit
            self.system = system
            self.code = code
        }
    }
}
