// The CSV rows of a return and the atomic file writer.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PioneerReturns
import PioneerTesting
import Testing

@Suite("Return files")
struct ReturnFileTests {
    @Test func theCSVHasOneRowPerIndicatorPeriodWithMissingOnesMarked() throws {
        var value = SampleReturn.value
        value.complete = false
        value.missing = [MissingMeasure(indicator: "emergency-admissions-65", period: "2026-01", reason: "nothing collected, \"really\"")]
        let signed = try ReturnCoding.signed(value)
        let rows = ReturnCSV.text(signed).components(separatedBy: "\r\n")
        #expect(rows.count == 5, "header, three rows and the final line break: \(rows)")
        #expect(rows[0] == ReturnCSV.header.joined(separator: ","))
        let digest = try #require(signed.digest?.value)
        #expect(rows[1] == "torbay,2026Q1,false,emergency-admissions-65,\"Emergency admissions, aged 65+\",outcome,rate,\"admissions per 1,000 aged 65+\",1000,lower,1,0123456789ab,2026-01,month,2026-01-01,2026-01-31,missing,,,,,,,,,,\"nothing collected, \"\"really\"\"\",,,,\(digest)")
        #expect(rows[2].hasPrefix("torbay,2026Q1,false,emergency-admissions-65,\"Emergency admissions, aged 65+\",outcome,rate,\"admissions per 1,000 aged 65+\",1000,lower,1,0123456789ab,2026-03,month,2026-03-01,2026-03-31,reported,20.123456789,612,30412.5,,18.6,21.8,0.95,poisson,,,3,2026-04-02T09:14:07.512Z,admissions https://bi.example.nhs.uk/api/admissions?month=2026-03,"))
        #expect(rows[3].contains(",2026Q1,quarter,2026-01-01,2026-03-31,not-available,,,,7,,,,,suppressed,\"n = 7, below the minimum of 10\",3,"))
        #expect(rows.allSatisfy { $0.isEmpty || $0.hasSuffix(digest) || $0 == rows[0] })
        // Every row has the header's number of fields (commas inside quotes aside).
        for row in rows.dropFirst().dropLast() {
            var fields = 1, quoted = false
            for character in row {
                if character == "\"" { quoted.toggle() }
                if character == ",", !quoted { fields += 1 }
            }
            #expect(fields == ReturnCSV.header.count, "\(row)")
        }
    }

    /// "\r\n" is one Character in Swift, equal to neither "\r" nor "\n": a reason holding a
    /// Windows line break went out unquoted and split its row in two.
    @Test func aFieldHoldingAWindowsLineBreakIsQuoted() throws {
        var value = SampleReturn.value
        value.complete = false
        value.missing = [MissingMeasure(indicator: "emergency-admissions-65", period: "2026-01", reason: "line one\r\nline two")]
        let text = ReturnCSV.text(try ReturnCoding.signed(value))
        #expect(text.contains(",\"line one\r\nline two\","), "\(text)")
    }

    @Test func theWriterReplacesAFileWholeAndLeavesNoTemporaryFile() throws {
        try withTemporaryFolder(prefix: "pioneer-return-writer") { folder in
            let path = folder.appendingPathComponent("torbay.json").path
            try ReturnWriter.write(Array("first".utf8), to: path)
            try ReturnWriter.write(Array("second, longer".utf8), to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["torbay.json"])
        }
    }

    @Test func theWriterRemovesWhatAKilledWriteLeftButNotALiveOnesFile() throws {
        try withTemporaryFolder(prefix: "pioneer-return-writer") { folder in
            // A process that has ended: its pid is free.
            let ended = Process()
            ended.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            ended.arguments = ["true"]
            let started = try StartedProcess.start(ended)
            _ = started.exitBlocking(within: 60)
            let abandoned = ".torbay.json.partial-\(started.pid)"
            let live = ".torbay.json.partial-\(getppid())"
            let otherTarget = ".other.json.partial-\(started.pid)"
            for name in [abandoned, live, otherTarget] {
                try "half".write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
            }
            try ReturnWriter.write(Array("whole".utf8), to: folder.appendingPathComponent("torbay.json").path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [live, otherTarget, "torbay.json"].sorted())
        }
    }

    @Test func theWriterNamesAPathItCannotWrite() throws {
        try withTemporaryFolder(prefix: "pioneer-return-writer") { folder in
            let absent = folder.appendingPathComponent("absent/torbay.json").path
            #expect(throws: ReturnWriteError(path: absent, reason: "the folder \(folder.path)/absent does not exist")) {
                try ReturnWriter.write([1], to: absent)
            }
            #expect(throws: ReturnWriteError(path: folder.path, reason: "it is a folder; give a file name")) {
                try ReturnWriter.write([1], to: folder.path)
            }
            #expect("\(ReturnWriteError(path: "/x/y.json", reason: "no"))" == "cannot write the return to /x/y.json: no")
        }
    }

    @Test func theWriterNeverReplacesASQLiteDatabase() throws {
        try withTemporaryFolder(prefix: "pioneer-return-writer") { folder in
            let store = folder.appendingPathComponent("torbay.sqlite").path
            let header = Array("SQLite format 3\u{0}".utf8) + [UInt8](repeating: 7, count: 84)
            _ = FileManager.default.createFile(atPath: store, contents: Data(header))
            #expect(throws: ReturnWriteError(path: store, reason: "it is a SQLite database (a measure store?), which is never overwritten; give another file name",
                                             kind: "report")) {
                try ReturnWriter.write(Array("<html>".utf8), to: store, kind: "report")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == Data(header))
            // Any other file is replaced, as an output is.
            let old = folder.appendingPathComponent("old.json").path
            _ = FileManager.default.createFile(atPath: old, contents: Data("SQLite format 2".utf8))
            try ReturnWriter.write(Array("{}".utf8), to: old)
            #expect(try String(contentsOfFile: old, encoding: .utf8) == "{}")
        }
    }

    /// Found by a tester: a `latest.html` link was replaced by a file, and `/dev/full` too.
    @Test func theWriterWritesThroughASymbolicLinkAndKeepsTheLink() throws {
        try withTemporaryFolder(prefix: "pioneer-return-writer") { folder in
            let archive = folder.appendingPathComponent("archive")
            try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
            let target = archive.appendingPathComponent("2025-12.html").path
            _ = FileManager.default.createFile(atPath: target, contents: Data("<p>December</p>".utf8))
            let link = folder.appendingPathComponent("latest.html").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "archive/2025-12.html")
            try ReturnWriter.write(Array("<p>January</p>".utf8), to: link, kind: "report")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "archive/2025-12.html")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "<p>January</p>")
            // A link to nothing is named, and nothing is made.
            let dangling = folder.appendingPathComponent("gone.html").path
            try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "archive/none/x.html")
            #expect(throws: ReturnWriteError.self) { try ReturnWriter.write(Array("x".utf8), to: dangling, kind: "report") }
        }
    }

    @Test func theWriterWritesIntoAPipeAndADeviceWithoutReplacingThem() throws {
        try withTemporaryFolder(prefix: "pioneer-return-writer") { folder in
            // A pipe with a reader waiting: the bytes arrive, nothing is read from it first (that hung).
            let fifo = folder.appendingPathComponent("fifo").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let received = Locked(Data())
            let reader = Thread {
                let data = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
                received.withLock { $0 = data }
            }
            reader.start()
            try ReturnWriter.write(Array("<html>report</html>".utf8), to: fifo, kind: "report")
            for _ in 0..<200 where received.withLock({ $0.isEmpty }) { usleep(10_000) }
            #expect(String(decoding: received.withLock { $0 }, as: UTF8.self) == "<html>report</html>")
            var info = stat()
            #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the pipe is still a pipe")

            // A device that refuses the bytes: the failure is named, and the device stays one.
            #expect(throws: ReturnWriteError(path: "/dev/full", reason: "cannot write it (No space left on device)", kind: "report")) {
                try ReturnWriter.write(Array("<html>".utf8), to: "/dev/full", kind: "report")
            }
            #expect(stat("/dev/full", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        }
    }
}

/// A value shared with a thread.
private final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched with `lock` held.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
