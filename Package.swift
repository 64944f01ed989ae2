// swift-tools-version: 6.2
// Pioneer: monitoring the sites of a national integrated care programme.
// The targets follow the data: config, plugins, feeds, store, collect, with the CLI on top.
// No stage depends on a later one; the CLI builds the plugin catalogue and joins them
// (docs/architecture.md draws the graph).
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // The compiler checks what each module exposes: an import is internal unless it says
    // `public import`, and a member is visible only where its module is imported.
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Indicator plugins, one folder each under Plugins/<Name>/. One name per plugin: the
/// folder `CareHomeDeaths` holds target `CareHomeDeathsPlugin`, type
/// `CareHomeDeathsIndicatorPlugin` and YAML name `care-home-deaths` (PluginConventionTests
/// checks). SwiftPM would read a bare Plugins/ folder as package plugins, so each target
/// is declared with an explicit path.
let indicatorPluginNames = ["CareHomeDeaths", "CSV", "JSON", "Rate", "Survey"]
let indicatorPlugins = indicatorPluginNames.map { (target: "\($0)Plugin", folder: $0) }

let package = Package(
    name: "Pioneer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pioneer", targets: ["pioneer"]),
        .library(name: "PioneerKit", targets: ["PioneerKit"]),
        .library(name: "PioneerExtraction", targets: ["PioneerExtraction"]),
        .library(name: "PioneerTesting", targets: ["PioneerTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // SHA-256 for content hashes; already in the build through Hummingbird's dependencies.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The intake server's metrics (swift-metrics), served in the Prometheus text format.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Already in the build through Hummingbird; the intake server names its time amounts.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Starting external plugin processes (PioneerExec): process groups, pipes, signals.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // Its FilePath and FileDescriptor types, already in the build through swift-subprocess.
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        // The intake store on PostgreSQL, several servers on one database (issue 14).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: Plugin API: the one module plugin authors import.
        .target(
            name: "PioneerKit",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Reading feed bodies: JSON, JSONPath, CSV, numbers as people write them. Plugins may use it.
        .target(
            name: "PioneerExtraction",
            dependencies: ["PioneerKit"],
            swiftSettings: swiftSettings
        ),

        // MARK: Indicator plugins, one folder each.
        ] + indicatorPlugins.map { plugin in
            .target(
                name: plugin.target,
                dependencies: ["PioneerKit", "PioneerExtraction"],
                path: "Plugins/\(plugin.folder)",
                exclude: ["README.md", "sample.yaml"],
                swiftSettings: swiftSettings
            )
        } + [
        .target(
            name: "PioneerPlugins",
            dependencies: ["PioneerKit", "PioneerCore"] + indicatorPlugins.map { .target(name: $0.target) },
            swiftSettings: swiftSettings
        ),

        // MARK: Stages of the pipeline.
        .target(
            name: "PioneerCore",
            dependencies: ["PioneerKit"],
            swiftSettings: swiftSettings
        ),
        // External process plugins: a site's own program speaking docs/plugin-protocol.md.
        .target(
            name: "PioneerExec",
            dependencies: [
                "PioneerKit", "PioneerExtraction", "PioneerCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PioneerConfig",
            dependencies: [
                "PioneerKit", "PioneerExtraction", "PioneerCore", "PioneerExec", "CYAML",
            ],
            swiftSettings: swiftSettings
        ),
        // The system libyaml: PioneerConfig composes configuration from its parse events.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CCurlShim",
            dependencies: ["CCurl"],
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "PioneerFeeds",
            dependencies: [
                "PioneerKit", "PioneerCore", "CCurl", "CCurlShim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PioneerStore",
            dependencies: [
                "PioneerKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PioneerCollect",
            dependencies: [
                "PioneerKit", "PioneerExtraction", "PioneerCore", "PioneerFeeds", "PioneerStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Goals: where each goal stands and whether the change is real (SPC). Pure: series in, judgements out.
        .target(
            name: "PioneerGoals",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerExtraction"],
            swiftSettings: swiftSettings
        ),
        // The pictures: HTML reports with SVG charts, self-contained: a site's goals, and the national aggregate.
        .target(
            name: "PioneerReport",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerExtraction", "PioneerGoals", "PioneerAggregate"],
            swiftSettings: swiftSettings
        ),
        // Returns: one site's measures, goals and provenance for a reporting period, digested, for the programme office.
        .target(
            name: "PioneerReturns",
            dependencies: [
                "PioneerKit", "PioneerExtraction", "PioneerCore", "PioneerGoals", "PioneerStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The national aggregate: the sites' returns pooled, compared on funnel plots, checked for completeness.
        .target(
            name: "PioneerAggregate",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerReturns", "PioneerGoals"],
            swiftSettings: swiftSettings
        ),
        // The national intake: submissions checked against the programme and stored with their
        // summary in one transaction, versions and tokens. No HTTP: PioneerServer stands on it.
        .target(
            name: "PioneerIntake",
            dependencies: [
                "PioneerKit", "PioneerCore", "PioneerReturns", "PioneerAggregate",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PioneerDemo",
            dependencies: [
                "PioneerKit", "PioneerExtraction",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PioneerTesting",
            dependencies: [
                "PioneerKit", "PioneerCore", "PioneerPlugins",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // The national intake service: sites submit returns over HTTP (Hummingbird), the office reads status, aggregate, dashboard.
        .target(
            name: "PioneerServer",
            dependencies: [
                "PioneerKit", "PioneerCore", "PioneerReturns", "PioneerAggregate", "PioneerIntake", "PioneerReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The command-line tool, a thin layer over the modules.
        .executableTarget(
            name: "pioneer",
            dependencies: [
                "PioneerKit", "PioneerExtraction", "PioneerCore", "PioneerConfig", "PioneerPlugins",
                "PioneerFeeds", "PioneerStore", "PioneerCollect", "PioneerGoals", "PioneerReport", "PioneerReturns", "PioneerAggregate", "PioneerIntake", "PioneerServer", "PioneerDemo", "PioneerExec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // SHA-256 of the load test's generated returns (bench-intake).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests.
        .testTarget(
            name: "PioneerKitTests",
            dependencies: ["PioneerKit", "PioneerTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerExtractionTests",
            dependencies: ["PioneerKit", "PioneerExtraction", "PioneerTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PluginTests",
            dependencies: ["PioneerKit", "PioneerExtraction", "PioneerCore", "PioneerPlugins", "PioneerTesting", "PioneerConfig"] + indicatorPlugins.map { .target(name: $0.target) },
            resources: [.copy("Payloads"), .copy("Conformance/jsonpath-cts")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerConfigTests",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerConfig", "PioneerPlugins", "PioneerTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerFeedsTests",
            dependencies: [
                "PioneerKit", "PioneerCore", "PioneerFeeds", "PioneerTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            // Run by path from the package's folder (FeedSecurityTests), not bundled.
            exclude: ["Fixtures/scripted_answer.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerStoreTests",
            dependencies: ["PioneerKit", "PioneerExtraction", "PioneerStore", "PioneerTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerCollectTests",
            dependencies: [
                "PioneerKit", "PioneerExtraction", "PioneerCore", "PioneerConfig", "PioneerPlugins", "PioneerCollect", "PioneerStore",
                "PioneerFeeds", "PioneerDemo", "PioneerTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                // A trigger that refuses a run's closing write (RunNotClosedTests).
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerExecTests",
            dependencies: [
                "PioneerKit", "PioneerCore", "PioneerConfig", "PioneerPlugins", "PioneerCollect", "PioneerStore",
                "PioneerFeeds", "PioneerExec", "PioneerExtraction", "PioneerTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerGoalsTests",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerGoals", "PioneerExtraction"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerReportTests",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerGoals", "PioneerReport", "PioneerAggregate"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerReturnsTests",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerGoals", "PioneerStore", "PioneerReturns", "PioneerTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerAggregateTests",
            dependencies: ["PioneerKit", "PioneerCore", "PioneerReturns", "PioneerAggregate", "PioneerGoals"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerIntakeTests",
            dependencies: [
                "PioneerKit", "PioneerCore", "PioneerReturns", "PioneerAggregate", "PioneerIntake", "PioneerTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PioneerServerTests",
            dependencies: [
                "PioneerKit", "PioneerCore", "PioneerReturns", "PioneerAggregate", "PioneerIntake", "PioneerServer", "PioneerTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "PioneerKit", "PioneerDemo", "PioneerStore", "PioneerReturns", "PioneerIntake", "PioneerTesting",
                // A made-up report for the headless Chromium check (ReportChromiumTests).
                "PioneerCore", "PioneerGoals", "PioneerReport", "PioneerAggregate",
                // SQLite's integrity check on the intake database after a SIGKILL (IntakeKillTests).
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
