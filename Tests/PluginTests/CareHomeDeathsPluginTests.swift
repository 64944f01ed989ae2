// The site-local `care-home-deaths` plugin: the join by NHS number, suppression, and error messages.
import CareHomeDeathsPlugin
import PioneerKit
import PioneerExtraction
import PioneerTesting
import Testing

@Suite("care-home-deaths plugin")
struct CareHomeDeathsPluginTests {
    let quarter = Period.financialQuarter(2026, 1)
    let registerURL = "http://council.test/care-home-residents?from=2026-04-01&to=2026-06-30"
    let deathsURL = "http://mortality.test/deaths.csv?from=2026-04-01&to=2026-06-30"

    func harness(minimum: Int = 5) throws -> PluginHarness<CareHomeDeathsIndicatorPlugin> {
        try PluginHarness(CareHomeDeathsIndicatorPlugin.self, config: [
            "residents": [
                "feed": "council", "path": "/care-home-residents?from={period.start}&to={period.end}",
                "records": "$.residents[*]",
            ],
            "deaths": [
                "feed": "mortality", "path": "/deaths.csv?from={period.start}&to={period.end}",
                "date_column": "date_of_death",
            ],
            "hospital_places": ["Hospital", "NHS acute hospital"],
            "minimum_deaths": .scalar(String(minimum), quoted: false),
        ], indicator: .example(.proportion, period: .financialQuarter))
    }

    @Test func sharesResidentsDeathsInHospitalJoiningBySpacelessNHSNumber() throws {
        let observation = try harness().run(quarter, bodies: [
            "residents": Payload.body("care-home-residents.json"),
            "deaths": Payload.body("mortality-deaths.csv"),
        ])
        #expect(observation.numerator == 5)
        #expect(observation.denominator == 12)
        #expect(observation.value == 5.0 / 12)
        #expect(observation.interval == ConfidenceInterval.wilson(successes: 5, trials: 12))
    }

    @Test func fewerDeathsThanTheMinimumAreSuppressed() throws {
        let deaths: FeedBody = "nhs_number,date_of_death,place_of_death\n400 476 5919,2026-05-01,Hospital\n4857773456,2026-05-02,Care home\n"
        let observation = try harness().run(quarter, bodies: ["residents": Payload.body("care-home-residents.json"), "deaths": deaths])
        #expect(observation.notAvailable == NotAvailable(.suppressed, "2 deaths of care home residents, below the minimum of 5"))
        #expect(try harness(minimum: 2).run(quarter, bodies: ["residents": Payload.body("care-home-residents.json"), "deaths": deaths]).value == 0.5)
    }

    @Test func noResidentAmongTheDeathsIsNoData() throws {
        let deaths: FeedBody = "nhs_number,date_of_death,place_of_death\n6000000000,2026-05-01,Hospital\n"
        let observation = try harness().run(quarter, bodies: ["residents": Payload.body("care-home-residents.json"), "deaths": deaths])
        #expect(observation.notAvailable == NotAvailable(.noData, "no death in \(deathsURL) matched a care home resident for FY2026-27 Q1"))
    }

    @Test func anEmptyRegisterIsNoData() throws {
        let observation = try harness().run(quarter, bodies: ["residents": #"{"residents": []}"#, "deaths": Payload.body("mortality-deaths.csv")])
        #expect(observation.notAvailable == NotAvailable(.noData, "the register at \(registerURL) lists no care home residents for FY2026-27 Q1"))
    }

    @Test func aResidentWithoutAnNHSNumberIsAnError() throws {
        #expect {
            try harness().run(quarter, bodies: [
                "residents": #"{"residents": [{"nhs_number": "400 476 5919"}, {"name": "A. Resident"}]}"#,
                "deaths": Payload.body("mortality-deaths.csv"),
            ])
        } throws: { error in
            (error as? PluginError)?.message == "record `$['residents'][1]` from \(registerURL) has no field `nhs_number`; its fields are `name`"
        }
    }

    @Test func aRegisterWithoutTheRecordsPathIsAnErrorNotAnEmptyRegister() throws {
        #expect {
            try harness().run(quarter, bodies: [
                "residents": #"{"resident": [{"nhs_number": "400 476 5919"}]}"#,
                "deaths": Payload.body("mortality-deaths.csv"),
            ])
        } throws: { error in
            (error as? PluginError)?.message == "`$.residents[*]` selects nothing in \(registerURL): `$` has no member `residents` (did you mean `resident`?); its members are `resident`"
        }
    }

    @Test func aMissingDeathsColumnIsAnErrorListingTheHeader() throws {
        #expect {
            try harness().run(quarter, bodies: [
                "residents": Payload.body("care-home-residents.json"),
                "deaths": "nhs_number,date_of_death,place\n4857773456,2026-05-02,Hospital\n",
            ])
        } throws: { error in
            (error as? PluginError)?.message == "column `place_of_death` is not in the CSV from \(deathsURL) (did you mean `date_of_death`?); its header is `nhs_number`, `date_of_death`, `place`"
        }
    }

    @Test func aResidentsDeathWithoutADateIsAnErrorNamingItsRow() throws {
        #expect {
            try harness().run(quarter, bodies: [
                "residents": Payload.body("care-home-residents.json"),
                "deaths": "nhs_number,date_of_death,place_of_death\n6000000000,,Hospital\n400 476 5919,31/05/2026,Hospital\n",
            ])
        } throws: { error in
            (error as? PluginError)?.message == "row 3 of \(deathsURL): column `date_of_death` should hold a date like 2026-06-30 (iso), but found `31/05/2026`"
        }
    }

    @Test func aDeathsExtractWithOnlyAHeaderStillNeedsItsColumns() throws {
        let observation = try harness().run(quarter, bodies: [
            "residents": Payload.body("care-home-residents.json"), "deaths": "nhs_number,date_of_death,place_of_death\n",
        ])
        #expect(observation.notAvailable?.reason == .noData)
        #expect {
            try harness().run(quarter, bodies: ["residents": Payload.body("care-home-residents.json"), "deaths": "nhs_number,date_of_death\n"])
        } throws: { error in
            (error as? PluginError)?.message.hasPrefix("column `place_of_death` is not in the CSV from \(deathsURL)") == true
        }
    }

    @Test func configErrorsPointAtTheirKeys() {
        let issues = PluginHarness<CareHomeDeathsIndicatorPlugin>.issues(configuring: [
            "residents": ["feed": "council", "path": "/r", "id_feld": "nhs"],
            "deaths": ["feed": "deaths", "path": "/d.csv"],
            "hospital_places": [],
        ], indicator: .example(.proportion))
        #expect(issues.map(\.description) == [
            "<test>: error: config.residents.id_feld: unknown key `id_feld` (did you mean `id_field`?)",
            "<test>: error: config.deaths.feed: unknown feed `deaths`; the site declares `bi`, `council`, `mortality`, `survey`",
            "<test>: error: config.hospital_places: list the places of death that count as hospital, such as `[Hospital, NHS acute hospital]`",
        ])
    }
}
