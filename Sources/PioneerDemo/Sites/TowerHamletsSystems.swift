// Tower Hamlets' simulated systems: the GP extract of long term condition registers (CSV, one row
// per practice), the acute trust's BI server (JSON) and a survey tool's CSV export.
//
// Story: network care packages for long term conditions were renewed in April 2024, paying the
// eight GP networks for care processes. Care processes rise clearly (process); blood pressure
// control creeps up; admissions for ambulatory care sensitive conditions keep rising (outcome),
// as in the pilots; outpatient attendances fall; patients feel a little less involved.
import PioneerKit

enum TowerHamletsSystems {
    static let site = SiteSimulation(site: "tower-hamlets", interventionStart: .month(2024, 4))

    static func systems() -> [SimulatedSystem] {
        [
            SimulatedSystem(
                site: "tower-hamlets", name: "gp",
                title: "Tower Hamlets GP extract of long term condition registers (CSV, one row per practice)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/extracts/ltc-registers.csv", parameters: "month=YYYY-MM",
                                      summary: "diabetes and hypertension registers, care processes and blood pressure control",
                                      format: .csv, render: registers),
                ]
            ),
            SimulatedSystem(
                site: "tower-hamlets", name: "bi",
                title: "Barts Health business intelligence server (JSON API)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/acsc-admissions", parameters: "month=YYYY-MM",
                                      summary: "emergency admissions for ambulatory care sensitive conditions, by condition",
                                      format: .json, render: acscAdmissions),
                    SimulatedEndpoint(path: "/outpatients", parameters: "month=YYYY-MM",
                                      summary: "outpatient attendances in long term condition specialties", format: .json,
                                      render: outpatients),
                    SimulatedEndpoint(path: "/cohort/costs", parameters: "quarter=FY2024-25 Q1",
                                      summary: "health and social care spend on the long term conditions cohort", format: .json,
                                      render: cohortCosts),
                ]
            ),
            SimulatedSystem(
                site: "tower-hamlets", name: "survey",
                title: "Tower Hamlets patient survey tool (CSV export)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/export.csv", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "individual survey responses with Likert answers", format: .csv,
                                      render: surveyExport),
                ]
            ),
        ]
    }

    // MARK: GP extract

    static let networks = ["Network 1", "Network 2", "Network 3", "Network 4", "Network 5", "Network 6", "Network 7", "Network 8"]
    /// 32 practices, four to a network.
    static let practiceNames = [
        "Aberfeldy", "Albion", "Barkantine", "Bethnal Green", "Blithehale", "Bow", "Brick Lane", "Bromley-by-Bow",
        "Cable Street", "Chrisp Street", "Columbia Road", "Docklands", "East One", "Globe Town", "Harford", "Island",
        "Jubilee Street", "Limehouse", "Mile End", "Pollard Row", "Poplar", "Roman Road", "St Andrew's", "St Katharine Docks",
        "St Paul's Way", "Shadwell", "Spitalfields", "Stepney", "Tredegar", "Victoria Park", "Wapping", "Whitechapel",
    ]
    static let diabetesCareProcesses = MonthlySeries(level: 0.60, effect: 0.22, rampMonths: 12)
    static let bloodPressureControl = MonthlySeries(level: 0.64, effect: 0.06, rampMonths: 12)

    @Sendable static func registers(_ query: EndpointQuery) -> String {
        var csv = CSVText(header: ["month", "practice_code", "practice_name", "network", "list_size", "diabetes_register",
                                   "diabetes_all_8_care_processes", "hypertension_register", "hypertension_bp_controlled"])
        for month in query.months {
            for (item, name) in practiceNames.enumerated() {
                var fixed = site.fixedRandom("practice", item: item)
                let code = "F84" + String(600 + item * 7)
                let baseList = Double(fixed.integer(in: 6_000...16_000))
                let practiceOffset = (fixed.uniform() - 0.5) * 0.16
                let growth = 1 + 0.02 * Double(DemoHistory.firstMonth.distance(to: month)) / 12
                var random = site.random("registers", month, item: item)
                let listSize = Int((baseList * growth).rounded()) + random.integer(in: -40...40)
                let diabetes = random.binomial(listSize, 0.058)
                let processes = random.binomial(diabetes, site.probability(diabetesCareProcesses, month) + practiceOffset)
                let hypertension = random.binomial(listSize, 0.092)
                let controlled = random.binomial(hypertension, site.probability(bloodPressureControl, month) + practiceOffset / 2)
                csv.append([month.label, code, name + " Practice", networks[item / 4], String(listSize), String(diabetes),
                            String(processes), String(hypertension), String(controlled)])
            }
        }
        return csv.text
    }

    // MARK: BI server

    static let conditions: [(String, MonthlySeries)] = [
        ("COPD", MonthlySeries(level: 58, trend: 0.03, winter: 0.30, effect: 0.02)),
        ("Heart failure", MonthlySeries(level: 37, trend: 0.03, winter: 0.15, effect: 0.02)),
        ("Diabetes complications", MonthlySeries(level: 31, trend: 0.04, winter: 0.05, effect: 0.03)),
        ("Asthma", MonthlySeries(level: 27, trend: 0.02, winter: 0.20)),
        ("Angina", MonthlySeries(level: 21, trend: 0.01, winter: 0.10)),
        ("Epilepsy", MonthlySeries(level: 17, trend: 0.02)),
        ("Hypertension", MonthlySeries(level: 9, trend: 0.02)),
    ]

    @Sendable static func acscAdmissions(_ query: EndpointQuery) -> String {
        let months = query.months
        let rows: [DemoJSON] = months.isEmpty ? [] : conditions.enumerated().map { item, condition in
            let total = months.reduce(0) { $0 + site.count("acsc", condition.1, $1, item: item) }
            return .object([("condition", .string(condition.0)), ("admissions", .integer(total))])
        }
        return DemoJSON.object([("trust", .string("Barts Health NHS Trust")), ("borough", .string("Tower Hamlets"))]
            + query.echo + [("conditions", .array(rows))]).text
    }

    static let firstAttendances = MonthlySeries(level: 3100, trend: 0.02, winter: -0.03, effect: -0.06, rampMonths: 9)
    static let followUpAttendances = MonthlySeries(level: 6300, trend: 0.02, winter: -0.03, effect: -0.07, rampMonths: 9)

    @Sendable static func outpatients(_ query: EndpointQuery) -> String {
        var fields: [(String, DemoJSON)] = [("trust", .string("Barts Health NHS Trust")),
                                            ("specialties", .string("Diabetes, cardiology, respiratory medicine"))] + query.echo
        let months = query.months
        guard !months.isEmpty else {
            fields.append(("note", .string("no activity recorded for this period")))
            return DemoJSON.object(fields).text
        }
        let first = months.reduce(0) { $0 + site.count("outpatients-first", firstAttendances, $1) }
        let followUp = months.reduce(0) { $0 + site.count("outpatients-follow-up", followUpAttendances, $1) }
        fields.append(("attendances", .object([("first", .integer(first)), ("follow_up", .integer(followUp))])))
        return DemoJSON.object(fields).text
    }

    static let cohortSize = MonthlySeries(level: 24_300, trend: 0.03)
    static let spendPerPatientMonth = MonthlySeries(level: 312, trend: 0.05, winter: 0.06, effect: -0.02, rampMonths: 12)

    @Sendable static func cohortCosts(_ query: EndpointQuery) -> String {
        var fields: [(String, DemoJSON)] = [("cohort", .string("Adults on a long term condition register"))] + query.echo
        let months = query.months
        guard let last = months.last else {
            fields.append(("note", .string("costs not yet reconciled for this period")))
            return DemoJSON.object(fields).text
        }
        var random = site.random("cohort-size", last)
        let patients = random.count(mean: site.mean(cohortSize, last))
        var spend = 0.0
        for month in months {
            var monthRandom = site.random("cohort-spend", month)
            let size = site.mean(cohortSize, month)
            spend += monthRandom.jitter(site.mean(spendPerPatientMonth, month), spread: 0.02) * size
        }
        fields.append(("patients", .integer(patients)))
        fields.append(("spend_gbp", .number(spend, decimals: 2)))
        fields.append(("cost_per_patient_gbp", .number(spend / Double(max(1, patients)), decimals: 2)))
        return DemoJSON.object(fields).text
    }

    // MARK: Survey export

    static let responsesPerMonth = MonthlySeries(level: 36, winter: 0.1)
    static let questions = [
        SurveyQuestion.agreementScale(field: "involved_in_decisions",
                                      agreement: MonthlySeries(level: 0.68, effect: -0.06, rampMonths: 12)),
        SurveyQuestion.agreementScale(field: "tell_story_once",
                                      agreement: MonthlySeries(level: 0.46, effect: 0.03, rampMonths: 12)),
    ]

    @Sendable static func surveyExport(_ query: EndpointQuery) -> String {
        var rows: [(CalendarDate, [String])] = []
        for month in query.months {
            var random = site.random("survey", month)
            for number in 1...max(1, random.count(mean: site.mean(responsesPerMonth, month))) {
                let id = "TH" + String(month.index) + "-" + String(number)
                let submitted = SiteSimulation.day(in: month, using: &random)
                var row = [id, submitted.description, random.element(of: networks),
                           random.pick([("18-44", 0.25), ("45-64", 0.40), ("65+", 0.35)]),
                           random.pick([("English", 0.62), ("Bengali", 0.30), ("Other", 0.08)])]
                for question in questions { row.append(question.answer(in: month, site: site, using: &random)) }
                guard query.contains(submitted) else { continue }
                rows.append((submitted, row))
            }
        }
        var csv = CSVText(header: ["response_id", "submitted", "network", "age_band", "language"] + questions.map(\.field))
        for row in rows.sorted(by: { ($0.0, $0.1[0]) < ($1.0, $1.1[0]) }) { csv.append(row.1) }
        return csv.text
    }
}
