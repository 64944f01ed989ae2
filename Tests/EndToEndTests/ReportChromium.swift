// Opens a report in Debian's headless Chromium, as a reader's browser would, and says what it
// saw: the DOM after loading, any console message (a script error, a refused resource), a
// screenshot kept as an artefact, and the page size when printed to PDF.
//
// The browser is required, not optional: without it the test fails and says to run
// scripts/install-system-packages.sh, which installs it. Each run is bounded by a timeout and
// cannot reach the network: the page is a file:// URL and every host name resolves to nothing.
import Foundation
import PioneerTesting
import Testing

enum ReportChromium {
    /// Where Debian's package puts it; PATH is searched too, for other systems.
    static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = ["/usr/bin/chromium"] + path.split(separator: ":").flatMap { ["\($0)/chromium", "\($0)/chromium-browser"] }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let missingMessage = "headless Chromium is needed to check the report in a browser, and `chromium` is not installed: run scripts/install-system-packages.sh (it installs Debian's chromium package)"

    /// The folder screenshots are kept in: $PIONEER_ARTEFACTS, else .build/artefacts in the package.
    static func artefactFolder() throws -> URL {
        let folder = ProcessInfo.processInfo.environment["PIONEER_ARTEFACTS"].map { URL(fileURLWithPath: $0) }
            ?? PioneerBinary.packageRoot.appendingPathComponent(".build/artefacts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// What one look at a page found.
    struct Visit {
        var dom: String
        /// Chromium's console lines: `…:INFO:CONSOLE:1] "Uncaught ReferenceError: …", source: file:///… (1)`.
        var consoleMessages: [String]
        var screenshot: URL
        var screenshotBytes: Data
        var pdf: Data
    }

    /// Loads `page` three times (DOM and console, screenshot, PDF), each in a fresh profile, and
    /// keeps the screenshot and a copy of the page in ``artefactFolder()``.
    static func visit(_ page: URL, screenshot name: String, timeout: TimeInterval = 60) async throws -> Visit {
        let chromium = try #require(executable(), Comment(rawValue: missingMessage))
        return try await withTemporaryFolder(prefix: "pioneer-chromium") { scratch in
            let url = page.absoluteURL.absoluteString
            let dump = try await run(chromium, ["--enable-logging=stderr", "--v=0", "--dump-dom", url],
                                     profile: scratch.appendingPathComponent("dom"), timeout: timeout)
            let console = dump.stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }

            let shot = try artefactFolder().appendingPathComponent(name)
            try? FileManager.default.removeItem(at: shot)
            // The page itself beside its screenshot, for a person to open after the run.
            let copy = shot.deletingPathExtension().appendingPathExtension("html")
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.copyItem(at: page, to: copy)
            // A4 at 150 dpi, so the screenshot shows what the first printed page holds.
            _ = try await run(chromium, ["--hide-scrollbars", "--window-size=1240,1754", "--screenshot=\(shot.path)", url],
                              profile: scratch.appendingPathComponent("shot"), timeout: timeout)
            let pdfURL = scratch.appendingPathComponent("report.pdf")
            _ = try await run(chromium, ["--no-pdf-header-footer", "--print-to-pdf=\(pdfURL.path)", url],
                              profile: scratch.appendingPathComponent("pdf"), timeout: timeout)
            let image = try #require(try? Data(contentsOf: shot), "Chromium wrote no screenshot at \(shot.path)")
            let pdf = try #require(try? Data(contentsOf: pdfURL), "Chromium wrote no PDF")
            return Visit(dom: dump.stdout, consoleMessages: console, screenshot: shot, screenshotBytes: image, pdf: pdf)
        }
    }

    /// The width and height a PNG's header gives, or nil when the bytes are not a PNG.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else { return nil }
        func int(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    /// The page sizes of a PDF's pages in points, from their `/MediaBox` entries.
    static func pdfPageSizes(_ pdf: Data) -> [(width: Double, height: Double)] {
        let text = String(decoding: pdf, as: UTF8.self)
        return text.components(separatedBy: "/MediaBox [").dropFirst().compactMap { entry in
            let numbers = entry.prefix { $0 != "]" }.split(separator: " ").compactMap { Double($0) }
            return numbers.count == 4 ? (numbers[2] - numbers[0], numbers[3] - numbers[1]) : nil
        }
    }

    /// Runs headless Chromium with the flags that keep it offline and quiet, killing it after `timeout`.
    private static func run(_ chromium: String, _ arguments: [String], profile: URL, timeout: TimeInterval) async throws -> LowPriorityRun {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = profile.deletingLastPathComponent().path
        let run = try await lowPriority(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions",
            // Nothing resolves: a page that asked for the network would fail and say so on the console.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=\(profile.path)",
        ] + arguments, environment: environment, timeout: timeout)
        #expect(!run.timedOut, "chromium \(arguments.last ?? "") did not finish within \(Int(timeout)) s:\n\(run.stderr.suffix(2000))")
        #expect(run.status == 0, "chromium exited \(run.status):\n\(run.stderr.suffix(2000))")
        return run
    }

    /// The output of a program run by ``lowPriority(_:_:environment:timeout:)``.
    struct LowPriorityRun {
        var status: Int32
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` at the lowest CPU priority (nice 19), killing it after `timeout`.
    ///
    /// The browser and the demo are heavy, and the suite's timing tests (2 s feed timeouts, a
    /// plugin's 2 s sleep) run beside them: at nice 19 they take only the CPU nothing else wants.
    /// nice(1) sets the priority before the program starts its helpers, which inherit it.
    static func lowPriority(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                            timeout: TimeInterval) async throws -> LowPriorityRun {
        try await withTemporaryFolder(prefix: "pioneer-low-priority") { folder in
            let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
            defer {
                try? out.close()
                try? err.close()
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
            process.arguments = ["-n", "19", executable] + arguments
            if let environment { process.environment = environment }
            process.standardOutput = out
            process.standardError = err
            // Killed after `timeout`: only the program this call started, by its id (nice execs
            // it, so the id is its own).
            let end = try await StartedProcess.start(process).exit(within: timeout)
            return LowPriorityRun(status: end.status, timedOut: end.timedOut,
                                  stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                                  stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        }
    }

}
