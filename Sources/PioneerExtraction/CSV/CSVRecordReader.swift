// Reading CSV as a stream of bytes, a piece at a time, handing over each record as it
// ends: a large export is read once, in the memory of one record, whatever its size.
// CSVTable is built on it, so the csv-spectrum suite checks this reader too.
import Foundation
import PioneerKit

/// Splits CSV bytes, fed in pieces of any size, into records of fields.
///
/// Reads what ``CSVTable`` documents: a UTF-8 byte-order mark, `,` `;` or tab (detected from
/// the header line unless given), CRLF/LF/CR line ends, quoted fields with `""`, empty lines
/// skipped but numbered. The first record is the header; every later record must be as wide.
/// Separators, quotes and line ends are ASCII, so working on bytes rather than characters
/// splits UTF-8 text the same way.
///
/// ```swift
/// var reader = CSVRecordReader(delimiter: nil)
/// try body.read { piece in try reader.consume(piece) { row in count += 1 } }
/// try reader.finish { row in count += 1 }
/// ```
public struct CSVRecordReader {
    /// The longest record (or header line) held while it is read: 64 MB. A longer one is an
    /// error at its row rather than memory growing with it: no export has such rows, but a
    /// file that is not CSV, or a quoted field whose closing quote is missing (which makes the
    /// rest of the text one field), would.
    public static let maximumRecordBytes = 64 * 1024 * 1024
    /// The most columns a header may name: what a spreadsheet holds. A wider "header" is a
    /// wrong separator or not CSV, and a header that wide is costly to hold and to list.
    public static let maximumColumns = 16_384

    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// A quote seen inside a quoted field: doubled, or the field's end.
        case quoteInQuoted
        /// Right after a closing quote: only a separator or a line end may follow.
        case afterQuote
        /// A CR ended a line; an LF straight after belongs to it.
        case afterCR
    }

    /// The separator; nil until detected from the header line.
    public private(set) var delimiter: CSVTable.Delimiter?
    /// The header's column names, trimmed; nil until the header record has ended.
    public private(set) var header: [String]?

    private var separator: UInt8 = UInt8(ascii: ",")
    private var state = State.fieldStart
    /// The current record's field bytes, one after the other, and where each field ends.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    /// Where each field of the record handed over starts and ends, in pairs.
    private var spans: [Int] = []
    private var row = 1
    /// 1-based column of the field being read, for messages.
    private var column = 1
    private var lineHasContent = false
    /// Bytes held back until the header line is complete, to detect the separator.
    private var pending: [UInt8] = []
    private var started = false

    /// ``maximumRecordBytes``, smaller in the tests.
    let recordLimit: Int

    /// `delimiter` nil means detect it from the header line.
    public init(delimiter: CSVTable.Delimiter?) {
        self.init(delimiter: delimiter, recordLimit: Self.maximumRecordBytes)
    }

    init(delimiter: CSVTable.Delimiter?, recordLimit: Int) {
        self.recordLimit = recordLimit
        self.delimiter = delimiter
        if let delimiter { separator = Self.byte(of: delimiter) }
        bytes.reserveCapacity(256)
        ends.reserveCapacity(32)
    }

    /// A reader for the text that follows a record boundary of `reader`'s text: the same
    /// separator and header, at the start of a record. Its row numbers start again at 2, so
    /// only a reader whose text is known to start at a boundary should be trusted, and its
    /// errors' row numbers are not the text's (``CSVExtraction`` reads the halves of a large
    /// body so, and reads again in order when anything is amiss).
    init?(continuing reader: CSVRecordReader) {
        guard let header = reader.header, let delimiter = reader.delimiter else { return nil }
        self.init(delimiter: delimiter)
        self.header = header
        started = true
        row = 2
    }

    /// Whether the text read so far ends exactly at the end of a record (or an empty line),
    /// with nothing held back: where another reader could take over.
    var isAtRecordStart: Bool {
        started && header != nil && state == .fieldStart && !lineHasContent
    }

    /// Reads `piece`, calling `onRecord` for each data record that ends in it.
    public mutating func consume(_ piece: UnsafeRawBufferPointer, onRecord: (CSVRecord) throws -> Void) throws {
        guard started else {
            // The byte-order mark and the separator need the start of the text: hold it
            // back until the header line has ended.
            pending.append(contentsOf: piece)
            if let binary = Self.notText(pending) { throw CSVTable.ParseError(row: 1, reason: binary) }
            let lineEnded = pending.contains { $0 == 0x0A || $0 == 0x0D }
            guard lineEnded || (delimiter != nil && pending.count >= 3) else {
                if pending.count > recordLimit { throw tooLong(row: 1, what: "the header line") }
                return
            }
            try begin(onRecord: onRecord)
            return
        }
        try scan(piece, onRecord: onRecord)
    }

    /// What the body is when its first bytes say it is a file format, not text: a workbook
    /// or a PDF served where the CSV export was expected. Nil for anything else.
    static func notText(_ start: [UInt8]) -> String? {
        binaryFormat(start).map { "the body is \($0), not CSV text; export the sheet as CSV UTF-8 and check the feed's path" }
    }

    /// What a body is, when its first bytes are the signature of a binary format, else nil.
    static func binaryFormat(_ start: [UInt8]) -> String? {
        let formats: [(signature: [UInt8], what: String)] = [
            ([0x50, 0x4B, 0x03, 0x04], "a zip file (an Excel .xlsx workbook?)"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an Excel 97-2003 .xls workbook"),
            (Array("%PDF-".utf8), "a PDF document"),
            ([0x1F, 0x8B], "gzip-compressed data the server did not label with Content-Encoding"),
        ]
        return formats.first { start.starts(with: $0.signature) }?.what
    }

    /// Whether `line` is UTF-16 text: of its first bytes, nearly every other one is NUL.
    static func looksLikeUTF16<Bytes: Collection<UInt8>>(_ line: Bytes) -> Bool {
        let head = Array(line.prefix(64))
        guard head.count >= 4 else { return head.contains(0) && head.count >= 2 }
        var zeros = [0, 0]
        for (index, byte) in head.enumerated() where byte == 0 { zeros[index % 2] += 1 }
        let half = head.count / 2
        return zeros.max()! * 10 >= half * 8 && zeros.min()! * 10 <= half
    }

    private mutating func begin(onRecord: (CSVRecord) throws -> Void) throws {
        // Excel's "Unicode text" and some Windows tools write UTF-16: every other byte of an
        // English header is NUL, and nothing would match a column name.
        let headerLine = pending.prefix { $0 != 0x0A }
        if pending.starts(with: [0xFF, 0xFE]) || pending.starts(with: [0xFE, 0xFF]) || Self.looksLikeUTF16(headerLine) {
            throw CSVTable.ParseError(row: 1, reason: "the text is UTF-16, not UTF-8 (it starts with a UTF-16 byte-order mark, or every other byte of its header is NUL); export it as UTF-8 (in Excel, \"CSV UTF-8\")")
        }
        if headerLine.contains(0) {
            throw CSVTable.ParseError(row: 1, reason: "the body is not text: its first line holds NUL bytes; check that the feed's path gives the CSV export")
        }
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
        if delimiter == nil {
            let end = pending.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? pending.endIndex
            detect(in: pending[..<end])
        }
        started = true
        let held = pending
        pending = []
        try held.withUnsafeBytes { try scan($0, onRecord: onRecord) }
    }

    /// Ends the text: the last record, then a check that there was a header at all.
    public mutating func finish(onRecord: (CSVRecord) throws -> Void) throws {
        if !started { try begin(onRecord: onRecord) }
        switch state {
        case .quoted:
            throw CSVTable.ParseError(row: row, column: column,
                                      reason: "a quoted field is not closed: it starts with `\"` but no closing `\"` follows")
        default:
            try endLine(onRecord: onRecord)
        }
        guard header != nil else {
            throw CSVTable.ParseError(row: 0, reason: "the text is empty; expected a header row naming the columns")
        }
    }

    private mutating func detect(in line: ArraySlice<UInt8>) {
        let chosen = CSVTable.Delimiter.detect(inHeader: Substring(String(decoding: line, as: UTF8.self)))
        delimiter = chosen
        separator = Self.byte(of: chosen)
    }

    private static func byte(of delimiter: CSVTable.Delimiter) -> UInt8 {
        switch delimiter {
        case .comma: return UInt8(ascii: ",")
        case .semicolon: return UInt8(ascii: ";")
        case .tab: return 0x09
        }
    }

    // MARK: The state machine

    private mutating func scan(_ input: UnsafeRawBufferPointer, onRecord: (CSVRecord) throws -> Void) throws {
        let count = input.count
        var index = 0
        let separator = separator
        // Where the next quote and the next CR that is not part of a CR LF lie: the bytes before
        // both are plain, for the block path. Each is looked for again only once passed, so a
        // piece is searched once however many records it holds.
        var nextQuote = -1
        var nextBareCR = -1
        while index < count {
            if state == .fieldStart && !lineHasContent, header != nil {
                if nextQuote < index { nextQuote = Self.first(UInt8(ascii: "\""), in: input, from: index) }
                if nextBareCR < index { nextBareCR = Self.firstBareCR(in: input, from: index, before: nextQuote) }
                let next = try recordsInBlock(input, from: index, to: min(nextQuote, nextBareCR), onRecord: onRecord)
                if next > index {
                    index = next
                    continue
                }
                if let next = try recordInPlace(input, from: index, onRecord: onRecord) {
                    index = next
                    continue
                }
            }
            switch state {
            case .fieldStart, .unquoted:
                let byte = input[index]
                if byte == UInt8(ascii: "\"") && state == .fieldStart {
                    state = .quoted
                    lineHasContent = true
                    index += 1
                    continue
                }
                // Runs of ordinary bytes are copied at once.
                var end = index
                while end < count {
                    let next = input[end]
                    if next == separator || next == 0x0A || next == 0x0D { break }
                    end += 1
                }
                if end > index {
                    try append(input, index..<end)
                    state = .unquoted
                    lineHasContent = true
                    index = end
                    continue
                }
                index += 1
                try special(byte, onRecord: onRecord)
            case .quoted:
                var end = index
                while end < count && input[end] != UInt8(ascii: "\"") { end += 1 }
                if end > index { try append(input, index..<end) }
                if end < count {
                    state = .quoteInQuoted
                    end += 1
                }
                index = end
            case .quoteInQuoted:
                if input[index] == UInt8(ascii: "\"") {
                    bytes.append(UInt8(ascii: "\""))
                    state = .quoted
                    index += 1
                } else {
                    state = .afterQuote
                }
            case .afterQuote:
                let byte = input[index]
                guard byte == separator || byte == 0x0A || byte == 0x0D else {
                    let shown = byte < 0x80 ? String(UnicodeScalar(byte)) : "a non-ASCII character"
                    throw CSVTable.ParseError(row: row, column: column, reason: "unexpected `\(shown)` after the closing quote of a field; a quote inside a quoted field is written `\"\"`")
                }
                index += 1
                try special(byte, onRecord: onRecord)
            case .afterCR:
                state = .fieldStart
                if input[index] == 0x0A { index += 1 }
            }
        }
    }

    /// The block path, for the plain stretch of a piece (no quote, no CR but before an LF) that
    /// most exports are: every record that ends in `input[start..<end]` with an LF or a CR LF
    /// (Windows' line end), as wide as the header,
    /// is handed over where it lies, its separators and line ends found eight bytes at a time
    /// (``CSVStops``) rather than byte by byte. Returns the index of the first record it did
    /// not hand over (cut by `end`, an empty line, the wrong width), which the fast path or
    /// the state machine then reads; `start` when it handed over none.
    private mutating func recordsInBlock(_ input: UnsafeRawBufferPointer, from start: Int, to end: Int,
                                         onRecord: (CSVRecord) throws -> Void) throws -> Int {
        guard let header, end - start >= CSVStops.wordSize, let base = input.baseAddress else { return start }
        let width = header.count
        let separator = separator
        let stops = CSVStops(separator: separator)
        var row = row
        if spans.count != 2 * width { spans = Array(repeating: 0, count: 2 * width) }
        defer { self.row = row }
        return try spans.withUnsafeMutableBufferPointer { spans -> Int in
            var recordStart = start
            var field = 0
            spans[0] = start
            var word = start
            while word < end {
                var found = stops.find(in: base + word, count: min(CSVStops.wordSize, end - word))
                while found != 0 {
                    let position = word + found.trailingZeroBitCount >> 3
                    found &= found &- 1
                    spans[2 * field + 1] = position
                    field += 1
                    if input[position] == separator {
                        guard field < width else { return recordStart }
                        spans[2 * field] = position + 1
                        continue
                    }
                    // An LF: a record ends, unless the line is empty or the wrong width. A CR just
                    // before it is the line end's, not the last field's.
                    var lineEnd = position
                    if position > recordStart, input[position - 1] == 0x0D {
                        lineEnd = position - 1
                        spans[2 * field - 1] = lineEnd
                    }
                    guard field == width, lineEnd > recordStart else { return recordStart }
                    try onRecord(CSVRecord(row: row, header: header, base: base, spans: UnsafeBufferPointer(spans)))
                    row += 1
                    recordStart = position + 1
                    field = 0
                    spans[0] = recordStart
                }
                word += CSVStops.wordSize
            }
            return recordStart
        }
    }

    /// The index of the first `byte` in `input` from `start`, or its count when there is none.
    private static func first(_ byte: UInt8, in input: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = input.baseAddress, start < input.count,
              let found = memchr(base + start, Int32(byte), input.count - start) else { return input.count }
        return base.distance(to: found)
    }

    /// The index of the first CR from `start` and before `limit` that is not followed by an LF
    /// (a CR at the end of the piece counts, its next byte unknown), or `limit` when there is none.
    private static func firstBareCR(in input: UnsafeRawBufferPointer, from start: Int, before limit: Int) -> Int {
        guard let base = input.baseAddress else { return limit }
        var from = start
        while from < limit, let found = memchr(base + from, 0x0D, limit - from) {
            let position = base.distance(to: found)
            guard position + 1 < input.count, input[position + 1] == 0x0A else { return position }
            from = position + 2
        }
        return limit
    }

    /// The fast path, taken at the start of each record: a record that lies whole in `input`,
    /// as wide as the header, with no doubled quote, is handed over where it lies, its fields
    /// found in one pass and copied nowhere. Returns the index after its line end, or nil when
    /// the state machine must read it (cut by the end of the piece, an empty line, a `""`, an
    /// error to report), having changed nothing.
    private mutating func recordInPlace(_ input: UnsafeRawBufferPointer, from start: Int,
                                        onRecord: (CSVRecord) throws -> Void) throws -> Int? {
        let count = input.count
        let separator = separator
        let quote = UInt8(ascii: "\"")
        // The bytes that end an unquoted field, all below 64, as bits: one test per byte.
        let stops: UInt64 = 1 << separator | 1 << 0x0A | 1 << 0x0D
        guard let header, input[start] != 0x0A && input[start] != 0x0D else { return nil }
        let width = header.count
        let number = row
        var endsWithCR = false
        if spans.count != 2 * width { spans = Array(repeating: 0, count: 2 * width) }
        let next = try spans.withUnsafeMutableBufferPointer { spans -> Int? in
            var index = start
            var field = 0
            while true {
                guard index < count, field < width else { return nil }
                var fieldStart = index
                if input[index] == quote {
                    index += 1
                    fieldStart = index
                    while index < count && input[index] != quote { index += 1 }
                    guard index < count else { return nil }
                    spans[2 * field + 1] = index
                    index += 1
                    // A doubled quote, or anything else but a separator or line end, is the careful path's.
                    guard index < count, input[index] == separator || input[index] == 0x0A || input[index] == 0x0D else { return nil }
                } else {
                    while index < count {
                        let byte = input[index]
                        if byte < 64 && stops &>> byte & 1 != 0 { break }
                        index += 1
                    }
                    guard index < count else { return nil }
                    spans[2 * field + 1] = index
                }
                spans[2 * field] = fieldStart
                field += 1
                let end = input[index]
                index += 1
                if end == separator { continue }
                guard field == width else { return nil }
                if end == 0x0D {
                    // A CR ending the piece may have its LF at the start of the next.
                    endsWithCR = index == count
                    if index < count && input[index] == 0x0A { index += 1 }
                }
                try onRecord(CSVRecord(row: number, header: header, base: input.baseAddress, spans: UnsafeBufferPointer(spans)))
                return index
            }
        }
        if next != nil {
            row += 1
            if endsWithCR { state = .afterCR }
        }
        return next
    }

    /// Copies `range` of `input` to the record's bytes: typed as UInt8, the copy is one memcpy.
    /// Throws once the record is longer than ``maximumRecordBytes``.
    private mutating func append(_ input: UnsafeRawBufferPointer, _ range: Range<Int>) throws(CSVTable.ParseError) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[range]).assumingMemoryBound(to: UInt8.self))
        if bytes.count > recordLimit {
            throw tooLong(row: row, what: state == .quoted ? "a record with a quoted field" : "a record")
        }
    }

    private func tooLong(row: Int, what: String) -> CSVTable.ParseError {
        let hint = what.hasPrefix("a record with a quoted")
            ? "; a quoted field whose closing `\"` is missing makes the rest of the text one field" : "; is this CSV?"
        return CSVTable.ParseError(row: row, reason: "\(what) longer than \(ByteSizeText.megabytes(recordLimit)) starts here; a record is held whole while it is read, so a longer one is refused\(hint)")
    }


    /// A separator or line-end byte outside quotes.
    private mutating func special(_ byte: UInt8, onRecord: (CSVRecord) throws -> Void) throws {
        if byte == separator {
            if header == nil, ends.count + 1 >= Self.maximumColumns {
                throw CSVTable.ParseError(row: row, reason: "the header has more than \(Self.maximumColumns) columns, more than a spreadsheet holds; is the separator `\(delimiter?.rawValue ?? ",")` right, and is this CSV?")
            }
            ends.append(bytes.count)
            column += 1
            state = .fieldStart
            lineHasContent = true
        } else {
            try endLine(onRecord: onRecord)
            state = byte == 0x0D ? .afterCR : .fieldStart
        }
    }

    /// Hands over the record gathered in `bytes`, as the fast path hands over one in place.
    private mutating func handOver(header: [String], onRecord: (CSVRecord) throws -> Void) throws {
        spans.removeAll(keepingCapacity: true)
        var start = 0
        for end in ends {
            spans.append(start)
            spans.append(end)
            start = end
        }
        let row = row
        try bytes.withUnsafeBytes { bytes in
            try spans.withUnsafeBufferPointer { spans in
                try onRecord(CSVRecord(row: row, header: header, base: bytes.baseAddress, spans: spans))
            }
        }
    }

    private mutating func endLine(onRecord: (CSVRecord) throws -> Void) throws {
        // A line with nothing on it still counts as a spreadsheet row, but holds no record.
        if lineHasContent {
            ends.append(bytes.count)
            if let header {
                guard ends.count == header.count else {
                    let count = ends.count
                    throw CSVTable.ParseError(row: row, reason: "has \(count) field\(count == 1 ? "" : "s") but the header has \(header.count) column\(header.count == 1 ? "" : "s") (separator `\(delimiter?.rawValue ?? ",")`)")
                }
                try handOver(header: header, onRecord: onRecord)
            } else {
                var names: [String] = []
                try handOver(header: []) { record in
                    names = (0..<record.count).map { record.field($0).trimmingWhitespaceFast() }
                }
                header = names
            }
        }
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        row += 1
        column = 1
        state = .fieldStart
        lineHasContent = false
    }
}

/// One record as ``CSVRecordReader`` hands it over: its fields' bytes, valid during the call.
public struct CSVRecord {
    /// The spreadsheet row number (header = 1).
    public let row: Int
    /// The header's column names, trimmed (empty for the header record itself).
    public let header: [String]
    /// The fields are the bytes from `base` between each pair of `spans`.
    private let base: UnsafeRawPointer?
    private let spans: UnsafeBufferPointer<Int>

    init(row: Int, header: [String], base: UnsafeRawPointer?, spans: UnsafeBufferPointer<Int>) {
        self.row = row
        self.header = header
        self.base = base
        self.spans = spans
    }

    public var count: Int { spans.count / 2 }

    /// Field `index` as text; bytes that are not UTF-8 become U+FFFD.
    public func field(_ index: Int) -> String {
        String(decoding: bytes(index), as: UTF8.self)
    }

    /// Field `index` as text, or nil when its bytes are not UTF-8.
    public func validatedField(_ index: Int) -> String? {
        String(validating: bytes(index), as: UTF8.self)
    }

    /// Calls `body` with the bytes of field `index`, valid during the call.
    func withField<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(bytes(index)))
    }

    private func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = spans[2 * index], end = spans[2 * index + 1]
        guard let base, end > start else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: (base + start).assumingMemoryBound(to: UInt8.self), count: end - start)
    }
}
