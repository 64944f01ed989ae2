// Reading a folder of returns for one period: every file's header is read (on every
// processor) to learn its period, and only the returns for the period asked are decoded
// in full and kept; the rest are set aside by name. A programme office's folder holds
// years of returns, and decoding them all would cost seconds and hundreds of megabytes.
// ADX returns (*.xml) are read whole, then given their indicators' definitions from the
// JSON returns: those of the period first, other periods' only when an ADX return needs them.
import Foundation
import PioneerAggregate
import PioneerKit
import PioneerReturns

/// The returns read from files for one period.
struct ReturnIntake {
    /// Returns for the period, decoded in full, in the order of the files.
    var received: [ReceivedReturn] = []
    /// Returns for other periods: read as far as their period, not checked further.
    var otherPeriods: [RejectedReturn] = []
    /// Files that could not be read as a return, with the reader's reason.
    var unreadable: [RejectedReturn] = []

    /// The part of a return that says whose it is and for when; decoding only this skips the rest.
    private struct Header: Decodable {
        struct Site: Decodable { var id: String }
        struct Period: Decodable {
            var label: String
            var type: String?
            var start: String?
            var end: String?
        }
        var site: Site
        var period: Period
    }

    private enum Outcome: Sendable {
        case received(ReceivedReturn)
        case adx(source: String, ADXReturn)
        case otherPeriod(RejectedReturn)
        case unreadable(RejectedReturn)
    }

    static func read(_ files: [String], period: Period) async -> ReturnIntake {
        let width = max(2, ProcessInfo.processInfo.activeProcessorCount)
        var outcomes = [Outcome?](repeating: nil, count: files.count)
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func start() {
                guard next < files.count else { return }
                let index = next
                next += 1
                group.addTask { (index, read(files[index], label: period.label)) }
            }
            for _ in 0..<width { start() }
            for await (index, outcome) in group {
                outcomes[index] = outcome
                start()
            }
        }
        var documents: [ADXReturn] = []
        for case .adx(_, let document)? in outcomes { documents.append(document) }
        let catalogue = definitions(for: documents, from: outcomes, files: files)
        var intake = ReturnIntake()
        for outcome in outcomes {
            switch outcome {
            case .received(let item): intake.received.append(item)
            case .adx(let source, let document):
                let resolution = document.resolved(with: catalogue)
                intake.received.append(ReceivedReturn(
                    source: source, content: resolution.siteReturn,
                    format: .adx(contentDigest: document.contentDigestCheck, unresolved: resolution.unresolved)))
            case .otherPeriod(let item): intake.otherPeriods.append(item)
            case .unreadable(let item): intake.unreadable.append(item)
            case nil: break
            }
        }
        return intake
    }

    /// The definitions the ADX returns need, from the JSON returns read: those of the period,
    /// then, only while some are still unknown, the JSON returns of other periods.
    private static func definitions(for documents: [ADXReturn], from outcomes: [Outcome?], files: [String]) -> DefinitionCatalogue {
        guard !documents.isEmpty else { return DefinitionCatalogue() }
        var needed = Set(documents.flatMap { document in
            document.groups.flatMap(\.values).map { "\($0.dataElement)\t\($0.definitionVersion)" }
        })
        var catalogue = DefinitionCatalogue()
        func add(_ siteReturn: SiteReturn) {
            catalogue.add(siteReturn)
            for indicator in siteReturn.indicators where catalogue.definition(id: indicator.id, version: indicator.definitionVersion) != nil {
                needed.remove("\(indicator.id)\t\(indicator.definitionVersion)")
            }
        }
        for case .received(let item)? in outcomes { add(item.content) }
        for (index, outcome) in outcomes.enumerated() where !needed.isEmpty {
            guard case .otherPeriod? = outcome, !isADX(files[index]),
                  let siteReturn = try? ReturnReader.read(file: files[index]) else { continue }
            add(siteReturn)
        }
        return catalogue
    }

    private static func isADX(_ file: String) -> Bool {
        file.lowercased().hasSuffix(".xml")
    }

    private static func read(_ file: String, label: String) -> Outcome {
        if isADX(file) {
            do {
                let document = try ADXReader.read(file: file)
                guard document.reportingPeriod.label == label else {
                    return .otherPeriod(RejectedReturn(source: file, site: document.site, period: document.reportingPeriod.label,
                                                       reason: "for \(document.reportingPeriod.label), not \(label)"))
                }
                return .adx(source: file, document)
            } catch {
                return .unreadable(RejectedReturn(source: file, site: "", period: "", reason: error.description))
            }
        }
        // A file that is not a plain return (no header, a folder, unreadable) goes to the
        // full reader, whose message says what is wrong with it.
        do {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: file)) else {
                return .received(ReceivedReturn(source: file, content: try ReturnReader.read(file: file)))
            }
            // Set aside unread only a period written as pioneer writes it: one whose label and
            // days disagree is read whole, and rejected with the fault named.
            if let header = try? JSONDecoder().decode(Header.self, from: data), header.period.label != label,
               let type = header.period.type, let start = header.period.start, let end = header.period.end,
               ValueRules.problem(with: ReturnPeriod(label: header.period.label, type: type, start: start, end: end)) == nil {
                return .otherPeriod(RejectedReturn(source: file, site: header.site.id, period: header.period.label,
                                                   reason: "for \(header.period.label), not \(label)"))
            }
            let content = try ReturnReader.read(data: data, file: file)
            return .received(ReceivedReturn(source: file, content: content,
                                            digestCheck: try? ReturnCoding.verify(content, encoded: [UInt8](data))))
        } catch {
            return .unreadable(RejectedReturn(source: file, site: "", period: "", reason: error.message))
        }
    }
}
