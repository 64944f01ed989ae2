// The demo feed simulator: repeatable answers, realistic shape (winter peaks, each site's step
// change), the bearer token, conditional requests, errors, and every example site's feed paths.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PioneerConfig
import PioneerCore
import PioneerDemo
import PioneerFeeds
import PioneerKit
import PioneerTesting
import PioneerExtraction
import Testing

@Suite struct SimulatorTests {
    let catalogue = DemoFeedCatalogue()
    static let torbayAuth = ["Authorization": "Bearer \(DemoFeedCatalogue.defaultTorbayBIToken)"]

    // MARK: Determinism

    @Test func sameRequestGivesSameBytesAcrossCatalogues() {
        let targets = [
            "/torbay/survey/responses?from=2024-01-01&to=2024-03-31",
            "/cambridge/council/care-home-residents?from=2025-02-01&to=2025-02-28",
            "/cambridge/mortality/deaths.csv?from=2025-02-01&to=2025-02-28",
            "/northumbria/gp/copd/register.csv?month=2025-01",
            "/tower-hamlets/bi/cohort/costs?quarter=FY2024-25%20Q3",
        ]
        for target in targets {
            let first = catalogue.respond(to: SimulatedRequest(target: target))
            let second = DemoFeedCatalogue().respond(to: SimulatedRequest(target: target))
            #expect(first.status == 200, "\(target): \(first.text)")
            #expect(!first.body.isEmpty)
            #expect(first.body == second.body, "\(target) differs between two requests")
            #expect(first.headers["ETag"] == second.headers["ETag"])
        }
    }

    @Test func aQuarterIsTheSumOfItsMonths() throws {
        func admissions(_ query: String) throws -> Double {
            let body = catalogue.respond(to: SimulatedRequest(target: "/tower-hamlets/bi/acsc-admissions?\(query)"))
            return try Self.json(body).objectValue?["conditions"]?.arrayValue?
                .compactMap { $0.objectValue?["admissions"]?.numberValue }.reduce(0, +) ?? -1
        }
        let months = try ["2024-10", "2024-11", "2024-12"].map { try admissions("month=\($0)") }.reduce(0, +)
        #expect(try admissions("quarter=FY2024-25%20Q3") == months)
        #expect(try admissions("from=2024-10-01&to=2024-12-31") == months)
    }

    // MARK: Realism

    @Test func emergencyAdmissionsPeakInWinter() throws {
        for year in 2024...2026 {
            let january = try copdActivity("\(year)-01", "admissions", "emergency")
            let july = try copdActivity("\(year - 1)-07", "admissions", "emergency")
            #expect(january > july * 1.3, "Northumbria COPD admissions: January \(year) \(january), July \(year - 1) \(july)")
        }
        let torbayJanuary = try torbayOlderAdmissions("2025-01")
        let torbayJuly = try torbayOlderAdmissions("2024-07")
        #expect(torbayJanuary > torbayJuly)
    }

    @Test func processMeasuresStepUpWhenTheInterventionStarts() throws {
        // Northumbria's COPD service started in October 2024.
        let before = try selfManagementShare("2024-03")
        let after = try selfManagementShare("2026-03")
        #expect(before > 0.35 && before < 0.47, "before: \(before)")
        #expect(after > 0.65, "after: \(after)")
    }

    @Test func fewerCareHomeResidentsDieInHospitalAfterCambridgesPilot() throws {
        let before = try residentsDyingInHospital(from: "2023-04-01", to: "2024-06-30")
        let after = try residentsDyingInHospital(from: "2025-04-01", to: "2026-03-31")
        #expect(before.deaths > 300 && after.deaths > 300)
        #expect(before.share > 0.33, "before: \(before)")
        #expect(after.share < 0.27, "after: \(after)")
    }

    @Test func surveyAnswersAreIndividualDatedLikertResponses() throws {
        let body = catalogue.respond(to: SimulatedRequest(target: "/torbay/survey/responses?from=2025-05-01&to=2025-05-31"))
        let responses = try #require(try Self.json(body).objectValue?["responses"]?.arrayValue)
        #expect(responses.count > 20)
        let scale: Set<String> = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", "Don't know", ""]
        for response in responses {
            let fields = try #require(response.objectValue)
            let date = try #require(fields["completed_on"]?.stringValue.flatMap { CalendarDate(iso: $0) })
            #expect(Period.month(2025, 5).contains(date))
            #expect(scale.contains(fields["tell_story_once"]?.stringValue ?? "missing"))
        }
    }

    @Test func periodsAfterTheHistoryAnswerWithEmptyData() throws {
        let survey = catalogue.respond(to: SimulatedRequest(target: "/torbay/survey/responses?from=2026-04-01&to=2026-04-30"))
        #expect(survey.status == 200)
        #expect(try Self.json(survey).objectValue?["responses"]?.arrayValue?.isEmpty == true)

        let deaths = catalogue.respond(to: SimulatedRequest(target: "/cambridge/mortality/deaths.csv?from=2026-05-01&to=2026-05-31"))
        #expect(deaths.status == 200)
        #expect(deaths.text == "nhs_number,date_of_death,age,sex,place_of_death,underlying_cause\n")

        let admissions = catalogue.respond(to: SimulatedRequest(target: "/torbay/bi/admissions/emergency?month=2026-06", headers: Self.torbayAuth))
        #expect(try Self.json(admissions).objectValue?["data"]?.arrayValue?.isEmpty == true)
        let copd = catalogue.respond(to: SimulatedRequest(target: "/northumbria/bi/respiratory/copd?month=2026-06"))
        #expect(try Self.json(copd).objectValue?["admissions"] == nil)
    }

    // MARK: HTTP behaviour

    @Test func torbayBIServerRefusesRequestsWithoutItsBearerToken() {
        let target = "/torbay/bi/frailty-register/summary?month=2025-01"
        let missing = catalogue.respond(to: SimulatedRequest(target: target))
        #expect(missing.status == 401)
        #expect(missing.headers["WWW-Authenticate"] == "Bearer realm=\"/torbay/bi\"")
        #expect(missing.text.contains("this API needs `Authorization: Bearer <token>`"))

        let wrong = catalogue.respond(to: SimulatedRequest(target: target, headers: ["Authorization": "Bearer guessed"]))
        #expect(wrong.status == 401)
        #expect(wrong.text.contains("the bearer token is not valid"))

        let basic = catalogue.respond(to: SimulatedRequest(target: target, headers: ["Authorization": "Basic dXNlcjpwYXNz"]))
        #expect(basic.status == 401)

        let right = catalogue.respond(to: SimulatedRequest(target: target, headers: Self.torbayAuth))
        #expect(right.status == 200)
        #expect(DemoFeedCatalogue(torbayBIToken: "other").respond(to: SimulatedRequest(target: target, headers: Self.torbayAuth)).status == 401)
    }

    @Test func conditionalRequestsAnswerNotModified() throws {
        let target = "/tower-hamlets/gp/extracts/ltc-registers.csv?month=2025-06"
        let first = catalogue.respond(to: SimulatedRequest(target: target))
        let etag = try #require(first.headers["ETag"])
        let lastModified = try #require(first.headers["Last-Modified"])
        #expect(lastModified == "Wed, 09 Jul 2025 06:00:00 GMT")

        let byTag = catalogue.respond(to: SimulatedRequest(target: target, headers: ["If-None-Match": etag]))
        #expect(byTag.status == 304)
        #expect(byTag.body.isEmpty)
        #expect(byTag.headers["ETag"] == etag)

        let byDate = catalogue.respond(to: SimulatedRequest(target: target, headers: ["If-Modified-Since": lastModified]))
        #expect(byDate.status == 304)

        let staleTag = catalogue.respond(to: SimulatedRequest(target: target, headers: ["If-None-Match": "\"stale\"", "If-Modified-Since": lastModified]))
        #expect(staleTag.status == 200, "If-None-Match decides when present")
        let olderDate = catalogue.respond(to: SimulatedRequest(target: target, headers: ["If-Modified-Since": "Mon, 30 Jun 2025 06:00:00 GMT"]))
        #expect(olderDate.status == 200)
        let garbage = catalogue.respond(to: SimulatedRequest(target: target, headers: ["If-Modified-Since": "yesterday"]))
        #expect(garbage.status == 200)
    }

    @Test func badRequestsSayWhatToSend() {
        let cases: [(target: String, status: Int, message: String)] = [
            ("/northumbria/bi/respiratory/copd", 400, "say which period: month=YYYY-MM"),
            ("/northumbria/bi/respiratory/copd?month=2025-13", 400, "`month`: `2025-13` is not a period: a month is 01 to 12"),
            ("/torbay/survey/responses?from=2025-01-01", 400, "give both `from` and `to`"),
            ("/torbay/survey/responses?from=2025-02-30&to=2025-03-01", 400, "`from` must be a date YYYY-MM-DD, got `2025-02-30`"),
            ("/torbay/survey/responses?from=2025-03-01&to=2025-02-01", 400, "`from` (2025-03-01) is after `to` (2025-02-01)"),
            ("/cambridge/bi/admissions/emergency?month=2025-01&source=hospice", 400, "`source` must be `all` or `care-home`, got `hospice`"),
            ("/leeds/bi/admissions", 404, "no simulated system at /leeds/bi/admissions; the systems are /torbay/bi,"),
            ("/cambridge/bi/admissions", 404, "has nothing at /cambridge/bi/admissions; it serves /cambridge/bi/admissions/emergency"),
        ]
        for item in cases {
            let response = catalogue.respond(to: SimulatedRequest(target: item.target))
            #expect(response.status == item.status, "\(item.target)")
            #expect(response.text.contains(item.message), "\(item.target): \(response.text)")
            #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        }
    }

    @Test func serverAnswersOverHTTPWithTokenAndRevalidation() async throws {
        let server = try await DemoFeedSimulator(port: 0).start()
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        let client = FeedClient(environment: ["DEMO_TOKEN": DemoFeedCatalogue.defaultTorbayBIToken])
        let location = SourceLocation.unknown()
        let secured = FeedDefinition(name: "bi", baseURL: server.baseURL + "/torbay/bi",
                                     auth: .bearer(token: SecretReference(variable: "DEMO_TOKEN", location: location)),
                                     retry: RetryPolicy(retries: 0))
        let open = FeedDefinition(name: "bi", baseURL: server.baseURL + "/torbay/bi", retry: RetryPolicy(retries: 0))
        let url = server.baseURL + "/torbay/bi/admissions/emergency?month=2025-01"

        let fetched = try await client.fetch(FeedFetchRequest(feed: secured, url: url)).get()
        #expect(fetched.status == 200)
        #expect(fetched.body == catalogue.respond(to: SimulatedRequest(target: "/torbay/bi/admissions/emergency?month=2025-01", headers: Self.torbayAuth)).body)

        let revalidated = try await client.fetch(FeedFetchRequest(feed: secured, url: url, validators: fetched.validators)).get()
        #expect(revalidated.notModified)

        let refused = await client.fetch(FeedFetchRequest(feed: open, url: url))
        guard case .failure(let error) = refused else {
            Issue.record("a request without the token was answered")
            await server.stop()
            return
        }
        #expect(error.status == 401)
        await server.stop()
    }

    @Test func serverAnswersHeadWithoutBodyAndRefusesOtherMethods() async throws {
        let server = try await DemoFeedSimulator(port: 0).start()
        let url = try #require(URL(string: server.baseURL + "/northumbria/bi/respiratory/copd?month=2025-01"))
        var head = URLRequest(url: url)
        head.httpMethod = "HEAD"
        let (headBody, headResponse) = try await URLSession.shared.data(for: head)
        #expect((headResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(headBody.isEmpty)

        var post = URLRequest(url: url)
        post.httpMethod = "POST"
        post.httpBody = Data("{}".utf8)
        let (postBody, postResponse) = try await URLSession.shared.data(for: post)
        let http = try #require(postResponse as? HTTPURLResponse)
        #expect(http.statusCode == 405)
        #expect(http.value(forHTTPHeaderField: "Allow") == "GET, HEAD")
        #expect(String(decoding: postBody, as: UTF8.self).contains("the demo feeds answer GET and HEAD only"))
        await server.stop()
    }

    @Test func aPortInUseIsReportedInPlainEnglish() async throws {
        let first = try await DemoFeedSimulator(port: 0).start()
        do {
            let second = try await DemoFeedSimulator(port: first.port).start()
            await second.stop()
            Issue.record("a second simulator bound port \(first.port)")
        } catch let error as DemoFeedSimulatorError {
            #expect(error.description.hasPrefix("could not serve the demo feeds on 127.0.0.1:\(first.port): "))
            #expect(error.description.contains("Try another --port"))
        }
        await first.stop()
    }

    // MARK: The example sites

    /// Every request every example indicator's plugin makes, for one period of its type inside
    /// the history, gets a 200 with a body.
    @Test func everyFeedPathOfEveryExampleSiteAnswers() async throws {
        let directories = try SiteLoader.discover(root: Self.sitesFolder)
        #expect(directories.count >= 4)
        let loader = SiteLoader(plugins: .builtIn(adding: []), environment: ["TORBAY_BI_TOKEN": DemoFeedCatalogue.defaultTorbayBIToken])
        var checked = 0
        for directory in directories {
            let loaded = try loader.load(directory: directory)
            for spec in loaded.site.indicators {
                let indicator = spec.definition
                let plugin = try #require(loaded.plugins[indicator.id], "\(indicator.id) has no plugin")
                let period = Period(containing: CalendarDate(year: 2025, month: 1, day: 15)!, type: indicator.periodType)
                let context = PluginContext(site: loaded.site.info, indicator: indicator)
                // An external plugin's `requests` runs its program and blocks until it answers: on
                // a thread of its own. In the test's task it held one of the cooperative pool's two
                // threads for minutes, while the program's own async work waited for the other.
                for request in try await onOwnThread({ try plugin.requests(for: period, context: context) }) {
                    let feed = try #require(loaded.site.feed(named: request.feed))
                    #expect(feed.baseURL.hasPrefix(DemoFeedSimulator.defaultBaseURL + "/\(loaded.site.id)/"))
                    let url = try FeedURL.resolve(request, feed: feed, period: period)
                    let target = String(url.dropFirst(DemoFeedSimulator.defaultBaseURL.count))
                    let headers = feed.auth.scheme == "bearer" ? Self.torbayAuth : [:]
                    let response = catalogue.respond(to: SimulatedRequest(target: target, headers: headers))
                    #expect(response.status == 200, "\(loaded.site.id)/\(indicator.id): GET \(target) → \(response.status) \(response.text)")
                    #expect(response.body.count > 40, "\(loaded.site.id)/\(indicator.id): GET \(target) is nearly empty")
                    checked += 1
                }
            }
        }
        #expect(checked >= 24)
    }

    @Test func everyExampleSiteCoversTheFourKindsWithGoals() throws {
        let loader = SiteLoader(plugins: .builtIn(adding: []), environment: ["TORBAY_BI_TOKEN": DemoFeedCatalogue.defaultTorbayBIToken])
        var periodTypes: Set<PeriodType> = []
        for directory in try SiteLoader.discover(root: Self.sitesFolder) {
            let site = try loader.load(directory: directory).site
            #expect(Set(site.indicators.map(\.definition.kind)) == Set(IndicatorKind.allCases), "\(site.id)")
            #expect((5...8).contains(site.indicators.count), "\(site.id) has \(site.indicators.count) indicators")
            #expect((2...4).contains(site.goals.count), "\(site.id) has \(site.goals.count) goals")
            #expect(site.goals.allSatisfy { $0.assessment.rag != nil && $0.assessment.confidence != nil })
            periodTypes.formUnion(site.indicators.map(\.definition.periodType))
        }
        #expect(periodTypes.isSuperset(of: [.month, .financialQuarter, .financialYear]))
    }

    @Test func historyPeriodsAreWholeAndInside() {
        #expect(DemoHistory.periods(of: .month).count == 36)
        #expect(DemoHistory.periods(of: .financialQuarter).map(\.label).first == "FY2023-24 Q1")
        #expect(DemoHistory.periods(of: .financialQuarter).count == 12)
        #expect(DemoHistory.periods(of: .financialYear).map(\.label) == ["FY2023-24", "FY2024-25", "FY2025-26"])
        #expect(DemoHistory.periods(of: .quarter).count == 12)
    }

    // MARK: Helpers

    static var sitesFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sites").path
    }

    static func json(_ response: SimulatedResponse) throws -> JSONValue {
        try JSONValue(parsing: response.body)
    }

    /// Rows of a CSV answer as dictionaries (the simulator's CSVs quote nothing in these columns).
    static func rows(_ response: SimulatedResponse, separator: Character = ",") -> [[String: String]] {
        let lines = response.text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard let header = lines.first?.split(separator: separator, omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)))
        }
    }

    func copdActivity(_ month: String, _ keys: String...) throws -> Double {
        var value = try Self.json(catalogue.respond(to: SimulatedRequest(target: "/northumbria/bi/respiratory/copd?month=\(month)")))
        for key in keys { value = try #require(value.objectValue?[key]) }
        return try #require(value.numberValue)
    }

    func torbayOlderAdmissions(_ month: String) throws -> Double {
        let response = catalogue.respond(to: SimulatedRequest(target: "/torbay/bi/admissions/emergency?month=\(month)", headers: Self.torbayAuth))
        let bands = try #require(try Self.json(response).objectValue?["data"]?.arrayValue)
        return bands.filter { ($0.objectValue?["age_from"]?.numberValue ?? 0) >= 65 }
            .compactMap { $0.objectValue?["admissions"]?.numberValue }.reduce(0, +)
    }

    func selfManagementShare(_ month: String) throws -> Double {
        let rows = Self.rows(catalogue.respond(to: SimulatedRequest(target: "/northumbria/gp/copd/register.csv?month=\(month)")), separator: ";")
        #expect(rows.count == 40)
        let plans = rows.compactMap { Double($0["self_management_plan"] ?? "") }.reduce(0, +)
        let register = rows.compactMap { Double($0["copd_register"] ?? "") }.reduce(0, +)
        return plans / register
    }

    func residentsDyingInHospital(from: String, to: String) throws -> (share: Double, deaths: Int) {
        let residents = catalogue.respond(to: SimulatedRequest(target: "/cambridge/council/care-home-residents?from=\(from)&to=\(to)"))
        let numbers = Set(try #require(try Self.json(residents).objectValue?["residents"]?.arrayValue)
            .compactMap { $0.objectValue?["nhs_number"]?.stringValue?.replacingOccurrences(of: " ", with: "") })
        let deaths = Self.rows(catalogue.respond(to: SimulatedRequest(target: "/cambridge/mortality/deaths.csv?from=\(from)&to=\(to)")))
            .filter { numbers.contains($0["nhs_number"] ?? "") }
        let inHospital = deaths.filter { $0["place_of_death"] == "Hospital" }.count
        return (Double(inHospital) / Double(max(1, deaths.count)), deaths.count)
    }
}
