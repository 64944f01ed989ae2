// Behaviour of the `pioneer` command itself, whatever the subcommand: usage errors
// exit 2 with argument-parser's message, and a closed output pipe ends a run quietly.
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer command line", .timeLimit(.minutes(5)))
struct CLIEndToEndTests {
    @Test func anUnknownOptionIsAUsageErrorWithExitTwo() async throws {
        let run = try await PioneerBinary.run(["collect", "--bogus"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("Unknown option '--bogus'"))
        #expect(run.stderr.contains("Usage: pioneer collect"))
    }

    @Test func anUnknownSubcommandIsAUsageErrorWithExitTwo() async throws {
        let run = try await PioneerBinary.run(["colect"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("colect"))
    }

    @Test func helpExitsZero() async throws {
        let run = try await PioneerBinary.run(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("SUBCOMMANDS"))
    }

    @Test func aClosedOutputPipeEndsTheRunWithoutASignal() async throws {
        let executable = try #require(PioneerBinary.url(), "build the pioneer executable first")
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["validate", "--root", PioneerBinary.packageRoot.appendingPathComponent("sites").path]
        process.environment = ["PATH": "/usr/bin:/bin", "TORBAY_BI_TOKEN": "test"]
        process.standardOutput = pipe.fileHandleForWriting
        process.standardError = FileHandle.nullDevice
        let end = try await StartedProcess.start(process).exit(within: 300)
        #expect(end.reason == .exit, "pioneer was killed by signal \(end.status)")
        #expect(end.status == 0)
    }
}

@Suite("pioneer plugins and usage errors", .timeLimit(.minutes(5)))
struct PluginsAndUsageEndToEndTests {
    @Test func pluginsListsEveryBuiltInPluginByNameInOneAlignedColumn() async throws {
        let run = try await PioneerBinary.run(["plugins"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["care-home-deaths", "csv", "json", "rate", "survey"])
        // Every summary starts in the same column, two spaces after the longest name.
        let column = "care-home-deaths".count + 2
        for line in lines {
            let summaryStart = line.index(line.startIndex, offsetBy: column)
            #expect(line[line.index(before: summaryStart)] == " " && line[summaryStart] != " ", "\(line)")
        }
    }

    @Test func aUsageErrorFoundWhileRunningShowsTheSubcommandsUsage() async throws {
        let run = try await PioneerBinary.run(["collect"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: say which periods to collect"), "\(run.stderr)")
        #expect(run.stderr.contains("Usage: pioneer collect [<site-directories> ...] [--period <period>]"), "\(run.stderr)")
        #expect(run.stderr.contains("See 'pioneer collect --help' for more information."), "\(run.stderr)")
    }

    @Test func everyUsageErrorNamesItsSubcommandsUsage() async throws {
        for arguments in [["runs", "sites/torbay", "--limit", "0"], ["demo-feeds", "--port", "70000"],
                          ["bench-feeds", "--port", "-5"], ["validate", "--sample", "March"]] {
            let run = try await PioneerBinary.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.hasPrefix("error: "), "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("Usage: pioneer \(arguments[0])"), "\(arguments): \(run.stderr)")
        }
    }

    @Test(arguments: [["collect", "--period", "2026-13"], ["measures", "sites/torbay", "--from", "2026-13", "--to", "2026-14"]])
    func aPeriodThatIsNotOneIsAUsageErrorNamingTheOption(arguments: [String]) async throws {
        let run = try await PioneerBinary.run(arguments)
        #expect(run.status == 2, "\(run.stderr)")
        let option = arguments[try #require(arguments.firstIndex(of: "2026-13")) - 1]
        #expect(run.stderr.hasPrefix("error: The value '2026-13' is invalid for '\(option) <period>': `2026-13` is not a period: a month is 01 to 12"),
                "\(run.stderr)")
        #expect(run.stderr.contains("Usage: pioneer \(arguments[0])"), "\(run.stderr)")
    }
}
