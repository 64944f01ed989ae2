// Reading a well-formed JSON return straight from its bytes into the model, in one pass and
// without Codable: the intake service reads every submission, and JSONDecoder was most of
// its time per return (a 150-value return is some 60 KB of JSON).
//
// It is a fast path only. It accepts a strict subset of what JSONDecoder accepts (plain
// integers for whole-number fields, no duplicate keys, no member the schema lacks, valid
// UTF-8) and builds the same
// value from it; anything else, well-formed or not, makes it give up, and ReturnReader then
// decodes with JSONDecoder, which gives the answer or the error with its JSON path.

/// Decodes a ``SiteReturn`` from JSON bytes, or gives up (nil) for ``ReturnReader`` to decide.
enum ReturnBytesDecoder {
    /// The return in `bytes`, or nil when the fast path does not take them.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> SiteReturn? {
        var reader = Reader(bytes: bytes.bindMemory(to: UInt8.self))
        do throws(GiveUp) {
            if reader.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
            let result = try reader.siteReturn()
            reader.skipWhitespace()
            guard reader.index == reader.bytes.count else { throw GiveUp() }
            return result
        } catch {
            return nil
        }
    }

    /// The fast path does not take these bytes; why does not matter, JSONDecoder will say.
    struct GiveUp: Error {}
}

/// A pull reader over JSON bytes with the model's fields read by name.
/// An object member's key, matched against the model's keys by `switch` with string literals.
private enum Key {
    /// Plain ASCII, as it appears in the input.
    case bytes(UnsafeBufferPointer<UInt8>)
    /// Anything else (escapes, other characters), decoded.
    case text(String)

    static func ~= (pattern: StaticString, key: Key) -> Bool {
        switch key {
        case .bytes(let bytes):
            guard pattern.utf8CodeUnitCount == bytes.count else { return false }
            let literal = pattern.utf8Start
            for offset in 0..<bytes.count where literal[offset] != bytes[offset] { return false }
            return true
        case .text(let text):
            return pattern.withUTF8Buffer { String(decoding: $0, as: UTF8.self) } == text
        }
    }
}

private struct Reader {
    typealias GiveUp = ReturnBytesDecoder.GiveUp

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Nesting of objects and arrays: the model is a few levels deep, so deep nesting is
    /// something else (JSONDecoder then says what).
    private var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: The model

    mutating func siteReturn() throws(GiveUp) -> SiteReturn {
        var schemaVersion: Int?, generator: Generator?, site: SiteIdentity?, period: ReturnPeriod?
        var generatedAt: String?, complete: Bool?, missing: [MissingMeasure]?, indicators: [ReturnIndicator]?
        var goals: [ReturnGoal]?, runs: [ReturnRun]?, digest: Digest??
        try object { reader, key throws(GiveUp) in
            switch key {
            case "schemaVersion": try assign(&schemaVersion, reader.int())
            case "generator": try assign(&generator, reader.generator())
            case "site": try assign(&site, reader.siteIdentity())
            case "period": try assign(&period, reader.period())
            case "generatedAt": try assign(&generatedAt, reader.string())
            case "complete": try assign(&complete, reader.bool())
            case "missing": try assign(&missing, reader.array { reader throws(GiveUp) in try reader.missingMeasure() })
            case "indicators": try assign(&indicators, reader.array { reader throws(GiveUp) in try reader.indicator() })
            case "goals": try assign(&goals, reader.array { reader throws(GiveUp) in try reader.goal() })
            case "runs": try assign(&runs, reader.array { reader throws(GiveUp) in try reader.run() })
            case "digest": try reader.setOptional(&digest) { reader throws(GiveUp) in try reader.digest() }
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return SiteReturn(schemaVersion: try required(schemaVersion), generator: try required(generator),
                          site: try required(site), period: try required(period), generatedAt: try required(generatedAt),
                          complete: try required(complete), missing: try required(missing),
                          indicators: try required(indicators), goals: try required(goals), runs: try required(runs),
                          digest: digest ?? nil)
    }

    private mutating func generator() throws(GiveUp) -> Generator {
        var name: String?, version: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "name": try assign(&name, reader.string())
            case "version": try assign(&version, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return Generator(name: try required(name), version: try required(version))
    }

    private mutating func siteIdentity() throws(GiveUp) -> SiteIdentity {
        var id: String?, name: String?, region: String?, wave: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "id": try assign(&id, reader.string())
            case "name": try assign(&name, reader.string())
            case "region": try assign(&region, reader.string())
            case "wave": try assign(&wave, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return SiteIdentity(id: try required(id), name: try required(name), region: try required(region), wave: try required(wave))
    }

    private mutating func period() throws(GiveUp) -> ReturnPeriod {
        var label: String?, type: String?, start: String?, end: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "label": try assign(&label, reader.string())
            case "type": try assign(&type, reader.string())
            case "start": try assign(&start, reader.string())
            case "end": try assign(&end, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnPeriod(label: try required(label), type: try required(type), start: try required(start), end: try required(end))
    }

    private mutating func missingMeasure() throws(GiveUp) -> MissingMeasure {
        var indicator: String?, period: String?, reason: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "indicator": try assign(&indicator, reader.string())
            case "period": try assign(&period, reader.string())
            case "reason": try assign(&reason, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return MissingMeasure(indicator: try required(indicator), period: try required(period), reason: try required(reason))
    }

    private mutating func indicator() throws(GiveUp) -> ReturnIndicator {
        var id: String?, name: String?, kind: String?, valueType: String?, unit: String?, factor: Int??
        var better: String?, decimals: Int?, definitionVersion: String?, measures: [ReturnMeasure]?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "id": try assign(&id, reader.string())
            case "name": try assign(&name, reader.string())
            case "kind": try assign(&kind, reader.string())
            case "valueType": try assign(&valueType, reader.string())
            case "unit": try assign(&unit, reader.string())
            case "factor": try reader.setOptional(&factor) { reader throws(GiveUp) in try reader.int() }
            case "better": try assign(&better, reader.string())
            case "decimals": try assign(&decimals, reader.int())
            case "definitionVersion": try assign(&definitionVersion, reader.string())
            case "measures": try assign(&measures, reader.array { reader throws(GiveUp) in try reader.measure() })
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnIndicator(id: try required(id), name: try required(name), kind: try required(kind),
                               valueType: try required(valueType), unit: try required(unit), factor: factor ?? nil,
                               better: try required(better), decimals: try required(decimals),
                               definitionVersion: try required(definitionVersion), measures: try required(measures))
    }

    private mutating func measure() throws(GiveUp) -> ReturnMeasure {
        var period: ReturnPeriod?, value: Double??, numerator: Double??, denominator: Double??, sampleSize: Int??
        var interval: ReturnInterval??, notAvailable: ReturnNotAvailable??, provenance: ReturnProvenance?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "period": try assign(&period, reader.period())
            case "value": try reader.setOptional(&value) { reader throws(GiveUp) in try reader.double() }
            case "numerator": try reader.setOptional(&numerator) { reader throws(GiveUp) in try reader.double() }
            case "denominator": try reader.setOptional(&denominator) { reader throws(GiveUp) in try reader.double() }
            case "sampleSize": try reader.setOptional(&sampleSize) { reader throws(GiveUp) in try reader.int() }
            case "interval": try reader.setOptional(&interval) { reader throws(GiveUp) in try reader.interval() }
            case "notAvailable": try reader.setOptional(&notAvailable) { reader throws(GiveUp) in try reader.notAvailable() }
            case "provenance": try assign(&provenance, reader.provenance())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnMeasure(period: try required(period), value: value ?? nil, numerator: numerator ?? nil,
                             denominator: denominator ?? nil, sampleSize: sampleSize ?? nil, interval: interval ?? nil,
                             notAvailable: notAvailable ?? nil, provenance: try required(provenance))
    }

    private mutating func interval() throws(GiveUp) -> ReturnInterval {
        var lower: Double?, upper: Double?, level: Double?, method: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "lower": try assign(&lower, reader.double())
            case "upper": try assign(&upper, reader.double())
            case "level": try assign(&level, reader.double())
            case "method": try assign(&method, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnInterval(lower: try required(lower), upper: try required(upper), level: try required(level), method: try required(method))
    }

    private mutating func notAvailable() throws(GiveUp) -> ReturnNotAvailable {
        var reason: String?, detail: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "reason": try assign(&reason, reader.string())
            case "detail": try assign(&detail, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnNotAvailable(reason: try required(reason), detail: try required(detail))
    }

    private mutating func provenance() throws(GiveUp) -> ReturnProvenance {
        var plugin: String?, runID: Int64?, collectedAt: String?, sources: [ReturnSource]?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "plugin": try assign(&plugin, reader.string())
            case "runId": try assign(&runID, Int64(reader.int()))
            case "collectedAt": try assign(&collectedAt, reader.string())
            case "sources": try assign(&sources, reader.array { reader throws(GiveUp) in try reader.source() })
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnProvenance(plugin: try required(plugin), runID: try required(runID), collectedAt: try required(collectedAt),
                                sources: try required(sources))
    }

    private mutating func source() throws(GiveUp) -> ReturnSource {
        var feed: String?, url: String?, fetchedAt: String?, contentHash: String?, status: Int?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "feed": try assign(&feed, reader.string())
            case "url": try assign(&url, reader.string())
            case "fetchedAt": try assign(&fetchedAt, reader.string())
            case "contentHash": try assign(&contentHash, reader.string())
            case "status": try assign(&status, reader.int())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnSource(feed: try required(feed), url: try required(url), fetchedAt: try required(fetchedAt),
                            contentHash: try required(contentHash), status: try required(status))
    }

    private mutating func periodValue() throws(GiveUp) -> ReturnPeriodValue {
        var period: String?, value: Double?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "period": try assign(&period, reader.string())
            case "value": try assign(&value, reader.double())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnPeriodValue(period: try required(period), value: try required(value))
    }

    private mutating func projection() throws(GiveUp) -> ReturnProjection {
        var value: Double?, meetsTarget: Bool?, pointsUsed: Int?, slopePerPeriod: Double?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "value": try assign(&value, reader.double())
            case "meetsTarget": try assign(&meetsTarget, reader.bool())
            case "pointsUsed": try assign(&pointsUsed, reader.int())
            case "slopePerPeriod": try assign(&slopePerPeriod, reader.double())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnProjection(value: try required(value), meetsTarget: try required(meetsTarget),
                                pointsUsed: try required(pointsUsed), slopePerPeriod: try required(slopePerPeriod))
    }

    private mutating func selfAssessment() throws(GiveUp) -> ReturnSelfAssessment {
        var rag: String??, confidence: String??, narrative: String??, asOf: String??
        try object { reader, key throws(GiveUp) in
            switch key {
            case "rag": try reader.setOptional(&rag) { reader throws(GiveUp) in try reader.string() }
            case "confidence": try reader.setOptional(&confidence) { reader throws(GiveUp) in try reader.string() }
            case "narrative": try reader.setOptional(&narrative) { reader throws(GiveUp) in try reader.string() }
            case "asOf": try reader.setOptional(&asOf) { reader throws(GiveUp) in try reader.string() }
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnSelfAssessment(rag: rag ?? nil, confidence: confidence ?? nil, narrative: narrative ?? nil, asOf: asOf ?? nil)
    }

    private mutating func goal() throws(GiveUp) -> ReturnGoal {
        var id: String?, indicator: String?, title: String?, baseline: ReturnPeriodValue?, target: ReturnPeriodValue?
        var trajectoryValue: Double??, status: String??, noDataReason: String??, latest: ReturnPeriodValue??
        var interval: ReturnInterval??, projection: ReturnProjection??, variation: String??, assurance: String??
        var selfAssessment: ReturnSelfAssessment?, agreement: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "id": try assign(&id, reader.string())
            case "indicator": try assign(&indicator, reader.string())
            case "title": try assign(&title, reader.string())
            case "baseline": try assign(&baseline, reader.periodValue())
            case "target": try assign(&target, reader.periodValue())
            case "trajectoryValue": try reader.setOptional(&trajectoryValue) { reader throws(GiveUp) in try reader.double() }
            case "status": try reader.setOptional(&status) { reader throws(GiveUp) in try reader.string() }
            case "noDataReason": try reader.setOptional(&noDataReason) { reader throws(GiveUp) in try reader.string() }
            case "latest": try reader.setOptional(&latest) { reader throws(GiveUp) in try reader.periodValue() }
            case "interval": try reader.setOptional(&interval) { reader throws(GiveUp) in try reader.interval() }
            case "projection": try reader.setOptional(&projection) { reader throws(GiveUp) in try reader.projection() }
            case "variation": try reader.setOptional(&variation) { reader throws(GiveUp) in try reader.string() }
            case "assurance": try reader.setOptional(&assurance) { reader throws(GiveUp) in try reader.string() }
            case "selfAssessment": try assign(&selfAssessment, reader.selfAssessment())
            case "agreement": try assign(&agreement, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnGoal(id: try required(id), indicator: try required(indicator), title: try required(title),
                          baseline: try required(baseline), target: try required(target), trajectoryValue: trajectoryValue ?? nil,
                          status: status ?? nil, noDataReason: noDataReason ?? nil, latest: latest ?? nil,
                          interval: interval ?? nil, projection: projection ?? nil, variation: variation ?? nil,
                          assurance: assurance ?? nil, selfAssessment: try required(selfAssessment),
                          agreement: try required(agreement))
    }

    private mutating func run() throws(GiveUp) -> ReturnRun {
        var id: Int64?, startedAt: String?, finishedAt: String??, status: String?, periods: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "id": try assign(&id, Int64(reader.int()))
            case "startedAt": try assign(&startedAt, reader.string())
            case "finishedAt": try reader.setOptional(&finishedAt) { reader throws(GiveUp) in try reader.string() }
            case "status": try assign(&status, reader.string())
            case "periods": try assign(&periods, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return ReturnRun(id: try required(id), startedAt: try required(startedAt), finishedAt: finishedAt ?? nil,
                         status: try required(status), periods: try required(periods))
    }

    private mutating func digest() throws(GiveUp) -> Digest {
        var algorithm: String?, value: String?
        try object { reader, key throws(GiveUp) in
            switch key {
            case "algorithm": try assign(&algorithm, reader.string())
            case "value": try assign(&value, reader.string())
            default: throw GiveUp()   // a member the schema does not define: the full reader names it
            }
        }
        return Digest(algorithm: try required(algorithm), value: try required(value))
    }

    // MARK: Fields

    /// An optional field: null or absent is nil, as `decodeIfPresent` reads it.
    private mutating func setOptional<Value>(_ field: inout Value??, _ read: (inout Reader) throws(GiveUp) -> Value) throws(GiveUp) {
        guard field == nil else { throw GiveUp() }
        skipWhitespace()
        if peek() == UInt8(ascii: "n") {
            try literal("null")
            field = .some(nil)
        } else {
            field = .some(try read(&self))
        }
    }

    // MARK: JSON

    private mutating func object(_ member: (inout Reader, Key) throws(GiveUp) -> Void) throws(GiveUp) {
        try expect(UInt8(ascii: "{"))
        try enter()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            let key = try memberKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            skipWhitespace()
            guard let next = peek() else { throw GiveUp() }
            index += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw GiveUp() }
        }
        depth -= 1
    }

    private mutating func array<Element>(_ element: (inout Reader) throws(GiveUp) -> Element) throws(GiveUp) -> [Element] {
        try expect(UInt8(ascii: "["))
        try enter()
        var elements: [Element] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try element(&self))
            skipWhitespace()
            guard let next = peek() else { throw GiveUp() }
            index += 1
            if next == UInt8(ascii: "]") { break }
            guard next == UInt8(ascii: ",") else { throw GiveUp() }
        }
        depth -= 1
        return elements
    }

    private mutating func enter() throws(GiveUp) {
        depth += 1
        guard depth <= 32 else { throw GiveUp() }
    }

    private mutating func bool() throws(GiveUp) -> Bool {
        skipWhitespace()
        if peek() == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// A whole number written as one: digits with an optional minus, as pioneer writes them.
    private mutating func int() throws(GiveUp) -> Int {
        skipWhitespace()
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while let byte = peek(), isDigit(byte) { index += 1 }
        let digits = index - digitsStart
        guard digits > 0, digits <= 18 else { throw GiveUp() }
        // A leading zero, a fraction or an exponent: JSONDecoder decides what it means.
        if digits > 1, bytes[digitsStart] == UInt8(ascii: "0") { throw GiveUp() }
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { throw GiveUp() }
        var value = 0
        for offset in digitsStart..<index { value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0")) }
        return bytes[start] == UInt8(ascii: "-") ? -value : value
    }

    private mutating func double() throws(GiveUp) -> Double {
        skipWhitespace()
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw GiveUp() }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw GiveUp() }
        } else {
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let next = peek(), isDigit(next) else { throw GiveUp() }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let next = peek(), isDigit(next) else { throw GiveUp() }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        // Short enough to stay a small string, so no allocation; Double(_:) rounds correctly.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else { throw GiveUp() }
        return number
    }

    /// A member's key: its bytes where they are plain ASCII (every key of the model is), so
    /// matching it makes no String; otherwise the string it spells, escapes and all.
    private mutating func memberKey() throws(GiveUp) -> Key {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return .bytes(UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]))
            }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { break }
            index += 1
        }
        index = start - 1
        return .text(try string())
    }

    private mutating func string() throws(GiveUp) -> String {
        skipWhitespace()
        try expect(UInt8(ascii: "\""))
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let utf8 = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // ASCII needs no validation (and String(validating:) costs a generic look-up per call).
                if ascii { return String(decoding: utf8, as: UTF8.self) }
                guard let text = String(validating: utf8, as: UTF8.self) else { throw GiveUp() }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            guard byte >= 0x20 else { throw GiveUp() }
            ascii = ascii && byte < 0x80
            index += 1
        }
        throw GiveUp()
    }

    /// The rest of a string that has escapes, from `start` (just after its opening quote).
    private mutating func escapedString(from start: Int) throws(GiveUp) -> String {
        var utf8 = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw GiveUp() }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw GiveUp() }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape().utf8)
                default: throw GiveUp()
                }
            default:
                guard byte >= 0x20 else { throw GiveUp() }
                utf8.append(byte)
            }
        }
        throw GiveUp()
    }

    /// `\uXXXX` (its `\u` read), with a surrogate pair joined; a lone surrogate is left to JSONDecoder.
    private mutating func unicodeEscape() throws(GiveUp) -> String {
        let high = try hex4()
        guard (0xD800...0xDBFF).contains(high) else {
            guard !(0xDC00...0xDFFF).contains(high), let scalar = Unicode.Scalar(high) else { throw GiveUp() }
            return String(Character(scalar))
        }
        guard peek() == UInt8(ascii: "\\") else { throw GiveUp() }
        index += 1
        guard peek() == UInt8(ascii: "u") else { throw GiveUp() }
        index += 1
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low),
              let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else { throw GiveUp() }
        return String(Character(scalar))
    }

    private mutating func hex4() throws(GiveUp) -> UInt32 {
        guard index + 4 <= bytes.count else { throw GiveUp() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw GiveUp()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(GiveUp) {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw GiveUp() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw GiveUp() }
        index += count
    }

    private mutating func expect(_ byte: UInt8) throws(GiveUp) {
        skipWhitespace()
        guard peek() == byte else { throw GiveUp() }
        index += 1
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}

/// A key given twice is left to JSONDecoder.
private func assign<Value>(_ field: inout Value?, _ value: Value) throws(ReturnBytesDecoder.GiveUp) {
    guard field == nil else { throw ReturnBytesDecoder.GiveUp() }
    field = value
}

/// A required field that is missing is left to JSONDecoder, which names it.
private func required<Value>(_ field: Value?) throws(ReturnBytesDecoder.GiveUp) -> Value {
    guard let field else { throw ReturnBytesDecoder.GiveUp() }
    return field
}
