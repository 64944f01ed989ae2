// Torbay and South Devon's simulated systems: the trust's BI server (JSON, bearer token), the
// council's adult social care exports (CSV, Windows line endings, UK dates), a survey tool and
// the finance team's monthly summary (JSON whose numbers are strings written for people).
//
// Story: integrated health and social care teams with a single assessment started in the five
// localities in October 2024. Care plans spread fast (process); emergency admissions barely
// move and keep their winter peaks (outcome); fewer older people go permanently into care homes;
// patients tell their story once a little more often but feel less involved in decisions; the
// integrated teams see more people for a slowly rising spend, so the cost per patient eases.
import PioneerKit
import PioneerExtraction
import Foundation

enum TorbaySystems {
    static let site = SiteSimulation(site: "torbay", interventionStart: .month(2024, 10))
    static let localities = ["Torquay", "Paignton and Brixham", "Newton Abbot", "Coastal", "Moor to Sea"]
    static let olderBands: [(String, Double)] = [("65-74", 0.27), ("75-84", 0.41), ("85+", 0.32)]

    static func systems(token: String) -> [SimulatedSystem] {
        [
            SimulatedSystem(
                site: "torbay", name: "bi",
                title: "Torbay and South Devon NHS FT business intelligence server (JSON API, bearer token)",
                bearerToken: token,
                endpoints: [
                    SimulatedEndpoint(path: "/admissions/emergency", parameters: "month=YYYY-MM",
                                      summary: "emergency admissions by age band", format: .json,
                                      render: emergencyAdmissions),
                    SimulatedEndpoint(path: "/frailty-register/summary", parameters: "month=YYYY-MM",
                                      summary: "frailty register: size, shared care plans, named coordinators", format: .json,
                                      render: frailtyRegister),
                ]
            ),
            SimulatedSystem(
                site: "torbay", name: "council",
                title: "Torbay Council adult social care system (CSV exports)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/exports/reablement.csv", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "hospital discharges into reablement, with where each person was 91 days later",
                                      format: .csv, render: reablement),
                    SimulatedEndpoint(path: "/exports/placements.csv", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "care home placements started (permanent and respite)", format: .csv,
                                      render: placements),
                    SimulatedEndpoint(path: "/exports/home-care-packages.csv", parameters: "month=YYYY-MM",
                                      summary: "home care packages active in the month, with weekly cost", format: .csv,
                                      render: homeCarePackages),
                ]
            ),
            SimulatedSystem(
                site: "torbay", name: "survey",
                title: "Torbay integrated care experience survey (JSON)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/responses", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "individual survey responses with Likert answers", format: .json,
                                      render: surveyResponses),
                ]
            ),
            SimulatedSystem(
                site: "torbay", name: "finance",
                title: "Torbay and South Devon NHS FT finance summaries (JSON, amounts as formatted text)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/community-services/spend", parameters: "month=YYYY-MM",
                                      summary: "the month's spend on integrated community services and the patients seen, as \"3,945,237.88\"",
                                      format: .json, render: communityServicesSpend),
                ]
            ),
        ]
    }

    // MARK: BI server

    static let admissionBands: [(band: String, from: Int, series: MonthlySeries)] = [
        ("0-17", 0, MonthlySeries(level: 165, trend: 0.01, winter: 0.10)),
        ("18-64", 18, MonthlySeries(level: 610, trend: 0.01, winter: 0.06)),
        ("65-74", 65, MonthlySeries(level: 205, trend: 0.025, winter: 0.12, effect: -0.03)),
        ("75-84", 75, MonthlySeries(level: 268, trend: 0.025, winter: 0.14, effect: -0.03)),
        ("85+", 85, MonthlySeries(level: 237, trend: 0.03, winter: 0.16, effect: -0.04)),
    ]

    @Sendable static func emergencyAdmissions(_ query: EndpointQuery) -> String {
        let months = query.months
        let rows: [DemoJSON] = months.isEmpty ? [] : admissionBands.enumerated().map { item, band in
            let total = months.reduce(0) { $0 + site.count("emergency-admissions", band.series, $1, item: item) }
            return .object([("age_band", .string(band.band)), ("age_from", .integer(band.from)), ("admissions", .integer(total))])
        }
        return DemoJSON.object(
            [("provider", .string("Torbay and South Devon NHS Foundation Trust")),
             ("measure", .string("Emergency admissions (admission method 21-2B), Torbay residents"))]
            + query.echo + [("data", .array(rows))]
        ).text
    }

    static let frailtyCohort = MonthlySeries(level: 2150, trend: 0.04, winter: 0.02)
    static let sharedCarePlan = MonthlySeries(level: 0.35, effect: 1.2, rampMonths: 12)
    static let namedCoordinator = MonthlySeries(level: 0.52, effect: 0.5, rampMonths: 9)

    @Sendable static func frailtyRegister(_ query: EndpointQuery) -> String {
        var fields: [(String, DemoJSON)] = [("register", .string("Frailty register (eFI moderate or severe)"))] + query.echo
        guard let month = query.months.last else {
            fields.append(("note", .string("no extract for this period")))
            return DemoJSON.object(fields).text
        }
        var random = site.random("frailty-register", month)
        let size = random.count(mean: site.mean(frailtyCohort, month))
        let plans = random.binomial(size, site.probability(sharedCarePlan, month))
        let coordinators = random.binomial(size, site.probability(namedCoordinator, month))
        fields.append(("as_at", .string(month.end.description)))
        fields.append(("cohort", .object([
            ("size", .integer(size)),
            ("with_shared_care_plan", .integer(plans)),
            ("with_named_coordinator", .integer(coordinators)),
        ])))
        return DemoJSON.object(fields).text
    }

    // MARK: Council exports

    static let reablementOlder = MonthlySeries(level: 52, trend: 0.02, winter: 0.10, effect: 0.05)
    static let reablementYounger = MonthlySeries(level: 14, trend: 0.01)
    static let atHomeOlder = MonthlySeries(level: 0.79, effect: 0.035, rampMonths: 9)
    static let atHomeYounger = MonthlySeries(level: 0.86)

    @Sendable static func reablement(_ query: EndpointQuery) -> String {
        var rows: [(CalendarDate, [String])] = []
        for month in query.months {
            for (group, (series, atHome)) in [(reablementOlder, atHomeOlder), (reablementYounger, atHomeYounger)].enumerated() {
                var random = site.random("reablement", month, item: group)
                for _ in 0..<random.count(mean: site.mean(series, month)) {
                    let reference = "TC" + String(random.integer(in: 100_000...999_999))
                    let band = group == 0 ? random.pick(olderBands) : "18-64"
                    let discharged = SiteSimulation.day(in: month, using: &random)
                    let started = discharged.adding(days: random.integer(in: 0...2))
                    let service = random.pick([("Reablement at home", 0.6), ("Intermediate care team", 0.3),
                                               ("Community hospital step-down", 0.1)])
                    let outcome = random.chance(site.probability(atHome, month)) ? "At home"
                        : random.pick([("Residential or nursing care", 0.35), ("In hospital", 0.30), ("Died", 0.35)])
                    guard query.contains(discharged) else { continue }
                    rows.append((discharged, [reference, band, discharged.ukText, started.ukText, service, outcome]))
                }
            }
        }
        var csv = CSVText(header: ["client_ref", "age_band", "hospital_discharge_date", "reablement_start", "service", "outcome_91_days"],
                          lineEnding: "\r\n")
        for row in rows.sorted(by: { ($0.0, $0.1[0]) < ($1.0, $1.1[0]) }) { csv.append(row.1) }
        return csv.text
    }

    static let permanentOlder = MonthlySeries(level: 17.5, winter: 0.05, effect: -0.10, rampMonths: 12)
    static let permanentYounger = MonthlySeries(level: 1.6)
    static let respiteOlder = MonthlySeries(level: 21, winter: 0.10)

    @Sendable static func placements(_ query: EndpointQuery) -> String {
        var rows: [(CalendarDate, [String])] = []
        let kinds: [(type: String, older: Bool, series: MonthlySeries)] = [
            ("Permanent", true, permanentOlder), ("Permanent", false, permanentYounger), ("Respite", true, respiteOlder),
        ]
        for month in query.months {
            for (item, kind) in kinds.enumerated() {
                var random = site.random("placements", month, item: item)
                for _ in 0..<random.count(mean: site.mean(kind.series, month)) {
                    let reference = "TC" + String(random.integer(in: 100_000...999_999))
                    let band = kind.older ? random.pick(olderBands) : "18-64"
                    let nursing = random.chance(0.4)
                    let started = SiteSimulation.day(in: month, using: &random)
                    let years = Double(DemoHistory.firstMonth.distance(to: month)) / 12
                    let weekly = random.jitter((nursing ? 960 : 780) * (1 + 0.06 * years), spread: 0.08)
                    guard query.contains(started) else { continue }
                    rows.append((started, [reference, band, kind.type, nursing ? "Nursing" : "Residential",
                                           started.ukText, poundsText(weekly)]))
                }
            }
        }
        var csv = CSVText(header: ["client_ref", "age_band", "placement_type", "care_home_type", "start_date", "weekly_cost_gbp"],
                          lineEnding: "\r\n")
        for row in rows.sorted(by: { ($0.0, $0.1[0]) < ($1.0, $1.1[0]) }) { csv.append(row.1) }
        return csv.text
    }

    static let activePackages = MonthlySeries(level: 410, trend: 0.02, winter: 0.03)
    static let hoursPerPackage = MonthlySeries(level: 10.5, effect: -0.04, rampMonths: 12)

    /// Hourly rates agreed with home care providers each April, by financial year.
    static func hourlyRate(in month: Period) -> Double {
        switch Period(containing: month.start, type: .financialYear).index {
        case ..<2024: return 22.80
        case 2024: return 24.40
        default: return 25.70
        }
    }

    @Sendable static func homeCarePackages(_ query: EndpointQuery) -> String {
        var csv = CSVText(header: ["month", "client_ref", "age_band", "locality", "planned_hours_per_week", "hourly_rate_gbp", "weekly_cost_gbp"],
                          lineEnding: "\r\n")
        for month in query.months {
            var random = site.random("home-care", month)
            let rate = hourlyRate(in: month)
            var rows: [[String]] = []
            for _ in 0..<random.count(mean: site.mean(activePackages, month)) {
                let reference = "TC" + String(random.integer(in: 100_000...999_999))
                let band = random.pick([("18-64", 0.12), ("65-74", 0.18), ("75-84", 0.35), ("85+", 0.35)])
                let locality = random.element(of: localities)
                let hours = max(1.5, (random.jitter(site.mean(hoursPerPackage, month), spread: 0.45) * 4).rounded() / 4)
                rows.append([month.label, reference, band, locality, DemoJSON.fixed(hours, decimals: 2),
                             poundsText(rate), poundsText(hours * rate)])
            }
            for row in rows.sorted(by: { $0[1] < $1[1] }) { csv.append(row) }
        }
        return csv.text
    }

    // MARK: Finance summaries

    static let patientsSeen = MonthlySeries(level: 11_600, trend: 0.02, winter: 0.05, effect: 0.08, rampMonths: 12)
    static let costPerPatientSeen = MonthlySeries(level: 318, trend: 0.04, effect: -0.06, rampMonths: 12)

    /// One month's spend and patients, written the way the finance team's report prints them:
    /// `"spend_gbp": "3,945,237.88"`, which a strict number reader refuses.
    @Sendable static func communityServicesSpend(_ query: EndpointQuery) -> String {
        var fields: [(String, DemoJSON)] = [
            ("organisation", .string("Torbay and South Devon NHS Foundation Trust")),
            ("service", .string("Integrated community health and social care teams")),
        ] + query.echo
        guard let month = query.months.last else {
            fields.append(("note", .string("no summary for this period")))
            return DemoJSON.object(fields).text
        }
        var random = site.random("finance", month)
        let patients = random.count(mean: site.mean(patientsSeen, month))
        let spend = (Double(patients) * random.jitter(site.mean(costPerPatientSeen, month), spread: 0.03) * 100).rounded() / 100
        fields.append(("currency", .string("GBP")))
        fields.append(("spend_gbp", .string(formatNumber(spend, decimals: 2))))
        fields.append(("patients_seen", .string(formatNumber(Double(patients), decimals: 0))))
        return DemoJSON.object(fields).text
    }

    // MARK: Survey tool

    static let responsesPerMonth = MonthlySeries(level: 44, winter: 0.2)
    static let questions = [
        SurveyQuestion.agreementScale(field: "tell_story_once",
                                      agreement: MonthlySeries(level: 0.49, effect: 0.07, rampMonths: 12)),
        SurveyQuestion.agreementScale(field: "involved_in_decisions",
                                      agreement: MonthlySeries(level: 0.71, effect: -0.08, rampMonths: 12)),
    ]

    @Sendable static func surveyResponses(_ query: EndpointQuery) -> String {
        var responses: [(CalendarDate, String, DemoJSON)] = []
        for month in query.months {
            var random = site.random("survey", month)
            let yymm = String(month.label.dropFirst(2)).replacingOccurrences(of: "-", with: "")
            for number in 1...max(1, random.count(mean: site.mean(responsesPerMonth, month))) {
                let id = "TSD-\(yymm)-" + String(10_000 + number).dropFirst()
                let completed = SiteSimulation.day(in: month, using: &random)
                var fields: [(String, DemoJSON)] = [
                    ("id", .string(id)),
                    ("completed_on", .string(completed.description)),
                    ("locality", .string(random.element(of: localities))),
                    ("respondent", .string(random.pick([("Patient", 0.8), ("Carer", 0.2)]))),
                ]
                for question in questions {
                    fields.append((question.field, .string(question.answer(in: month, site: site, using: &random))))
                }
                guard query.contains(completed) else { continue }
                responses.append((completed, id, .object(fields)))
            }
        }
        let sorted = responses.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return DemoJSON.object([("survey", .string("Torbay integrated care experience"))] + query.echo
            + [("count", .integer(sorted.count)), ("responses", .array(sorted))]).text
    }
}
