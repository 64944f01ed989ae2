// Northumbria's simulated systems for the COPD pilot: the practices' COPD register extract
// (semicolon-separated CSV, one row per practice), the trust's BI server (JSON) and a patient
// survey tool (JSON with its own shape).
//
// Story: an integrated COPD service (community respiratory team, rescue packs, faster pulmonary
// rehabilitation) started in October 2024. Self-management plans and rehab referrals rise;
// emergency admissions and readmissions fall below their usual winter peaks (the real pilot's
// "better treatment for COPD sufferers"); more patients know what to do when breathless.
import PioneerKit

enum NorthumbriaSystems {
    static let site = SiteSimulation(site: "northumbria", interventionStart: .month(2024, 10))

    static func systems() -> [SimulatedSystem] {
        [
            SimulatedSystem(
                site: "northumbria", name: "gp",
                title: "Northumberland and North Tyneside GP extract of COPD registers (CSV, `;`-separated)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/copd/register.csv", parameters: "month=YYYY-MM",
                                      summary: "COPD register per practice: reviews, self-management plans, rescue packs, rehab referrals",
                                      format: .csv, render: copdRegister),
                ]
            ),
            SimulatedSystem(
                site: "northumbria", name: "bi",
                title: "Northumbria Healthcare NHS FT business intelligence server (JSON API)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/respiratory/copd", parameters: "month=YYYY-MM",
                                      summary: "COPD admissions, discharges, 30-day readmissions, bed days and their cost",
                                      format: .json, render: copdActivity),
                ]
            ),
            SimulatedSystem(
                site: "northumbria", name: "survey",
                title: "COPD patient experience survey (JSON)",
                bearerToken: nil,
                endpoints: [
                    SimulatedEndpoint(path: "/copd-patient-survey", parameters: "from=YYYY-MM-DD&to=YYYY-MM-DD",
                                      summary: "individual survey responses", format: .json, render: survey),
                ]
            ),
        ]
    }

    // MARK: GP extract

    static let practices: [(name: String, locality: String)] = [
        ("Alnwick Medical Group", "North Northumberland"), ("Amble Surgery", "North Northumberland"),
        ("Belford Medical Practice", "North Northumberland"), ("Berwick Infirmary Practice", "North Northumberland"),
        ("Rothbury Practice", "North Northumberland"), ("Seahouses Health Centre", "North Northumberland"),
        ("Wooler Health Centre", "North Northumberland"), ("Bellingham Practice", "West Northumberland"),
        ("Corbridge Medical Group", "West Northumberland"), ("Haltwhistle Medical Group", "West Northumberland"),
        ("Hexham Medical Centre", "West Northumberland"), ("Prudhoe Medical Group", "West Northumberland"),
        ("Wylam Surgery", "West Northumberland"), ("Ponteland Medical Group", "Central Northumberland"),
        ("Morpeth Health Centre", "Central Northumberland"), ("Pegswood Surgery", "Central Northumberland"),
        ("Widdrington Surgery", "Central Northumberland"), ("Ashington Medical Centre", "Wansbeck"),
        ("Guide Post Medical Group", "Wansbeck"), ("Newbiggin Surgery", "Wansbeck"),
        ("Lintonville Medical Group", "Wansbeck"), ("Bedlington Medical Group", "Blyth Valley"),
        ("Blyth Health Centre", "Blyth Valley"), ("Cramlington Medical Group", "Blyth Valley"),
        ("Seaton Delaval Surgery", "Blyth Valley"), ("Seghill Surgery", "Blyth Valley"),
        ("Whitley Bay Health Centre", "North Tyneside Coastal"), ("Monkseaton Medical Centre", "North Tyneside Coastal"),
        ("Cullercoats Surgery", "North Tyneside Coastal"), ("Tynemouth Medical Practice", "North Tyneside Coastal"),
        ("North Shields Medical Group", "North Tyneside Central"), ("Collingwood Surgery", "North Tyneside Central"),
        ("Battle Hill Health Centre", "North Tyneside Central"), ("Wallsend Medical Group", "North Tyneside South West"),
        ("Killingworth Health Centre", "North Tyneside North West"), ("Forest Hall Medical Group", "North Tyneside North West"),
        ("Longbenton Surgery", "North Tyneside North West"), ("Shiremoor Surgery", "North Tyneside North West"),
        ("Backworth Surgery", "North Tyneside North West"), ("Howdon Surgery", "North Tyneside South West"),
    ]
    static let annualReview = MonthlySeries(level: 0.78, effect: 0.05, rampMonths: 9)
    static let selfManagementPlan = MonthlySeries(level: 0.41, effect: 0.75, rampMonths: 12)
    static let rescuePack = MonthlySeries(level: 0.33, effect: 0.6, rampMonths: 9)
    /// Referrals to pulmonary rehabilitation per patient on the register per month.
    static let rehabReferralRate = MonthlySeries(level: 0.006, winter: -0.1, effect: 0.55, rampMonths: 9)

    @Sendable static func copdRegister(_ query: EndpointQuery) -> String {
        var csv = CSVText(header: ["month", "practice_code", "practice_name", "locality", "copd_register", "annual_review_12m",
                                   "self_management_plan", "rescue_pack_issued", "pulmonary_rehab_referrals"],
                          separator: ";")
        for month in query.months {
            for (item, practice) in practices.enumerated() {
                var fixed = site.fixedRandom("practice", item: item)
                let code = (practice.locality.hasPrefix("North Tyneside") ? "A87" : "A84") + String(100 + item * 3)
                let baseRegister = Double(fixed.integer(in: 150...650))
                let practiceOffset = (fixed.uniform() - 0.5) * 0.14
                let growth = 1 + 0.01 * Double(DemoHistory.firstMonth.distance(to: month)) / 12
                var random = site.random("copd-register", month, item: item)
                let register = Int((baseRegister * growth).rounded()) + random.integer(in: -3...3)
                let reviewed = random.binomial(register, site.probability(annualReview, month) + practiceOffset / 2)
                let plans = random.binomial(register, site.probability(selfManagementPlan, month) + practiceOffset)
                let packs = random.binomial(register, site.probability(rescuePack, month) + practiceOffset)
                let referrals = random.count(mean: Double(register) * site.mean(rehabReferralRate, month))
                csv.append([month.label, code, practice.name, practice.locality, String(register), String(reviewed),
                            String(plans), String(packs), String(referrals)])
            }
        }
        return csv.text
    }

    // MARK: BI server

    static let emergencyAdmissions = MonthlySeries(level: 152, trend: 0.01, winter: 0.32, effect: -0.13, rampMonths: 9)
    static let electiveAdmissions = MonthlySeries(level: 9)
    static let readmission = MonthlySeries(level: 0.195, effect: -0.15, rampMonths: 9)
    static let lengthOfStay = MonthlySeries(level: 6.1, winter: 0.05, effect: -0.08, rampMonths: 9)
    static let bedDayCost = MonthlySeries(level: 398, trend: 0.05)

    @Sendable static func copdActivity(_ query: EndpointQuery) -> String {
        var fields: [(String, DemoJSON)] = [("trust", .string("Northumbria Healthcare NHS Foundation Trust")),
                                            ("specialty", .string("Respiratory medicine")),
                                            ("condition", .string("COPD (ICD-10 J40-J44 primary diagnosis)"))] + query.echo
        let months = query.months
        guard !months.isEmpty else {
            fields.append(("note", .string("no activity recorded for this period")))
            return DemoJSON.object(fields).text
        }
        var emergency = 0, elective = 0, discharges = 0, readmitted = 0, bedDays = 0
        var cost = 0.0
        for month in months {
            var random = site.random("copd-activity", month)
            let monthEmergency = random.count(mean: site.mean(emergencyAdmissions, month))
            let monthElective = random.count(mean: site.mean(electiveAdmissions, month))
            let monthDischarges = max(0, monthEmergency + monthElective - random.integer(in: 0...4))
            let monthBedDays = Int((Double(monthEmergency) * random.jitter(site.mean(lengthOfStay, month), spread: 0.05)).rounded())
                + monthElective * 2
            emergency += monthEmergency
            elective += monthElective
            discharges += monthDischarges
            readmitted += random.binomial(monthDischarges, site.probability(readmission, month))
            bedDays += monthBedDays
            cost += Double(monthBedDays) * site.mean(bedDayCost, month)
        }
        fields += [
            ("admissions", .object([("emergency", .integer(emergency)), ("elective", .integer(elective))])),
            ("discharges", .integer(discharges)),
            ("readmitted_within_30_days", .integer(readmitted)),
            ("bed_days", .integer(bedDays)),
            ("bed_day_cost_gbp", .number(cost, decimals: 2)),
        ]
        return DemoJSON.object(fields).text
    }

    // MARK: Survey tool

    static let responsesPerMonth = MonthlySeries(level: 48, winter: 0.05)
    static let knowWhatToDo = SurveyQuestion(
        field: "know_what_to_do_when_breathless",
        agreeing: [("Yes, definitely", 1)],
        others: [("Yes, to some extent", 0.6), ("No", 0.3), ("Don't know", 0.1)],
        agreement: MonthlySeries(level: 0.47, effect: 0.25, rampMonths: 12)
    )
    static let sameTeam = SurveyQuestion(
        field: "seen_by_same_team",
        agreeing: [("Yes, always", 0.5), ("Yes, usually", 0.5)],
        others: [("No", 0.7), ("Don't know", 0.3)],
        agreement: MonthlySeries(level: 0.55, effect: 0.05, rampMonths: 12)
    )

    @Sendable static func survey(_ query: EndpointQuery) -> String {
        var items: [(CalendarDate, String, DemoJSON)] = []
        for month in query.months {
            var random = site.random("survey", month)
            for number in 1...max(1, random.count(mean: site.mean(responsesPerMonth, month))) {
                let id = "NC\(month.index)-\(number)"
                let submitted = SiteSimulation.day(in: month, using: &random)
                let practice = random.integer(in: 0...(practices.count - 1))
                let fields: [(String, DemoJSON)] = [
                    ("response", .string(id)),
                    ("submitted", .string(submitted.description)),
                    ("locality", .string(practices[practice].locality)),
                    (knowWhatToDo.field, .string(knowWhatToDo.answer(in: month, site: site, using: &random))),
                    (sameTeam.field, .string(sameTeam.answer(in: month, site: site, using: &random))),
                ]
                guard query.contains(submitted) else { continue }
                items.append((submitted, id, .object(fields)))
            }
        }
        let sorted = items.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return DemoJSON.object([("survey", .string("COPD patient experience"))] + query.echo
            + [("total", .integer(sorted.count)), ("items", .array(sorted))]).text
    }
}
