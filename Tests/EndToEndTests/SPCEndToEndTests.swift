// `pioneer spc` run as a user runs it: CSV in, every point's chart out as JSON or CSV, and
// each kind of bad input named by its line with a non-zero exit.
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer spc end to end")
struct SPCEndToEndTests {
    /// NHSRplotthedots' "Deviations from Excel defaults" vignette series (MIT, NHS-R Community).
    static let deviations: [Double] = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]

    static func csv(_ series: String, _ values: [Double], from first: Int = 1) -> String {
        values.enumerated().map { "\(series),\(first + $0.offset),\($0.element)\n" }.joined()
    }

    /// Runs `pioneer spc --input FILE arguments` on `text`, or feeds it on stdin with `--input -`.
    static func spc(_ text: String, _ arguments: [String] = [], stdin: Bool = false) async throws -> PioneerBinary.Run {
        try await withTemporaryFolder(prefix: "pioneer-spc") { folder in
            let file = folder.appendingPathComponent("input.csv")
            try Data(text.utf8).write(to: file)
            if !stdin {
                return try await PioneerBinary.run(["spc", "--input", "input.csv"] + arguments, in: folder.path)
            }
            return try await runWithStandardInput(["spc", "--input", "-"] + arguments, input: file)
        }
    }

    /// PioneerBinary.run with the file `input` as the child's standard input.
    static func runWithStandardInput(_ arguments: [String], input: URL) async throws -> PioneerBinary.Run {
        try await PioneerBinary.run(arguments, input: try Data(contentsOf: input))
    }

    static func json(_ run: PioneerBinary.Run) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return try #require(object?["series"] as? [[String: Any]], "output: \(run.stdout.prefix(400))")
    }

    static func points(_ series: [String: Any]) throws -> [[String: Any]] {
        try #require(series["points"] as? [[String: Any]])
    }

    // MARK: Output

    @Test func jsonGivesEveryPointItsLimitsLabelAndRuleWithTheSeriesVariation() async throws {
        let run = try await Self.spc("series,index,value\n" + Self.csv("ward", Self.deviations))
        #expect(run.status == 0, "\(run.stderr)")
        let series = try Self.json(run)
        #expect(series.count == 1)
        let ward = series[0]
        #expect(Set(ward.keys) == ["id", "variation", "assurance", "points"])
        #expect(ward["id"] as? String == "ward")
        #expect(ward["variation"] as? String == "common_cause")
        #expect(ward["assurance"] is NSNull)
        let points = try Self.points(ward)
        #expect(points.count == 18)
        #expect(Set(points[0].keys) == ["index", "value", "mean", "lower_limit", "upper_limit", "point_type", "special_cause"])
        for point in points {
            let upper = try #require(point["upper_limit"] as? Double)
            let lower = try #require(point["lower_limit"] as? Double)
            let mean = try #require(point["mean"] as? Double)
            #expect(abs(upper - 4.6044444444) < 1e-9 && abs(lower - -0.7155555556) < 1e-9 && abs(mean - 1.9444444444) < 1e-9)
        }
        #expect(points[4]["index"] as? Int == 5)
        #expect(points[4]["value"] as? Double == 10)
        #expect(points[4]["point_type"] as? String == "special_cause_improvement")
        #expect(points[4]["special_cause"] as? String == "outside_limits")
        #expect(points[0]["point_type"] as? String == "common_cause")
        #expect(points[0]["special_cause"] is NSNull)
    }

    @Test func optionsReachTheEngine() async throws {
        let input = "series,index,value\n" + Self.csv("ward", Self.deviations)
        let excel = try Self.points(try Self.json(try await Self.spc(input, ["--no-screen"]))[0])
        #expect(abs((excel[0]["upper_limit"] as? Double ?? 0) - 6.9515032680) < 1e-9)

        let target = try Self.json(try await Self.spc(input, ["--better", "lower", "--target", "10"]))[0]
        #expect(target["assurance"] as? String == "consistent_pass")
        // A negative target is the option's value, not another option (it was "Missing value").
        let negative = try Self.json(try await Self.spc(input, ["--better", "higher", "--target", "-50"]))[0]
        #expect(negative["assurance"] as? String == "consistent_pass")
        let concern = try Self.points(target)[4]
        #expect(concern["point_type"] as? String == "special_cause_concern")

        // --rebase-at 10: points 10 to 18 are a second phase with their own mean.
        let rebased = try Self.points(try Self.json(try await Self.spc(input, ["--rebase-at", "10"]))[0])
        #expect(rebased[8]["mean"] as? Double != rebased[9]["mean"] as? Double)
        #expect(rebased[9]["mean"] as? Double == rebased[17]["mean"] as? Double)

        // A rebase at the last point leaves it a phase of one: its mean, but no limits (null, as
        // NHSRplotthedots' NaN), and no assurance from it.
        let lastAlone = try Self.json(try await Self.spc(input, ["--rebase-at", "\(Self.deviations.count)", "--better", "lower", "--target", "10"]))[0]
        let alone = try #require(try Self.points(lastAlone).last)
        #expect(alone["mean"] as? Double == alone["value"] as? Double)
        #expect(alone["lower_limit"] is NSNull && alone["upper_limit"] is NSNull, "\(alone)")
        #expect(lastAlone["assurance"] is NSNull)

        // --fix-after 12 --minimum-points 12: limits from the first twelve.
        let fixed = try Self.points(try Self.json(try await Self.spc(input, ["--fix-after", "12"]))[0])
        #expect(abs((fixed[0]["mean"] as? Double ?? 0) - 26.0 / 12) < 1e-12)

        // Neutral: high, not improvement; and no assurance even with a target.
        let neutral = try Self.json(try await Self.spc(input, ["--better", "neutral", "--target", "3"]))[0]
        #expect(try Self.points(neutral)[4]["point_type"] as? String == "special_cause_neutral_high")
        #expect(neutral["assurance"] is NSNull)
    }

    @Test func manySeriesInAnyOrderWithQuotedNamesComeOutInIndexOrder() async throws {
        let a = Self.csv("\"North, East\"", Array(Self.deviations.prefix(12))).split(separator: "\n").map(String.init)
        let b = Self.csv("south", Array(repeating: 3, count: 12), from: 101).split(separator: "\n").map(String.init)
        // Interleaved, and each series backwards.
        var lines: [String] = []
        for (x, y) in zip(a.reversed(), b.reversed()) { lines += [x, y] }
        let run = try await Self.spc("series,index,value\r\n" + lines.joined(separator: "\r\n") + "\r\n")
        #expect(run.status == 0, "\(run.stderr)")
        let series = try Self.json(run)
        #expect(series.map { $0["id"] as? String } == ["North, East", "south"])
        #expect(try Self.points(series[0]).map { $0["index"] as? Int } == Array(1...12))
        #expect(try Self.points(series[1]).map { $0["index"] as? Int } == Array(101...112))
    }

    @Test func aByteOrderMarkEscapedQuotesAndWrittenNumbersAreRead() async throws {
        // Values as people write them: an exponent, a plus sign, spaces around the number.
        let written = ["1", "2", "1", "2", "1e1", "+1", " 2 ", "1", "2.0", "1", "2", "1"]
        let rows = written.enumerated().map { "\"St \"\"Mary\"\"\",\($0.offset + 1),\($0.element)\r\n" }.joined()
        let run = try await Self.spc("\u{FEFF}series,index,value\r\n" + rows)
        #expect(run.status == 0, "\(run.stderr)")
        let series = try Self.json(run)[0]
        #expect(series["id"] as? String == "St \"Mary\"")
        #expect(try Self.points(series).map { $0["value"] as? Double } == [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1])
    }

    @Test func columnsMayComeInAnyOrder() async throws {
        let rows = Self.deviations.enumerated().map { "\($0.element),\($0.offset + 1),ward\n" }.joined()
        let run = try await Self.spc("value,index,series\n" + rows)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.points(try Self.json(run)[0])[4]["special_cause"] as? String == "outside_limits")
    }

    @Test func csvOutputHasOneRowPerPointWithTheSameFields() async throws {
        let run = try await Self.spc("series,index,value\n" + Self.csv("\"a,b\"", Self.deviations), ["--format", "csv", "--target", "10"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "series,index,value,mean,lower_limit,upper_limit,point_type,special_cause,variation,assurance")
        #expect(lines.count == 19)
        #expect(lines[5].hasPrefix("\"a,b\",5,10.0,1.9444444444444444,"))
        #expect(lines[5].hasSuffix(",special_cause_improvement,outside_limits,common_cause,consistent_fail"))
        #expect(lines[1].hasSuffix(",common_cause,,common_cause,consistent_fail"))
    }

    @Test func standardInputIsReadWithADash() async throws {
        let run = try await Self.spc("series,index,value\n" + Self.csv("ward", Self.deviations), stdin: true)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.json(run)[0]["variation"] as? String == "common_cause")
    }

    @Test func aShortSeriesBesideALongOneIsListedWithoutLimits() async throws {
        let input = "series,index,value\n" + Self.csv("long", Self.deviations) + Self.csv("short", [1, 2, 3])
        let run = try await Self.spc(input)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("note: input.csv:20: series `short` has 3 points; an XmR chart needs at least 12"))
        let short = try Self.json(run)[1]
        #expect(short["variation"] is NSNull)
        let need = try #require(short["not_enough_points"] as? [String: Any])
        #expect(need["have"] as? Int == 3 && need["need"] as? Int == 12)
        #expect(try Self.points(short).allSatisfy { $0["mean"] is NSNull && $0["point_type"] is NSNull })

        let csv = try await Self.spc(input, ["--format", "csv"])
        #expect(csv.stdout.contains("\nshort,1,1.0,,,,,,,\n"))
    }

    // MARK: Errors

    /// Expects exit 1 and a plain message naming `where`, with no Swift type names in it.
    static func expectInputError(_ text: String, _ arguments: [String] = [], _ message: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let run = try await spc(text, arguments)
        #expect(run.status == 1, sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(run.stderr.contains(message), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(!run.stderr.contains("SPCInput") && !run.stderr.contains("Error("), sourceLocation: sourceLocation)
    }

    @Test func aValueThatIsNotANumberNamesItsLine() async throws {
        var text = "series,index,value\n" + Self.csv("ward", Self.deviations)
        text += "ward,19,n/a\n"
        try await Self.expectInputError(text, [], "error: input.csv:20: the `value` field should be a number, but found `n/a`")
        try await Self.expectInputError("series,index,value\nward,1,nan\n", [], "input.csv:2: the `value` field should be a number, but found `nan`")
        try await Self.expectInputError("series,index,value\nward,1,\n", [], "input.csv:2: the `value` field is empty")
        try await Self.expectInputError("series,index,value\nward,one,1\n", [], "input.csv:2: the `index` field should be a whole number")
        try await Self.expectInputError("series,index,value\nward,1,5\nward,2,1e308\n", [],
                                        "error: input.csv:3: the value `1e308` is too large to chart; values must be within ±1e300")
    }

    @Test func aRepeatedIndexNamesBothLines() async throws {
        let text = "series,index,value\n" + Self.csv("ward", Self.deviations) + "ward,3,4\n"
        try await Self.expectInputError(text, [], "error: input.csv:20: series `ward` has index 3 twice (lines 4 and 20)")
    }

    @Test func tooShortWhenNoSeriesCanBeChartedIsAnError() async throws {
        try await Self.expectInputError("series,index,value\n" + Self.csv("ward", [1, 2, 3, 4, 5]), [],
                                        "error: input.csv:2: series `ward` has 5 points; an XmR chart needs at least 12 (--minimum-points)")
        let run = try await Self.spc("series,index,value\n" + Self.csv("ward", [1, 2, 3, 4, 5]), ["--minimum-points", "5"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func aMissingColumnEmptyInputAndBrokenCSVAreNamed() async throws {
        try await Self.expectInputError("series,period,value\nward,1,2\n", [],
                                        "error: input.csv:1: the header has no `index` column; it should name the columns `series,index,value` (found `series,period,value`)")
        try await Self.expectInputError("", [], "error: input.csv: the input is empty")
        try await Self.expectInputError("\n\n", [], "error: input.csv: the input is empty")
        try await Self.expectInputError("series,index,value\n", [], "error: input.csv:1: the input has a header but no points")
        try await Self.expectInputError("series,index,value\nward,1\n", [], "error: input.csv:2: expected 3 fields as in the header, found 2")
        try await Self.expectInputError("series,index,value\n\"ward,1,2\n", [], "error: input.csv:2: a quoted field is never closed")
        try await Self.expectInputError("series,index,value\n\"ward\"x,1,2\n", [], "error: input.csv:2: unexpected text after a closing quote")
        try await Self.expectInputError("series,index,value\n,1,2\n", [], "error: input.csv:2: the `series` field is empty")
    }

    @Test func aMissingFileIsNamed() async throws {
        let run = try await PioneerBinary.run(["spc", "--input", "/nonexistent/series.csv"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: /nonexistent/series.csv: no such file\n")
    }

    @Test(arguments: [
        (["--rebase-at", "0"], "--rebase-at 0: positions count from 1"),
        (["--better", "sideways"], "sideways"),
        (["--fix-after", "5"], "--fix-after 5 is fewer than --minimum-points (12)"),
        (["--trend-length", "1"], "--trend-length must be at least 2"),
        (["--target", "nan"], "--target must be a number"),
    ])
    func badOptionsAreUsageErrors(arguments: [String], message: String) async throws {
        let run = try await Self.spc("series,index,value\n" + Self.csv("ward", Self.deviations), arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "stderr: \(run.stderr)")
    }
}
