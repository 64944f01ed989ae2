// Reading the `care-home-deaths` plugin's `config:`: the residents register, the deaths extract, the places.
public import PioneerKit
public import PioneerExtraction

extension CareHomeDeathsIndicatorPlugin {
    /// Where the register of care home residents comes from (JSON).
    public struct ResidentsSource: Sendable, Hashable {
        public var feed: String
        public var path: String
        public var records: JSONPath
        public var idField: String

        public init(feed: String, path: String, records: JSONPath = .everyElement, idField: String = "nhs_number") {
            self.feed = feed
            self.path = path
            self.records = records
            self.idField = idField
        }
    }

    /// Where the registered deaths come from (CSV).
    public struct DeathsSource: Sendable, Hashable {
        public var feed: String
        public var path: String
        public var idColumn: String
        public var placeColumn: String
        /// When given, only deaths dated in the period count.
        public var dateColumn: String?

        public init(feed: String, path: String, idColumn: String = "nhs_number",
                    placeColumn: String = "place_of_death", dateColumn: String? = nil) {
            self.feed = feed
            self.path = path
            self.idColumn = idColumn
            self.placeColumn = placeColumn
            self.dateColumn = dateColumn
        }
    }

    public static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> CareHomeDeathsIndicatorPlugin? {
        guard !config.isNull else {
            issues.error("the `care-home-deaths` plugin needs a `config:` mapping with `residents`, `deaths` and `hospital_places`", at: config)
            return nil
        }
        var valid = setup.indicator.valueType == .proportion
        if !valid {
            issues.error("the `care-home-deaths` plugin computes a share of deaths, but indicator `\(setup.indicator.id)` has value_type `\(setup.indicator.valueType.rawValue)`; set value_type to `proportion`", at: config)
        }
        let reader = ConfigReader(config, issues: issues)
        let residents = reader.section("residents", required: true).flatMap { readResidents(from: $0, setup: setup) }
        let deaths = reader.section("deaths", required: true).flatMap { readDeaths(from: $0, setup: setup) }
        let places = reader.scalarOrList("hospital_places", required: true)
        let minimum = reader.nonNegativeInt("minimum_deaths")
        reader.finish()
        if let places, places.isEmpty, let node = config["hospital_places"] {
            valid = false
            issues.error("list the places of death that count as hospital, such as `[Hospital, NHS acute hospital]`", at: node)
        }
        if reader.contains("minimum_deaths") && minimum == nil { valid = false }
        guard valid, let residents, let deaths, let places else { return nil }
        return CareHomeDeathsIndicatorPlugin(residents: residents, deaths: deaths, hospitalPlaces: places,
                                             minimumDeaths: minimum ?? 5)
    }

    private static func readResidents(from reader: ConfigReader, setup: PluginSetup) -> ResidentsSource? {
        defer { reader.finish() }
        let feed = reader.feed(setup: setup)
        let path = reader.pathTemplate("path", required: true)
        let records = reader.jsonPath("records")
        if let records, let reason = records.wholeDocumentReason, let node = reader.node["records"] {
            reader.issues.note(reason, at: node)
        }
        let idField = reader.string("id_field")
        guard let feed, let path, !(reader.contains("records") && records == nil) else { return nil }
        return ResidentsSource(feed: feed, path: path, records: records ?? .everyElement, idField: idField ?? "nhs_number")
    }

    private static func readDeaths(from reader: ConfigReader, setup: PluginSetup) -> DeathsSource? {
        defer { reader.finish() }
        let feed = reader.feed(setup: setup)
        let path = reader.pathTemplate("path", required: true)
        let idColumn = reader.string("id_column")
        let placeColumn = reader.string("place_column")
        let dateColumn = reader.string("date_column")
        guard let feed, let path else { return nil }
        return DeathsSource(feed: feed, path: path, idColumn: idColumn ?? "nhs_number",
                            placeColumn: placeColumn ?? "place_of_death", dateColumn: dateColumn)
    }
}
