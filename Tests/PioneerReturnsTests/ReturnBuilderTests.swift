// Building a return from a real store: what goes in, what is missing, what never leaves the site.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReturns
import PioneerStore
import PioneerTesting
import Testing

@Suite("Return builder")
struct ReturnBuilderTests {
    static let asOf = CalendarDate(year: 2026, month: 4, day: 10)!
    static let generatedAt = Date(timeIntervalSince1970: 1_775_808_000) // 2026-04-10T08:00:00Z

    static func withFixture<T>(skipping: Set<Period> = [], url: String? = nil,
                               _ body: (ReturnFixture) async throws -> T) async throws -> T {
        try await withTemporaryFolder(prefix: "pioneer-return-builder") { folder in
            try await body(try ReturnFixture(path: folder.appendingPathComponent("torbay.sqlite").path, skipping: skipping, url: url))
        }
    }

    static func build(_ fixture: ReturnFixture, site: Site = ReturnFixture.site(), period: Period = .quarter(2026, 1),
                      progress: [GoalProgress] = [], allowIncomplete: Bool = false,
                      environment: [String: String] = [:]) async throws -> SiteReturn {
        let result = try ReturnBuilder(site: site, store: fixture.store, generatorVersion: "0.10.0", environment: environment)
            .build(period: period, progress: progress, asOf: asOf, generatedAt: generatedAt, allowIncomplete: allowIncomplete)
        try await ReturnSchemaCheck.expectValid(result)
        return result
    }

    @Test func aQuarterlyReturnCarriesTheMonthsAndTheQuarterAndLeavesOutTheYear() async throws {
        try await Self.withFixture { fixture in
            let result = try await Self.build(fixture)
            #expect(result.schemaVersion == 1)
            #expect(result.generator == Generator(name: "pioneer", version: "0.10.0"))
            #expect(result.site == SiteIdentity(id: "torbay", name: "Torbay and South Devon", region: "South West", wave: "Pioneer wave 1 (2013)"))
            #expect(result.period == ReturnPeriod(label: "2026Q1", type: "quarter", start: "2026-01-01", end: "2026-03-31"))
            #expect(result.generatedAt == "2026-04-10T08:00:00.000Z")
            #expect(result.complete)
            #expect(result.missing.isEmpty)
            #expect(result.indicators.map(\.id) == ["emergency-admissions-65", "involved-in-decisions", "readmissions-30"])
            let admissions = result.indicators[0]
            #expect(admissions.measures.map(\.period.label) == ["2026-01", "2026-02", "2026-03"])
            #expect(admissions.measures.map(\.numerator) == [600, 607, 614])
            #expect(admissions.measures[0].value == 20)
            #expect(admissions.measures[0].denominator == 30_000)
            #expect(admissions.measures[0].interval == ReturnInterval(lower: 18.5, upper: 21.6, level: 0.95, method: "poisson"))
            #expect(admissions.factor == 1000)
            #expect(admissions.kind == "outcome")
            #expect(admissions.valueType == "rate")
            #expect(admissions.better == "lower")
            #expect(admissions.decimals == 1)
            #expect(admissions.definitionVersion == ReturnFixture.admissions.definitionVersion)
            let provenance = admissions.measures[2].provenance
            #expect(provenance.plugin == "json")
            #expect(provenance.runID == fixture.runID)
            #expect(provenance.collectedAt == "2026-04-02T09:14:07.512Z")
            #expect(provenance.sources == [ReturnSource(feed: "bi", url: "https://bi.example.nhs.uk/api/admissions?month=2026-03",
                                                        fetchedAt: "2026-04-02T09:14:06.512Z",
                                                        contentHash: "sha256:" + String(repeating: "ab", count: 32), status: 200)])
            // The quarter's own measure, not last year's.
            #expect(result.indicators[1].measures.map(\.period.label) == ["2026Q1"])
            #expect(result.indicators[1].measures[0].sampleSize == 100)
            #expect(result.runs == [ReturnRun(id: fixture.runID, startedAt: "2026-04-02T09:14:00.512Z",
                                              finishedAt: "2026-04-02T09:14:09.512Z", status: "finished", periods: "2026-01…2026-03")])
            #expect(try ReturnCoding.verify(result) == .valid)
        }
    }

    @Test func aFinancialYearReturnCarriesItsMonthsQuartersAndTheYear() async throws {
        try await withTemporaryFolder(prefix: "pioneer-return-builder") { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("torbay.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "c", periods: "FY2025-26")
            var writes: [StoreWrite] = Period.month(2025, 4).through(.month(2026, 3)).map {
                .measure(Measure(indicatorID: ReturnFixture.admissions.id, period: $0, observation: .value(20, numerator: 600, denominator: 30_000),
                                 provenance: ReturnFixture.provenance()))
            }
            // Calendar quarters inside April 2025 to March 2026: 2025Q2, Q3, Q4 and 2026Q1; 2025Q1 is outside.
            writes += Period.quarter(2025, 1).through(.quarter(2026, 1)).map {
                .measure(Measure(indicatorID: ReturnFixture.involved.id, period: $0, observation: .value(0.6, numerator: 60, denominator: 100),
                                 provenance: ReturnFixture.provenance()))
            }
            writes.append(.measure(Measure(indicatorID: ReturnFixture.careHomes.id, period: .financialYear(2025), observation: .value(212),
                                           provenance: ReturnFixture.provenance())))
            _ = try store.record(writes, site: "torbay", runID: run)
            let site = ReturnFixture.site(indicators: [ReturnFixture.admissions, ReturnFixture.involved, ReturnFixture.careHomes])
            let result = try ReturnBuilder(site: site, store: store, generatorVersion: "0.10.0")
                .build(period: .financialYear(2025), progress: [], asOf: Self.asOf)
            try await ReturnSchemaCheck.expectValid(result)
            #expect(result.period == ReturnPeriod(label: "FY2025-26", type: "fy-year", start: "2025-04-01", end: "2026-03-31"))
            #expect(result.indicators[0].measures.count == 12)
            #expect(result.indicators[1].measures.map(\.period.label) == ["2025Q2", "2025Q3", "2025Q4", "2026Q1"])
            #expect(result.indicators[2].measures.map(\.period.label) == ["FY2025-26"])
            #expect(result.indicators[2].measures[0].value == 212)
            #expect(result.complete)
        }
    }

    @Test func missingRequiredMeasuresRefuseTheReturnWithTheirList() async throws {
        try await Self.withFixture(skipping: [.month(2026, 2)]) { fixture in
            // A failed attempt at February is the reason given.
            let failing = try fixture.store.beginRun(site: "torbay", command: "c", periods: "2026-02")
            try fixture.store.recordOutcome(runID: failing, indicator: ReturnFixture.admissions.id, period: "2026-02",
                                            kind: .failed, reason: "feed bi answered HTTP 503")
            await #expect {
                try await Self.build(fixture)
            } throws: { error in
                guard case ReturnBuildError.incomplete(let site, let period, let missing) = error else { return false }
                return site == "torbay" && period == .quarter(2026, 1) && missing == [
                    MissingMeasure(indicator: "emergency-admissions-65", period: "2026-02",
                                   reason: "the last collection (run \(failing)) failed: feed bi answered HTTP 503"),
                ]
                    && "\(error)" == """
                    the return of torbay for 2026Q1 is incomplete: 1 required measure is missing:
                      emergency-admissions-65 2026-02: the last collection (run \(failing)) failed: feed bi answered HTTP 503
                    collect them (`pioneer collect`), or pass --allow-incomplete to send the return marked incomplete
                    """
            }
        }
    }

    @Test func anIncompleteReturnWhenAllowedIsMarkedAndListsWhatIsMissing() async throws {
        try await Self.withFixture(skipping: [.month(2026, 1), .month(2026, 3)]) { fixture in
            let result = try await Self.build(fixture, allowIncomplete: true)
            #expect(!result.complete)
            // January of readmissions is due (2026-04-02); February and March are not, so they are not required.
            #expect(result.missing == [
                MissingMeasure(indicator: "emergency-admissions-65", period: "2026-01", reason: "nothing collected"),
                MissingMeasure(indicator: "emergency-admissions-65", period: "2026-03", reason: "nothing collected"),
                MissingMeasure(indicator: "readmissions-30", period: "2026-01", reason: "nothing collected"),
            ])
            #expect(result.indicators[0].measures.map(\.period.label) == ["2026-02"])
            #expect(try ReturnCoding.verify(result) == .valid)
        }
    }

    @Test func aFeedDownMeasureIsStoredButStillMissing() async throws {
        try await Self.withFixture(skipping: [.month(2026, 3)]) { fixture in
            let run = try fixture.store.beginRun(site: "torbay", command: "c", periods: "2026-03")
            try fixture.store.record(Measure(indicatorID: ReturnFixture.admissions.id, period: .month(2026, 3),
                                             observation: .notAvailable(.feedDown, "bi unreachable"), provenance: ReturnFixture.provenance()),
                                     site: "torbay", runID: run)
            let result = try await Self.build(fixture, allowIncomplete: true)
            #expect(result.missing == [MissingMeasure(indicator: "emergency-admissions-65", period: "2026-03", reason: "stored as feed down: bi unreachable")])
            let march = try #require(result.indicators[0].measures.last)
            #expect(march.value == nil)
            #expect(march.notAvailable == ReturnNotAvailable(reason: "feed-down", detail: "bi unreachable"))
            #expect(result.runs.map(\.id) == [fixture.runID, run])
        }
    }

    @Test func aSuppressedMeasureIsPresentWithoutItsParts() async throws {
        try await Self.withFixture { fixture in
            let run = try fixture.store.beginRun(site: "torbay", command: "c", periods: "2026Q1")
            try fixture.store.record(Measure(indicatorID: ReturnFixture.involved.id, period: .quarter(2026, 1),
                                             observation: Observation(value: nil, numerator: 4, denominator: 7, sampleSize: 7,
                                                                      notAvailable: NotAvailable(.suppressed, "n = 7, below 10")),
                                             provenance: ReturnFixture.provenance()), site: "torbay", runID: run)
            let result = try await Self.build(fixture)
            #expect(result.complete)
            let measure = result.indicators[1].measures[0]
            #expect(measure.value == nil && measure.numerator == nil && measure.denominator == nil)
            #expect(measure.sampleSize == 7)
            #expect(measure.notAvailable == ReturnNotAvailable(reason: "suppressed", detail: "n = 7, below 10"))
        }
    }

    @Test func noCredentialLeavesTheSite() async throws {
        let secret = "s3cr3t-Token"
        try await Self.withFixture(url: "https://report:hunter2@bi.example.nhs.uk/api/adm?month=2026-01&token=REDACTED&k=\(secret)&area=E06#top") { fixture in
            let feed = FeedDefinition(name: "bi", baseURL: "https://bi.example.nhs.uk",
                                      auth: .bearer(token: SecretReference(variable: "TORBAY_BI_TOKEN", location: .unknown())))
            let result = try await Self.build(fixture, site: ReturnFixture.site(feeds: [feed]), environment: ["TORBAY_BI_TOKEN": secret])
            let url = result.indicators[0].measures[0].provenance.sources[0].url
            #expect(url == "https://bi.example.nhs.uk/api/adm?month=2026-01&area=E06#top")
            let text = String(decoding: try ReturnCoding.canonical(result), as: UTF8.self)
            for leak in ["hunter2", "report:", secret, "token="] {
                #expect(!text.contains(leak), "the return carries \(leak)")
            }
        }
        let clean = CredentialFreeURL()
        #expect(clean.clean("http://u@h.example/x?API_KEY=1") == "http://h.example/x")
        #expect(clean.clean("https://h.example/a?b=1") == "https://h.example/a?b=1")
        #expect(clean.clean("not a url?token=1") == "not a url?token=1")
    }

    @Test func aPeriodNotOverOrOfAnotherKindIsRefused() async throws {
        try await Self.withFixture { fixture in
            await #expect {
                try await Self.build(fixture, period: .month(2026, 4))
            } throws: { "\($0)" == "2026-04 has not ended yet (it ends 2026-04-30, today is 2026-04-10); a return is for a period that is over" }
            await #expect {
                try await Self.build(fixture, period: Period.isoWeek(2026, 2)!)
            } throws: { "\($0)" == "a return is for a month (`2026-03`), a quarter (`2026Q1`, `FY2025-26 Q4`) or a financial year (`FY2025-26`), not an ISO week (`2026-W02`)" }
        }
    }

    @Test func aGoalCarriesTheComputedStatusBesideTheSelfAssessment() async throws {
        try await Self.withFixture { fixture in
            let latest = SeriesPoint(period: .month(2026, 3), observation: .value(20.466, numerator: 614, denominator: 30_000))
            let assessment = GoalAssessment(
                goal: ReturnFixture.goal, status: .offTrack, latest: latest,
                interval: ConfidenceInterval(lower: 18.9, upper: 22.1, method: "poisson"), expected: 19.95, gap: 0.516,
                projection: Projection(value: 20.1, meetsTarget: false, pointsUsed: 12, slopePerPeriod: -0.02), agreement: .optimistic)
            let chart = SPCChart(points: [], variation: .specialCauseConcern, assurance: .consistentFail)
            let progress = GoalProgress(assessment: assessment, definition: ReturnFixture.admissions, series: [latest],
                                        spc: .chart(chart), spcPeriods: [], events: [])
            let result = try await Self.build(fixture, progress: [progress])
            #expect(result.goals == [ReturnGoal(
                id: "fewer-admissions", indicator: "emergency-admissions-65", title: "Reduce emergency admissions by 10%",
                baseline: ReturnPeriodValue(period: "2025-03", value: 21), target: ReturnPeriodValue(period: "2027-03", value: 18.9),
                trajectoryValue: 19.95, status: "off track", latest: ReturnPeriodValue(period: "2026-03", value: 20.466),
                interval: ReturnInterval(lower: 18.9, upper: 22.1, level: 0.95, method: "poisson"),
                projection: ReturnProjection(value: 20.1, meetsTarget: false, pointsUsed: 12, slopePerPeriod: -0.02),
                variation: "special_cause_concern", assurance: "consistent_fail",
                selfAssessment: ReturnSelfAssessment(rag: "green", confidence: "high", narrative: "Frailty hub live", asOf: "2026-03-15"),
                agreement: "optimistic")])
        }
    }

    @Test func theDefinitionVersionChangesWithWhatTheValuesMean() {
        let base = ReturnFixture.admissions
        let version = base.definitionVersion
        #expect(version.count == 12)
        #expect(version.allSatisfy { "0123456789abcdef".contains($0) })
        var changes: [IndicatorDefinition] = []
        var changed = base; changed.id = "emergency-admissions"; changes.append(changed)
        changed = base; changed.name = "Emergency admissions 65+"; changes.append(changed)
        changed = base; changed.kind = .process; changes.append(changed)
        changed = base; changed.valueType = .count; changes.append(changed)
        changed = base; changed.unit = "per 1,000"; changes.append(changed)
        changed = base; changed.factor = .per100000; changes.append(changed)
        changed = base; changed.better = .higher; changes.append(changed)
        changed = base; changed.decimals = 2; changes.append(changed)
        for definition in changes {
            #expect(definition.definitionVersion != version, "\(definition) kept version \(version)")
        }
        #expect(Set(changes.map(\.definitionVersion)).count == changes.count)
        // How and when it is collected is not what it means.
        var described = base
        described.description = "From the SUS extract"
        described.dueAfter = DueLag(count: 30, unit: .days)
        #expect(described.definitionVersion == version)
    }
}

@Suite("Goal progress as at a period")
struct GoalProgressReaderTests {
    @Test func aGoalIsJudgedOnTheSeriesUpToTheEndOfTheReportingPeriod() async throws {
        try await ReturnBuilderTests.withFixture { fixture in
            // April is stored too, but a 2026Q1 return says what was known of the quarter.
            let run = try fixture.store.beginRun(site: "torbay", command: "c", periods: "2026-04")
            try fixture.store.record(Measure(indicatorID: ReturnFixture.admissions.id, period: .month(2026, 4),
                                             observation: .value(15, numerator: 450, denominator: 30_000),
                                             provenance: ReturnFixture.provenance()), site: "torbay", runID: run)
            let site = ReturnFixture.site()
            let progress = try GoalProgressReader(site: site, store: fixture.store).progress(asAtEndOf: .quarter(2026, 1))
            #expect(progress.count == 1)
            let assessment = try #require(progress.first?.assessment)
            #expect(assessment.goal.id == "fewer-admissions")
            #expect(assessment.latest?.period == .month(2026, 3))
            #expect(progress.first?.series.map(\.period) == Period.month(2026, 1).through(.month(2026, 3)))
            #expect(assessment.status != nil)

            let result = try await ReturnBuilderTests.build(fixture, site: site, progress: progress)
            let goal = try #require(result.goals.first)
            #expect(goal.latest == ReturnPeriodValue(period: "2026-03", value: 614.0 / 30.0))
            #expect(goal.status == assessment.status?.rawValue)
            #expect(goal.selfAssessment == ReturnSelfAssessment(rag: "green", confidence: "high", narrative: "Frailty hub live", asOf: "2026-03-15"))
            #expect(goal.agreement == assessment.agreement.rawValue)
        }
    }
}
