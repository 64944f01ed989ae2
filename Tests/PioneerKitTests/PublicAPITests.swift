// PioneerKit's public surface, listed from the compiled module and compared with the
// checked-in docs/api/PioneerKit.txt, so a change to the plugin contract shows as a diff
// in review instead of slipping through with an unrelated change; and its DocC catalogue,
// built against the same symbols, so the implementer's guide cannot name one that is gone.
import Foundation
import PioneerTesting
import Testing

@Suite("PioneerKit's public API")
struct PublicAPITests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let listingPath = "docs/api/PioneerKit.txt"

    @Test("the public symbols are the ones listed in docs/api/PioneerKit.txt")
    func publicSymbolsMatchTheListing() async throws {
        let generated = try await Self.listing()
        let listingURL = Self.packageRoot.appending(path: Self.listingPath)
        if ProcessInfo.processInfo.environment["PIONEER_UPDATE_API"] == "1" {
            try generated.write(to: listingURL, atomically: true, encoding: .utf8)
        }
        let recorded = (try? String(contentsOf: listingURL, encoding: .utf8)) ?? ""
        let (removed, added) = Self.difference(from: recorded, to: generated)
        #expect(removed.isEmpty && added.isEmpty, """
            PioneerKit's public API differs from \(Self.listingPath):
            \((removed.map { "- " + $0 } + added.map { "+ " + $0 }).joined(separator: "\n"))
            If the change to the plugin contract is meant, rewrite the listing with
            `PIONEER_UPDATE_API=1 swift test --skip-build --filter PublicAPITests` and commit it.
            """)
    }

    @Test("the listing holds the contract's types and not the host's or the extraction module's")
    func listingHoldsTheContractOnly() async throws {
        let paths = Set(try await Self.listing().split(separator: "\n").map { String($0.prefix { $0 != " " }) })
        for contract in ["IndicatorPlugin", "FeedRequest", "FeedResponse", "FeedResponses", "FeedResponse.Body", "Observation",
                         "Period", "ConfigNode", "ConfigReader", "IndicatorDefinition", "PluginError"] {
            #expect(paths.contains(contract), "\(contract) is missing from PioneerKit's public API")
        }
        for elsewhere in ["Measure", "Provenance", "FeedSource", "SHA256", "JSONValue", "JSONPath", "CSVTable",
                          "NumberFormat", "didYouMean(_:among:)", "formatNumber(_:decimals:)"] {
            #expect(!paths.contains { $0 == elsewhere || $0.hasPrefix(elsewhere + ".") }, "\(elsewhere) belongs outside the plugin contract")
        }
    }

    @Test("the DocC catalogue builds without warnings, so every symbol it names exists")
    func documentationCatalogueBuilds() async throws {
        let docc = try #require(Self.toolURL("docc"), "docc is not beside swift on PATH; the Swift toolchain ships it")
        try await withTemporaryFolder(prefix: "pioneer-docc") { folder in
            try await Self.withSymbolGraph { graphs in
                try await Self.run(docc, [
                    "convert", Self.packageRoot.appending(path: "Sources/PioneerKit/PioneerKit.docc").path,
                    "--additional-symbol-graph-dir", graphs.path,
                    "--output-path", folder.appending(path: "PioneerKit.doccarchive").path,
                    "--fallback-display-name", "PioneerKit", "--fallback-bundle-identifier", "org.pioneer.PioneerKit",
                    "--warnings-as-errors",
                ])
            }
        }
    }

    /// One line per public symbol, `Path.To.symbol  declaration`, sorted, from the compiled module's symbol graph.
    static func listing() async throws -> String {
        try await withSymbolGraph { output in
            var lines: [String] = []
            for file in try FileManager.default.contentsOfDirectory(at: output, includingPropertiesForKeys: nil)
            where file.pathExtension == "json" {
                let graph = try JSONDecoder().decode(SymbolGraph.self, from: Data(contentsOf: file))
                for symbol in graph.symbols {
                    let declaration = symbol.declarationFragments.map(\.spelling).joined()
                        .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                    lines.append(symbol.pathComponents.joined(separator: ".") + "  " + declaration)
                }
            }
            return lines.sorted().joined(separator: "\n") + "\n"
        }
    }

    /// Calls `body` with a folder holding PioneerKit's public symbol graph, extracted from the built module.
    static func withSymbolGraph<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let modules = try #require(modulesFolder(), "no PioneerKit.swiftmodule under .build: build first (swift build --build-tests)")
        let tool = try #require(toolURL("swift-symbolgraph-extract"),
                                "swift-symbolgraph-extract is not beside swift on PATH; the Swift toolchain ships it")
        return try await withTemporaryFolder(prefix: "pioneer-api") { output in
            try await run(tool, [
                "-module-name", "PioneerKit", "-I", modules.path, "-target", targetTriple(of: modules),
                "-minimum-access-level", "public", "-skip-synthesized-members", "-output-dir", output.path,
            ])
            return try await body(output)
        }
    }

    /// Runs `tool` with `arguments`, throwing what it printed when it fails.
    static func run(_ tool: URL, _ arguments: [String]) async throws {
        let run = try await ChildProcess.run(tool.path, arguments, timeout: 600)
        guard run.status == 0 else {
            throw ListingError(message: "\(tool.lastPathComponent) failed:\n" + run.stdout + run.stderr)
        }
    }

    /// Lines only in `old` and lines only in `new`.
    static func difference(from old: String, to new: String) -> (removed: [String], added: [String]) {
        let oldLines = old.split(separator: "\n").map(String.init), newLines = new.split(separator: "\n").map(String.init)
        let oldSet = Set(oldLines), newSet = Set(newLines)
        return (oldLines.filter { !newSet.contains($0) }, newLines.filter { !oldSet.contains($0) })
    }

    /// The build's `Modules` folder holding PioneerKit.swiftmodule: beside the test bundle, else under .build.
    static func modulesFolder() -> URL? {
        var folders: [URL] = []
        if let runner = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: runner).deletingLastPathComponent())
        }
        if let executable = Bundle.main.executableURL {
            folders.append(executable.deletingLastPathComponent())
        }
        folders.append(packageRoot.appending(path: ".build/debug"))
        return folders.map { $0.appending(path: "Modules") }
            .first { FileManager.default.fileExists(atPath: $0.appending(path: "PioneerKit.swiftmodule").path) }
    }

    /// The triple SwiftPM built for, the name of the folder above `debug` (`x86_64-unknown-linux-gnu`).
    static func targetTriple(of modules: URL) -> String {
        let products = modules.resolvingSymlinksInPath().deletingLastPathComponent()
        return products.deletingLastPathComponent().lastPathComponent
    }

    /// A toolchain program: on PATH, or beside the `swift` found there.
    static func toolURL(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map { URL(fileURLWithPath: String($0)) } + [URL(fileURLWithPath: "/opt/swift/usr/bin")]
        return folders.map { $0.appending(path: name) }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct ListingError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The parts of a symbol graph file the listing reads.
    struct SymbolGraph: Decodable {
        struct Symbol: Decodable {
            struct Fragment: Decodable {
                var spelling: String
            }
            var pathComponents: [String]
            var declarationFragments: [Fragment]
        }
        var symbols: [Symbol]
    }
}
