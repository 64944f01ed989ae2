// The module graph docs/architecture.md draws is Package.swift's, and points one way: each
// module depends only on modules in lower rows, so no stage reaches back to an earlier one.
import Foundation
import Testing

@Suite("Module graph")
struct ModuleGraphTests {
    /// One row of the drawing: `row 3  PioneerConfig ───► PioneerCore, PioneerKit   (+ libyaml)`.
    struct Edge: Equatable {
        var row: Int
        var module: String
        var dependencies: Set<String>
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: PioneerBinary.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The rows of the ```` ``` ```` block under `### The module graph`, Pioneer modules only.
    static func drawing() throws -> [Edge] {
        let document = try text("docs/architecture.md")
        guard let heading = document.range(of: "### The module graph"),
              let open = document.range(of: "```\n", range: heading.upperBound..<document.endIndex),
              let close = document.range(of: "\n```", range: open.upperBound..<document.endIndex) else { return [] }
        var row = -1
        var edges: [Edge] = []
        for line in document[open.upperBound..<close.lowerBound].split(separator: "\n") {
            var rest = Substring(line)
            if rest.hasPrefix("row ") {
                let number = rest.dropFirst(4).prefix { $0.isNumber }
                row = Int(number) ?? -1
                rest = rest.dropFirst(4 + number.count)
            }
            let parts = rest.components(separatedBy: "►")
            let module = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: " ─"))
                .components(separatedBy: " ").first ?? ""
            let listed = parts.count > 1 ? parts[1].components(separatedBy: "(+")[0] : ""
            let dependencies = listed.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("Pioneer") }
            edges.append(Edge(row: row, module: module, dependencies: Set(dependencies)))
        }
        return edges
    }

    /// The Pioneer modules a target names in its `dependencies:` in Package.swift.
    static func manifestDependencies(of target: String, in manifest: String) -> Set<String>? {
        // Targets only: products have names too.
        guard let targets = manifest.range(of: "\n    targets: ["),
              let name = manifest.range(of: "name: \"\(target)\",", range: targets.upperBound..<manifest.endIndex),
              let list = manifest.range(of: "dependencies: [", range: name.upperBound..<manifest.endIndex) else { return nil }
        var depth = 1
        var index = list.upperBound
        while index < manifest.endIndex, depth > 0 {
            if manifest[index] == "[" { depth += 1 }
            if manifest[index] == "]" { depth -= 1 }
            index = manifest.index(after: index)
        }
        // Up to the end of the dependencies line, so `[...] + indicatorPlugins.map` is one list.
        let body = manifest[list.upperBound..<index]
        return Set(body.components(separatedBy: "\"").enumerated()
            .filter { $0.offset % 2 == 1 && $0.element.hasPrefix("Pioneer") }.map(\.element))
    }

    @Test func theDrawingListsEachModuleWithItsDependenciesInPackageSwift() throws {
        let manifest = try Self.text("Package.swift")
        let edges = try Self.drawing()
        #expect(edges.count >= 10, "docs/architecture.md has no module graph under `### The module graph`")
        for edge in edges where edge.module.hasPrefix("Pioneer") || edge.module == "pioneer" {
            let declared = try #require(Self.manifestDependencies(of: edge.module, in: manifest),
                                        "docs/architecture.md draws `\(edge.module)`, which Package.swift does not declare")
            #expect(edge.dependencies == declared,
                    "docs/architecture.md: \(edge.module) depends on \(declared.sorted()) in Package.swift, the drawing says \(edge.dependencies.sorted())")
        }
    }

    @Test func everyDependencyIsInALowerRow() throws {
        let edges = try Self.drawing()
        let rows = Dictionary(edges.map { ($0.module, $0.row) }, uniquingKeysWith: { first, _ in first })
        for edge in edges {
            for dependency in edge.dependencies {
                let row = try #require(rows[dependency], "\(edge.module) depends on \(dependency), which the drawing has no row for")
                #expect(row < edge.row, "\(edge.module) (row \(edge.row)) depends on \(dependency) (row \(row)): a stage reaching back")
            }
        }
    }
}
