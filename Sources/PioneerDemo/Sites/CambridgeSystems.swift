// Cambridge's simulated systems for the end of life care pilot: the council's register of care
// home residents (JSON), the hospital's deaths extract (CSV), the palliative care coordination
// system (JSON), the hospital's BI server (JSON) and a bereaved carers' survey (JSON).
//
// Story: end of life care facilitators started in the area's care homes in July 2024, with a
// 24-hour coordination centre. Far fewer care home residents die in hospital (the real pilot's
// clearest result), advance care plans spread, care home admissions fall a little; acute spend in
// the last year of life hardly changes.
import PioneerKit
import Foundation

enum CambridgeSystems {
    static let site = SiteSimulation(site: "cambridge", interventionStart: .month(2024, 7))
    static let careHomes = [
        "Arbury Court", "Brookfields", "Cherry Hinton Lodge", "Girton Grange", "Histon House", "Milton Court",
        "Newnham Croft", "Queen Edith's Lodge", "Sawston Manor", "Trumpington Park", "Waterbeach Lodge", "Willow House",
    ]

    static func systems() -> [SimulatedSystem] {
        [
            SimulatedSystem(
                site: "cambridge", name: "council",
                title: "Cambridgeshire County Council register of care home residents (JSON API)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/care-home-residents", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "people resident in a care home at any time in the range", format: .json,
                                      render: residents),
                ]
            ),
            SimulatedSystem(
                site: "cambridge", name: "mortality",
                title: "Cambridge University Hospitals deaths extract (CSV)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/deaths.csv", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "registered deaths of local residents, with place of death", format: .csv,
                                      render: deaths),
                ]
            ),
            SimulatedSystem(
                site: "cambridge", name: "epaccs",
                title: "Palliative care coordination system, EPaCCS (JSON API)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/registrations/summary", parameters: "month=YYYY-MM",
                                      summary: "people on the end of life register and what their records hold", format: .json,
                                      render: registrations),
                ]
            ),
            SimulatedSystem(
                site: "cambridge", name: "bi",
                title: "Cambridge University Hospitals business intelligence server (JSON API)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/admissions/emergency", parameters: "month=YYYY-MM&source=care-home|all",
                                      summary: "emergency admissions, all or from care homes", format: .json,
                                      render: emergencyAdmissions),
                    SimulatedEndpoint(path: "/end-of-life/spend", parameters: "year=FY2024-25",
                                      summary: "acute spend on people in their last year of life", format: .json,
                                      render: endOfLifeSpend),
                ]
            ),
            SimulatedSystem(
                site: "cambridge", name: "survey",
                title: "Bereaved carers' survey, VOICES (JSON)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/voices/responses", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "individual survey returns with answers", format: .json,
                                      render: voices),
                ]
            ),
        ]
    }

    // MARK: Residents and deaths

    /// A death, as the deaths extract records it; care home residents also carry their home.
    struct Death: Sendable {
        var nhsNumber: String
        var date: CalendarDate
        var age: Int
        var sex: String
        var place: String
        var cause: String
        var careHome: String?
        var careType: String?
        var admittedOn: CalendarDate?
    }

    static let livingResidents = 1_150
    static let residentDeathsPerMonth = MonthlySeries(level: 31, winter: 0.18)
    static let residentsDyingInHospital = MonthlySeries(level: 0.39, effect: -0.46, rampMonths: 9)
    static let otherDeathsPerMonth = MonthlySeries(level: 205, trend: 0.01, winter: 0.15)
    static let othersDyingInHospital = MonthlySeries(level: 0.46, effect: -0.05, rampMonths: 12)
    static let causes: [(String, Double)] = [
        ("C34.9", 0.08), ("C18.9", 0.05), ("F03", 0.12), ("G30.9", 0.06), ("I21.9", 0.07), ("I25.1", 0.09),
        ("I50.0", 0.05), ("I63.9", 0.07), ("J18.9", 0.08), ("J44.9", 0.07), ("N18.5", 0.03), ("R54", 0.06),
        ("C50.9", 0.03), ("C61", 0.04), ("K70.3", 0.02), ("E11.9", 0.02), ("U07.1", 0.06),
    ]

    static func residentDeaths(in month: Period) -> [Death] {
        var random = site.random("resident-deaths", month)
        let count = random.count(mean: site.mean(residentDeathsPerMonth, month))
        return (0..<count).map { _ in
            let date = SiteSimulation.day(in: month, using: &random)
            let place = random.chance(site.probability(residentsDyingInHospital, month)) ? "Hospital"
                : random.pick([("Care home", 0.93), ("Hospice", 0.07)])
            return Death(
                nhsNumber: NHSNumber.draw(using: &random), date: date, age: random.integer(in: 74...102),
                sex: random.pick([("F", 0.68), ("M", 0.32)]), place: place, cause: random.pick(causes),
                careHome: random.element(of: careHomes), careType: random.pick([("Residential", 0.55), ("Nursing", 0.45)]),
                admittedOn: date.adding(days: -random.integer(in: 20...1_800))
            )
        }
    }

    static func otherDeaths(in month: Period) -> [Death] {
        var random = site.random("other-deaths", month)
        let count = random.count(mean: site.mean(otherDeathsPerMonth, month))
        return (0..<count).map { _ in
            let date = SiteSimulation.day(in: month, using: &random)
            let place = random.chance(site.probability(othersDyingInHospital, month)) ? "Hospital"
                : random.pick([("Home", 0.55), ("Care home", 0.22), ("Hospice", 0.15), ("Other", 0.08)])
            return Death(nhsNumber: NHSNumber.draw(using: &random), date: date, age: random.integer(in: 28...101),
                         sex: random.pick([("F", 0.5), ("M", 0.5)]), place: place, cause: random.pick(causes))
        }
    }

    @Sendable static func residents(_ query: EndpointQuery) -> String {
        var records: [DemoJSON] = []
        if !query.months.isEmpty {
            for item in 0..<livingResidents {
                var random = site.fixedRandom("resident", item: item)
                let number = NHSNumber.draw(using: &random)
                let home = random.element(of: careHomes)
                let type = random.pick([("Residential", 0.55), ("Nursing", 0.45)])
                let admitted = DemoHistory.start.adding(days: -random.integer(in: 30...2_500))
                records.append(residentRecord(number, home, type, admitted))
            }
            for month in query.months {
                for death in residentDeaths(in: month) where query.contains(death.date) {
                    records.append(residentRecord(death.nhsNumber, death.careHome ?? "", death.careType ?? "",
                                                  death.admittedOn ?? death.date))
                }
            }
        }
        return DemoJSON.object([("council", .string("Cambridgeshire County Council"))] + query.echo
            + [("count", .integer(records.count)), ("residents", .array(records))]).text
    }

    private static func residentRecord(_ number: String, _ home: String, _ type: String, _ admitted: CalendarDate) -> DemoJSON {
        .object([("nhs_number", .string(NHSNumber.spaced(number))), ("care_home", .string(home)),
                 ("care_type", .string(type)), ("admitted_on", .string(admitted.description))])
    }

    @Sendable static func deaths(_ query: EndpointQuery) -> String {
        var all: [Death] = []
        for month in query.months {
            all += (residentDeaths(in: month) + otherDeaths(in: month)).filter { query.contains($0.date) }
        }
        var csv = CSVText(header: ["nhs_number", "date_of_death", "age", "sex", "place_of_death", "underlying_cause"])
        for death in all.sorted(by: { ($0.date, $0.nhsNumber) < ($1.date, $1.nhsNumber) }) {
            csv.append([death.nhsNumber, death.date.description, String(death.age), death.sex, death.place, death.cause])
        }
        return csv.text
    }

    // MARK: EPaCCS

    static let registerSize = MonthlySeries(level: 840, trend: 0.04, winter: 0.05)
    static let advanceCarePlans = MonthlySeries(level: 0.44, effect: 0.6, rampMonths: 12)
    static let preferredPlaceRecorded = MonthlySeries(level: 0.52, effect: 0.45, rampMonths: 12)

    @Sendable static func registrations(_ query: EndpointQuery) -> String {
        var fields: [(String, DemoJSON)] = [("system", .string("EPaCCS"))] + query.echo
        guard let month = query.months.last else {
            fields.append(("note", .string("no snapshot for this period")))
            return DemoJSON.object(fields).text
        }
        var random = site.random("epaccs", month)
        let patients = random.count(mean: site.mean(registerSize, month))
        fields.append(("as_at", .string(month.end.description)))
        fields.append(("register", .object([
            ("patients", .integer(patients)),
            ("with_advance_care_plan", .integer(random.binomial(patients, site.probability(advanceCarePlans, month)))),
            ("with_preferred_place_of_death", .integer(random.binomial(patients, site.probability(preferredPlaceRecorded, month)))),
        ])))
        return DemoJSON.object(fields).text
    }

    // MARK: BI server

    static let careHomeAdmissions = MonthlySeries(level: 47, winter: 0.20, effect: -0.12, rampMonths: 9)
    static let otherAdmissions = MonthlySeries(level: 2_850, trend: 0.02, winter: 0.10)

    @Sendable static func emergencyAdmissions(_ query: EndpointQuery) throws(EndpointError) -> String {
        let source = query.parameters["source"] ?? "all"
        guard source == "all" || source == "care-home" else {
            throw .badRequest("`source` must be `all` or `care-home`, got `\(source)`")
        }
        var fields: [(String, DemoJSON)] = [("trust", .string("Cambridge University Hospitals NHS Foundation Trust")),
                                            ("admission_source", .string(source == "all" ? "All sources" : "Care home"))]
            + query.echo
        let months = query.months
        guard !months.isEmpty else {
            fields.append(("note", .string("no admissions recorded for this period")))
            return DemoJSON.object(fields).text
        }
        var total = months.reduce(0) { $0 + site.count("care-home-admissions", careHomeAdmissions, $1) }
        if source == "all" {
            total += months.reduce(0) { $0 + site.count("other-admissions", otherAdmissions, $1) }
        }
        fields.append(("total", .integer(total)))
        return DemoJSON.object(fields).text
    }

    static let spendPerDecedent = MonthlySeries(level: 7_850, trend: 0.05, effect: -0.04, rampMonths: 12)

    @Sendable static func endOfLifeSpend(_ query: EndpointQuery) -> String {
        var fields: [(String, DemoJSON)] = [("trust", .string("Cambridge University Hospitals NHS Foundation Trust"))] + query.echo
        let months = query.months
        guard !months.isEmpty else {
            fields.append(("note", .string("spend not yet reconciled for this period")))
            return DemoJSON.object(fields).text
        }
        var decedents = 0
        var spend = 0.0
        for month in months {
            let died = residentDeaths(in: month).count + otherDeaths(in: month).count
            var random = site.random("end-of-life-spend", month)
            decedents += died
            spend += Double(died) * random.jitter(site.mean(spendPerDecedent, month), spread: 0.04)
        }
        fields.append(("decedents", .integer(decedents)))
        fields.append(("acute_spend_gbp", .number(spend, decimals: 2)))
        fields.append(("spend_per_decedent_gbp", .number(spend / Double(max(1, decedents)), decimals: 2)))
        return DemoJSON.object(fields).text
    }

    // MARK: VOICES survey

    static let returnsPerMonth = MonthlySeries(level: 15, winter: 0.1)
    static let dignity = SurveyQuestion(
        field: "dignity_and_respect",
        agreeing: [("Always", 0.7), ("Most of the time", 0.3)],
        others: [("Some of the time", 0.5), ("Never", 0.2), ("Don't know", 0.3)],
        agreement: MonthlySeries(level: 0.74, effect: 0.06, rampMonths: 12)
    )

    @Sendable static func voices(_ query: EndpointQuery) -> String {
        var returns: [(CalendarDate, String, DemoJSON)] = []
        for month in query.months {
            var random = site.random("voices", month)
            let yymm = String(month.label.dropFirst(2)).replacingOccurrences(of: "-", with: "")
            for number in 1...max(1, random.count(mean: site.mean(returnsPerMonth, month))) {
                let reference = "V-\(yymm)-" + String(1_000 + number).dropFirst()
                let returned = SiteSimulation.day(in: month, using: &random)
                let fields: [(String, DemoJSON)] = [
                    ("ref", .string(reference)),
                    ("returned_on", .string(returned.description)),
                    ("relationship", .string(random.pick([("Son or daughter", 0.5), ("Spouse or partner", 0.3),
                                                         ("Other relative", 0.12), ("Friend", 0.08)]))),
                    ("place_of_death", .string(random.pick([("Hospital", 0.4), ("Care home", 0.3), ("Home", 0.22), ("Hospice", 0.08)]))),
                    (dignity.field, .string(dignity.answer(in: month, site: site, using: &random))),
                ]
                guard query.contains(returned) else { continue }
                returns.append((returned, reference, .object(fields)))
            }
        }
        let sorted = returns.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return DemoJSON.object([("survey", .string("Views of Informal Carers, Evaluation of Services (local)"))] + query.echo
            + [("responses", .array(sorted))]).text
    }
}
