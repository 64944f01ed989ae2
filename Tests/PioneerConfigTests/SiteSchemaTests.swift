// The site schema: each broken site file gives its message at the right line and
// column, a valid file gives the expected Site, and one run reports every error.
import PioneerCore
import PioneerKit
import PioneerTesting
import Testing
@testable import PioneerConfig
import Foundation

/// One broken site file and the issue it must produce.
struct BrokenSite: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var line: Int
    var column: Int
    var path: String
    var message: String
    var severity: ConfigIssue.Severity = .error

    var testDescription: String { name }

    init(_ name: String, replace old: String, with new: String,
         at line: Int, _ column: Int, path: String, _ message: String) {
        self.name = name
        self.text = SiteFixture.replacing(old, with: new)
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }
}

@Suite("Site schema")
struct SiteSchemaTests {
    static let brokenSites: [BrokenSite] = [
        BrokenSite("misspelt top-level key", replace: "goals:", with: "goal:",
                   at: 49, 1, path: "goal", "unknown key `goal` (did you mean `goals`?)"),
        BrokenSite("misspelt goal key suggests a goal key", replace: "    indicator: emergency-admissions-65", with: "    indicatr: emergency-admissions-65",
                   at: 51, 5, path: "goals[0].indicatr", "unknown key `indicatr` (did you mean `indicator`?)"),
        BrokenSite("misspelt indicator key suggests an indicator key", replace: "    value_type: proportion", with: "    valuetype: proportion",
                   at: 39, 5, path: "indicators[1].valuetype", "unknown key `valuetype` (did you mean `value_type`?)"),
        BrokenSite("site id with capitals", replace: "  id: torbay", with: "  id: Torbay",
                   at: 2, 7, path: "site.id", "site id `Torbay` may use only lowercase letters, digits and `-` (e.g. `torbay`)"),
        BrokenSite("site id differs from its folder", replace: "  id: torbay", with: "  id: torquay",
                   at: 2, 7, path: "site.id", "site id `torquay` must equal the name of its folder, `torbay`"),
        BrokenSite("missing site name", replace: "  name: Torbay and South Devon\n", with: "",
                   at: 2, 3, path: "site.name", "missing required key `name`"),
        BrokenSite("focus given as a mapping", replace: "  focus: [older people, intermediate care]", with: "  focus: { people: older }",
                   at: 6, 10, path: "site.focus", "expected a list, found a mapping"),
        BrokenSite("negative population", replace: "  aged_65_plus: 35400", with: "  aged_65_plus: -5",
                   at: 10, 17, path: "population.aged_65_plus", "a population must be more than 0, found `-5`"),
        BrokenSite("feed URL that is not http", replace: "https://bi.torbay.nhs.uk/api", with: "ftp://bi.torbay.nhs.uk/api",
                   at: 14, 15, path: "feeds.bi.base_url", "`ftp://bi.torbay.nhs.uk/api` is not an http or https URL"),
        BrokenSite("feed URL with a password", replace: "https://bi.torbay.nhs.uk/api", with: "https://admin:hunter2@bi.torbay.nhs.uk/api",
                   at: 14, 15, path: "feeds.bi.base_url", "base_url must not carry a user name or password"),
        BrokenSite("literal token", replace: "token: ${TORBAY_BI_TOKEN}", with: "token: abc123secret",
                   at: 17, 14, path: "feeds.bi.auth.token", "the token must come from an environment variable, written `${VARIABLE}`"),
        BrokenSite("unclosed environment reference", replace: "token: ${TORBAY_BI_TOKEN}", with: "token: ${TORBAY_BI_TOKEN",
                   at: 17, 14, path: "feeds.bi.auth.token", "malformed environment reference: `${` is not closed with `}`"),
        BrokenSite("environment reference with a space", replace: "token: ${TORBAY_BI_TOKEN}", with: "token: ${TORBAY BI}",
                   at: 17, 14, path: "feeds.bi.auth.token", "malformed environment reference: `${TORBAY BI}` is not a valid variable name"),
        BrokenSite("misspelt auth type", replace: "type: bearer", with: "type: bearr",
                   at: 16, 13, path: "feeds.bi.auth.type", "`bearr` is not one of `none`, `bearer`, `basic`, `ntlm`, `negotiate` (did you mean `bearer`?)"),
        BrokenSite("username on bearer auth", replace: "      token: ${TORBAY_BI_TOKEN}", with: "      token: ${TORBAY_BI_TOKEN}\n      username: ${TORBAY_USER}",
                   at: 18, 7, path: "feeds.bi.auth.username", "`username` does not apply to `bearer` auth, which takes `token`"),
        BrokenSite("zero timeout", replace: "    timeout: 30", with: "    timeout: 0",
                   at: 18, 14, path: "feeds.bi.timeout", "must be more than 0 seconds, found `0`"),
        BrokenSite("unreadable body size", replace: "max_body: 5MB", with: "max_body: 5 furlongs",
                   at: 19, 15, path: "feeds.bi.max_body", "`5 furlongs` is not a size; write a byte count or a whole number with KB, MB or GB"),
        BrokenSite("literal credential header", replace: "      X-Api-Version: \"2\"", with: "      Authorization: Bearer abc123",
                   at: 21, 22, path: "feeds.bi.headers.Authorization", "header `Authorization` carries a credential"),
        // "\r\n" is one Character, equal to neither "\r" nor "\n": it passed, and collect refused it.
        BrokenSite("header value with a Windows line break", replace: "      X-Api-Version: \"2\"", with: "      X-Api-Version: \"2\\r\\nX-Evil: 1\"",
                   at: 21, 22, path: "feeds.bi.headers.X-Api-Version", "a header value must be on one line"),
        BrokenSite("repeated indicator id", replace: "  - id: still-at-home-91", with: "  - id: emergency-admissions-65",
                   at: 36, 9, path: "indicators[1].id", "duplicate indicator id `emergency-admissions-65` (first at line 24)"),
        BrokenSite("misspelt kind", replace: "    kind: outcome\n    value_type: rate", with: "    kind: outcom\n    value_type: rate",
                   at: 26, 11, path: "indicators[0].kind", "`outcom` is not one of `process`, `outcome`, `experience`, `cost` (did you mean `outcome`?)"),
        BrokenSite("unknown period type", replace: "    period: month", with: "    period: monthly",
                   at: 29, 13, path: "indicators[0].period", "`monthly` is not one of `month`, `quarter`, `fy-quarter`, `fy-year`, `iso-week` (did you mean `month`?)"),
        BrokenSite("rate without per", replace: "    per: 1000\n", with: "",
                   at: 24, 5, path: "indicators[0].per", "missing required key `per`; a rate needs its multiplier, one of 100, 1000, 10000, 100000"),
        BrokenSite("per on a proportion", replace: "    decimals: 1\n", with: "    decimals: 1\n    per: 100\n",
                   at: 44, 10, path: "indicators[1].per", "`per` applies only to `value_type: rate`; remove it, this indicator's value_type is `proportion`"),
        BrokenSite("per that is not a factor", replace: "    per: 1000", with: "    per: 500",
                   at: 31, 10, path: "indicators[0].per", "must be one of 100, 1000, 10000, 100000, found a number `500`"),
        BrokenSite("too many decimals", replace: "    decimals: 1", with: "    decimals: 9",
                   at: 43, 15, path: "indicators[1].decimals", "must be between 0 and 6, found `9`"),
        BrokenSite("unknown plugin", replace: "    plugin: feed-count\n    config:\n      feed: bi\n      path: /admissions", with: "    plugin: feed-cont\n    config:\n      feed: bi\n      path: /admissions",
                   at: 32, 13, path: "indicators[0].plugin", "unknown plugin `feed-cont` (did you mean `feed-count`?); registered plugins: `feed-count`"),
        BrokenSite("plugin config naming an unknown feed", replace: "      feed: bi\n      path: /reablement", with: "      feed: bj\n      path: /reablement",
                   at: 46, 13, path: "indicators[1].config.feed", "unknown feed `bj` (did you mean `bi`?); the site declares `bi`"),
        BrokenSite("misspelt plugin config key", replace: "      path: /reablement", with: "      pth: /reablement",
                   at: 47, 7, path: "indicators[1].config.pth", "unknown key `pth` (did you mean `path`?)"),
        BrokenSite("goal on an unknown indicator", replace: "    indicator: emergency-admissions-65", with: "    indicator: emergency-admisions-65",
                   at: 51, 16, path: "goals[0].indicator", "unknown indicator `emergency-admisions-65` (did you mean `emergency-admissions-65`?); the site declares `emergency-admissions-65`, `still-at-home-91`"),
        BrokenSite("baseline period of the wrong type", replace: "{ period: 2024-04, value: 23.5 }", with: "{ period: 2024Q2, value: 23.5 }",
                   at: 53, 25, path: "goals[0].baseline.period", "`2024Q2` is a calendar quarter, but this indicator is reported by month"),
        BrokenSite("impossible month", replace: "{ period: 2024-04, value: 23.5 }", with: "{ period: 2024-13, value: 23.5 }",
                   at: 53, 25, path: "goals[0].baseline.period", "`2024-13` is not a period: a month is 01 to 12"),
        BrokenSite("target before the baseline", replace: "{ period: 2027-03, value: 21.2 }", with: "{ period: 2024-03, value: 21.2 }",
                   at: 54, 23, path: "goals[0].target.period", "the target period `2024-03` must be after the baseline `2024-04`"),
        BrokenSite("milestone after the target", replace: "{ period: 2025-03, value: 22.8 }", with: "{ period: 2028-03, value: 22.8 }",
                   at: 56, 19, path: "goals[0].trajectory[0].period", "milestone `2028-03` is outside the goal's span, from the baseline `2024-04` to the target `2027-03`"),
        BrokenSite("milestone at the baseline's period", replace: "{ period: 2025-03, value: 22.8 }", with: "{ period: 2024-04, value: 22.8 }",
                   at: 56, 19, path: "goals[0].trajectory[0].period", "milestone `2024-04` is at the baseline's period, where the baseline sets the value; give milestones between the baseline `2024-04` and the target `2027-03`"),
        BrokenSite("milestone at the target's period", replace: "{ period: 2025-03, value: 22.8 }", with: "{ period: 2027-03, value: 22.8 }",
                   at: 56, 19, path: "goals[0].trajectory[0].period", "milestone `2027-03` is at the target's period, where the target sets the value; give milestones between the baseline `2024-04` and the target `2027-03`"),
        BrokenSite("unknown trajectory", replace: "    trajectory:\n      - { period: 2025-03, value: 22.8 }", with: "    trajectory: curved",
                   at: 55, 17, path: "goals[0].trajectory", "`curved` is not a trajectory; write `linear` or a list of milestones"),
        BrokenSite("misspelt RAG", replace: "rag: green", with: "rag: greeen",
                   at: 59, 12, path: "goals[0].self_assessment.rag", "`greeen` is not one of `red`, `amber`, `green` (did you mean `green`?)"),
        BrokenSite("impossible review date", replace: "as_of: 2026-10-31", with: "as_of: 2026-02-30",
                   at: 61, 14, path: "goals[0].self_assessment.as_of", "`2026-02-30` is not a date; write YYYY-MM-DD"),
        BrokenSite("missing value in a baseline", replace: "{ period: 2024-04, value: 23.5 }", with: "{ period: 2024-04 }",
                   at: 53, 15, path: "goals[0].baseline.value", "missing required key `value`"),
        BrokenSite("name given as a list", replace: "    name: Emergency admissions, aged 65+", with: "    name: [Emergency admissions]",
                   at: 25, 11, path: "indicators[0].name", "expected a string, found a list"),
        BrokenSite("repeated key in a feed", replace: "    timeout: 30", with: "    timeout: 30\n    timeout: 45",
                   at: 19, 5, path: "feeds.bi.timeout", "duplicate key `timeout` (first at line 18)"),
    ]

    @Test("a broken site file is reported at the right line and column", arguments: brokenSites)
    func brokenSiteIsReported(_ broken: BrokenSite) throws {
        let issues = SiteFixture.issues(broken.text)
        let issue = try #require(issues.first(containing: broken.message), "no issue says “\(broken.message)”; got:\n\(issues.listing)")
        #expect(issue.severity == broken.severity)
        #expect(issue.location.file == SiteFixture.file)
        #expect(issue.location.line == broken.line, "\(issue)")
        #expect(issue.location.column == broken.column, "\(issue)")
        #expect(issue.path == broken.path, "\(issue)")
        #expect(issues.contains { $0.severity == .error }, "a broken site must not load")
    }

    @Test("the broken cases are all different")
    func brokenCasesAreDistinct() {
        #expect(Set(Self.brokenSites.map(\.message)).count == Self.brokenSites.count)
        #expect(Self.brokenSites.count >= 25)
    }

    @Test("a valid site loads into the expected values")
    func validSiteLoads() throws {
        let loaded = try SiteFixture.load(SiteFixture.valid)
        let site = loaded.site
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings.listing)")
        #expect(site.id == "torbay")
        #expect(site.name == "Torbay and South Devon")
        #expect(site.region == "South West")
        #expect(site.wave == "Integrated Care Pilot (2009)")
        #expect(site.focus == ["older people", "intermediate care"])
        #expect(site.population == ["total": 136_000, "aged_65_plus": 35_400])
        #expect(site.directory == SiteFixture.directory)
        #expect(site.file == SiteFixture.file)

        let feed = try #require(site.feed(named: "bi"))
        #expect(feed.baseURL == "https://bi.torbay.nhs.uk/api")
        #expect(feed.auth == .bearer(token: SecretReference(variable: "TORBAY_BI_TOKEN", location: SourceLocation(file: SiteFixture.file, line: 17, column: 14))))
        #expect(feed.timeout == 30)
        #expect(feed.connectTimeout == 10)
        #expect(feed.retry == RetryPolicy(retries: 2, backoff: 0.5))
        #expect(feed.maxBodyBytes == 5 * 1024 * 1024)
        #expect(feed.maxRedirects == 5)
        #expect(feed.headers == ["X-Api-Version": "2"])
        #expect(feed.tls == FeedTLS())
        #expect(feed.location == SourceLocation(file: SiteFixture.file, line: 14, column: 5))

        #expect(site.indicators.map(\.definition.id) == ["emergency-admissions-65", "still-at-home-91"])
        let admissions = try #require(site.indicator(id: "emergency-admissions-65"))
        #expect(admissions.definition == IndicatorDefinition(
            id: "emergency-admissions-65", name: "Emergency admissions, aged 65+", kind: .outcome, valueType: .rate,
            unit: "admissions per 1,000 aged 65+", periodType: .month, better: .lower, decimals: 1, factor: .per1000))
        #expect(admissions.plugin == "feed-count")
        #expect(admissions.config["path"]?.scalar == "/admissions?month={period}")
        #expect(admissions.config["path"]?.path == "indicators[0].config.path")
        #expect(admissions.location.line == 24)
        let home = try #require(site.indicator(id: "still-at-home-91"))
        #expect(home.definition.periodType == .financialQuarter)
        #expect(home.definition.factor == nil)
        #expect(home.definition.unit == "%")

        let plugin = try #require(loaded.plugins["emergency-admissions-65"] as? FeedCountPlugin)
        #expect(plugin.feed == "bi")
        #expect(plugin.path == "/admissions?month={period}")
        #expect(loaded.plugins.count == 2)

        let goal = try #require(site.goals.first)
        #expect(site.goals.count == 1)
        #expect(goal.id == "fewer-emergency-admissions")
        #expect(goal.indicatorID == "emergency-admissions-65")
        #expect(goal.title == "Reduce emergency admissions of people aged 65+ by 10% by March 2027")
        #expect(goal.baseline == PeriodValue(period: .month(2024, 4), value: 23.5))
        #expect(goal.target == PeriodValue(period: .month(2027, 3), value: 21.2))
        #expect(goal.trajectory == .milestones([PeriodValue(period: .month(2025, 3), value: 22.8)]))
        #expect(goal.assessment == SelfAssessment(confidence: .high, rag: .green,
                                                  narrative: "Frailty hubs opened in all five localities.",
                                                  asOf: CalendarDate(year: 2026, month: 10, day: 31)))
    }

    @Test("one run reports every error in a file")
    func allErrorsInOneRun() {
        var text = SiteFixture.replacing("  id: torbay", with: "  id: Torbay")
        text = text.replacingOccurrences(of: "timeout: 30", with: "timeout: -1")
        text = text.replacingOccurrences(of: "    kind: outcome\n    value_type: rate", with: "    kind: outcom\n    value_type: rate")
        text = text.replacingOccurrences(of: "      path: /reablement", with: "      pth: /reablement")
        text = text.replacingOccurrences(of: "rag: green", with: "rag: greeen")
        let errors = SiteFixture.issues(text).filter { $0.severity == .error }
        let expected = [
            (2, "site id `Torbay`"),
            (18, "must be more than 0 seconds"),
            (26, "`outcom` is not one of"),
            (47, "unknown key `pth`"),
            (59, "`greeen` is not one of"),
        ]
        for (line, fragment) in expected {
            #expect(errors.contains { $0.location.line == line && $0.message.contains(fragment) }, "missing \(line): \(fragment) in\n\(errors.listing)")
        }
        #expect(errors.map(\.location.line) == errors.map(\.location.line).sorted(), "issues are in file order")
    }

    @Test("an unset environment variable is a warning when validating")
    func unsetVariableWarns() throws {
        let loaded = try SiteFixture.load(SiteFixture.valid, loader: SiteFixture.loader(environment: [:]))
        let warning = try #require(loaded.warnings.first)
        #expect(loaded.warnings.count == 1)
        #expect(warning.severity == .warning)
        #expect(warning.location.line == 17 && warning.location.column == 14)
        #expect(warning.message == "environment variable `TORBAY_BI_TOKEN` is not set; collect will fail for this feed until it is set")
    }

    @Test("a population that is not a whole number of people is a warning")
    func fractionalPopulationWarns() throws {
        let text = SiteFixture.valid.replacingOccurrences(of: "  aged_65_plus: 35400", with: "  aged_65_plus: 35400.5")
        let loaded = try SiteFixture.load(text, loader: SiteFixture.loader(environment: ["TORBAY_BI_TOKEN": "t"]))
        let warning = try #require(loaded.warnings.first)
        #expect(loaded.warnings.count == 1, "\(loaded.warnings.listing)")
        #expect(warning.location.line == 10)
        #expect(warning.message == "a population counts people, and `35400.5` is not a whole number; rates divide by it as written")
        #expect(loaded.site.population["aged_65_plus"] == 35400.5)
    }

    @Test("a target on the worse side of the baseline is a warning at the target's value")
    func targetWorseThanBaselineWarns() throws {
        // Admissions: lower is better, so a target above the baseline would be "achieved" by getting worse.
        let text = SiteFixture.valid.replacingOccurrences(of: "value: 21.2 }", with: "value: 25 }")
        let loaded = try SiteFixture.load(text)
        let warning = try #require(loaded.warnings.first)
        #expect(loaded.warnings.count == 1, "\(loaded.warnings.listing)")
        #expect(warning.severity == .warning)
        #expect(warning.location.file == SiteFixture.file)
        #expect(warning.location.line == 54 && warning.location.column == 39, "\(warning)")
        #expect(warning.path == "goals[0].target.value")
        #expect(warning.message == "the target `25` is above the baseline `23.5`, but lower is better for this indicator: the goal counts as achieved once the indicator has got worse; check the target, or the indicator's `better`")
    }

    /// Found by a tester: hours of home care per week showed as £11.0.
    @Test("an amount whose unit is not money is a warning at the unit")
    func amountThatIsNotMoneyWarns() throws {
        let text = SiteFixture.valid.replacingOccurrences(of: "    value_type: proportion\n    unit: \"%\"",
                                                          with: "    value_type: amount\n    unit: hours of home care per week")
        let loaded = try SiteFixture.load(text)
        let warning = try #require(loaded.warnings.first { $0.path == "indicators[1].unit" }, "\(loaded.warnings.listing)")
        #expect(warning.message.hasPrefix("an `amount` is money, shown in pounds (£1,204.50), but the unit `hours of home care per week` does not say £, pounds or GBP"))
        let money = SiteFixture.valid.replacingOccurrences(of: "    value_type: proportion\n    unit: \"%\"",
                                                           with: "    value_type: amount\n    unit: £ per package per week")
        #expect(try SiteFixture.load(money).warnings.allSatisfy { $0.path != "indicators[1].unit" })
    }

    @Test("a target equal to the baseline (hold the line) is not a warning")
    func targetEqualToBaselineIsQuiet() throws {
        let text = SiteFixture.valid.replacingOccurrences(of: "value: 21.2 }", with: "value: 23.5 }")
            .replacingOccurrences(of: "value: 22.8 }", with: "value: 23.5 }")
        let loaded = try SiteFixture.load(text)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings.listing)")
    }

    @Test("an unset environment variable is an error when secrets are required")
    func unsetVariableFailsWhenRequired() {
        let issues = SiteFixture.issues(SiteFixture.valid, loader: SiteFixture.loader(environment: [:], requireSecrets: true))
        #expect(issues.count == 1)
        #expect(issues.first?.severity == .error)
        #expect(issues.first?.message == "environment variable `TORBAY_BI_TOKEN` is not set; set it before collecting")
    }

    @Test("a literal secret is never repeated in the message")
    func literalSecretIsNotEchoed() {
        let text = SiteFixture.replacing("token: ${TORBAY_BI_TOKEN}", with: "token: s3cr3t-Passw0rd")
        let issues = SiteFixture.issues(text)
        #expect(!issues.isEmpty)
        #expect(!issues.contains { $0.description.contains("s3cr3t") })
    }

    @Test("TLS verification off for a remote host warns; for localhost it does not")
    func verifyOffWarnsForRemoteHosts() throws {
        let remote = SiteFixture.replacing("    timeout: 30", with: "    timeout: 30\n    tls:\n      verify: false")
        let warnings = try SiteFixture.load(remote).warnings
        let warning = try #require(warnings.first(containing: "TLS verification is off for `bi.torbay.nhs.uk`"))
        #expect(warning.severity == .warning)
        #expect(warning.location.line == 20 && warning.location.column == 15)

        let local = remote.replacingOccurrences(of: "https://bi.torbay.nhs.uk/api", with: "http://127.0.0.1:8080/api")
        #expect(try SiteFixture.load(local).warnings.isEmpty)
    }

    @Test("a host name that starts like a loopback address is not loopback: verify off warns for it")
    func loopbackIsAnAddressNotAPrefix() throws {
        let text = SiteFixture.replacing("    timeout: 30", with: "    timeout: 30\n    tls:\n      verify: false")
            .replacingOccurrences(of: "https://bi.torbay.nhs.uk/api", with: "https://127.0.0.1.nip.io/api")
        let warnings = try SiteFixture.load(text).warnings
        #expect(warnings.first(containing: "TLS verification is off for `127.0.0.1.nip.io`") != nil, "\(warnings.listing)")
    }

    @Test("credentials for another machine over plain http warn; over https or to this machine they do not")
    func credentialsOverPlainHTTPWarn() throws {
        let plain = SiteFixture.replacing("https://bi.torbay.nhs.uk/api", with: "http://bi.torbay.nhs.uk/api")
        let warnings = try SiteFixture.load(plain).warnings
        let warning = try #require(warnings.first(containing: "over plain http"), "\(warnings.listing)")
        #expect(warning.message == "its bearer credentials would go to `bi.torbay.nhs.uk` over plain http, where anyone on the network path can read them; use https")
        #expect(try SiteFixture.load(SiteFixture.valid).warnings.first(containing: "over plain http") == nil)
        let local = SiteFixture.replacing("https://bi.torbay.nhs.uk/api", with: "http://localhost:8080/api")
        #expect(try SiteFixture.load(local).warnings.first(containing: "over plain http") == nil)

        // A proxy's login too.
        let proxied = SiteFixture.replacing("    timeout: 30", with: "    timeout: 30\n    proxy: \"http://svc:${PROXY_PASS}@proxy.nhs.local:3128\"")
        let proxyWarnings = try SiteFixture.load(proxied, loader: SiteFixture.loader(environment: ["TORBAY_BI_TOKEN": "t", "PROXY_PASS": "p"])).warnings
        #expect(proxyWarnings.first(containing: "the proxy's login would go to `proxy.nhs.local` over plain http") != nil, "\(proxyWarnings.listing)")
    }

    @Test("a TLS file with no PEM block, and an encrypted key without its pass phrase, are warned about when the site is read")
    func tlsFileContentsAreChecked() throws {
        try withTemporaryFolder { folder in
            let empty = folder.appending(path: "ca.pem")
            try Data().write(to: empty)
            let key = folder.appending(path: "client.key")
            try Data("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----\n".utf8).write(to: key)
            let certificate = folder.appending(path: "client.pem")
            try Data("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8).write(to: certificate)
            let tls = "    timeout: 30\n    tls:\n      ca_bundle: \(empty.path)\n      client_certificate: \(certificate.path)\n      client_key: \(key.path)"
            let warnings = try SiteFixture.load(SiteFixture.replacing("    timeout: 30", with: tls)).warnings
            #expect(warnings.first(containing: "holds no PEM block (`-----BEGIN …`); give the certificate or key in PEM form")?
                .message.hasPrefix("file `\(empty.path)`") == true, "\(warnings.listing)")
            #expect(warnings.first(containing: "the key is encrypted; give its pass phrase with `client_key_password: ${VARIABLE}`") != nil,
                    "\(warnings.listing)")
            #expect(warnings.count == 2, "\(warnings.listing)")
        }
    }

    @Test("client_key_password is read as a secret reference, and needs client_key")
    func clientKeyPassword() throws {
        let tls = "    timeout: 30\n    tls:\n      client_certificate: c.pem\n      client_key: k.pem\n      client_key_password: ${KEY_PASS}"
        let loaded = try SiteFixture.load(SiteFixture.replacing("    timeout: 30", with: tls),
                                          loader: SiteFixture.loader(environment: ["TORBAY_BI_TOKEN": "t", "KEY_PASS": "p"]))
        #expect(loaded.site.feed(named: "bi")?.tls.clientKeyPassword?.variable == "KEY_PASS")

        let alone = SiteFixture.replacing("    timeout: 30", with: "    timeout: 30\n    tls:\n      client_key_password: ${KEY_PASS}")
        let issues = SiteFixture.issues(alone, loader: SiteFixture.loader(environment: ["TORBAY_BI_TOKEN": "t", "KEY_PASS": "p"]))
        #expect(issues.contains { $0.severity == .error && $0.message == "client_key_password is the pass phrase of client_key (or of a key in client_certificate's file), neither of which is given" },
                "\(issues)")
        let literal = SiteFixture.replacing("    timeout: 30", with: tls.replacingOccurrences(of: "${KEY_PASS}", with: "hunter2"))
        #expect(SiteFixture.issues(literal).contains { $0.message.hasPrefix("the client key's pass phrase must come from an environment variable") })
    }

    @Test("a certificate file that does not exist is a warning naming the path looked for")
    func missingCertificateWarns() throws {
        let text = SiteFixture.replacing("    timeout: 30", with: "    timeout: 30\n    tls:\n      ca_bundle: certs/internal-ca.pem")
        let warning = try #require(try SiteFixture.load(text).warnings.first)
        #expect(warning.message == "file `certs/internal-ca.pem` does not exist (looked for `sites/torbay/certs/internal-ca.pem`)")
        #expect(warning.location.line == 20 && warning.location.column == 18)
    }

    @Test("basic auth needs both secrets, and reads them as references")
    func basicAuthReadsBothSecrets() throws {
        let text = SiteFixture.replacing("      type: bearer\n      token: ${TORBAY_BI_TOKEN}", with: "      type: basic\n      username: ${BI_USER}\n      password: ${BI_PASSWORD}")
        let loaded = try SiteFixture.load(text, loader: SiteFixture.loader(environment: ["BI_USER": "u", "BI_PASSWORD": "p"]))
        let auth = try #require(loaded.site.feed(named: "bi")?.auth)
        #expect(auth.scheme == "basic")
        #expect(auth.secrets.map(\.variable) == ["BI_USER", "BI_PASSWORD"])

        let missing = SiteFixture.replacing("      type: bearer\n      token: ${TORBAY_BI_TOKEN}", with: "      type: ntlm\n      username: ${BI_USER}")
        let issue = SiteFixture.issues(missing, loader: SiteFixture.loader(environment: ["BI_USER": "u"])).first(containing: "missing required key `password`")
        #expect(issue?.path == "feeds.bi.auth.password")
        #expect(issue?.location.line == 16)
    }

    @Test("feed settings accept their documented forms")
    func feedSettingsAcceptDocumentedForms() throws {
        let text = SiteFixture.replacing("    max_body: 5MB", with: """
                max_body: 512KB
                connect_timeout: 5
                retries: 0
                backoff: 1.5
                max_redirects: 0
                proxy: http://proxy.nhs.local:3128
            """)
        let feed = try #require(try SiteFixture.load(text).site.feed(named: "bi"))
        #expect(feed.maxBodyBytes == 512 * 1024)
        #expect(feed.connectTimeout == 5)
        #expect(feed.retry.retries == 0)
        #expect(feed.retry.backoff == 1.5)
        #expect(feed.maxRedirects == 0)
        #expect(feed.proxy == "http://proxy.nhs.local:3128")
    }

    @Test("a site without indicators is refused")
    func emptyIndicatorListIsRefused() {
        let text = "site: { id: torbay, name: Torbay, region: South West, wave: Pilot, focus: older people }\nindicators: []\n"
        let issue = SiteFixture.issues(text).first(containing: "list at least one indicator")
        #expect(issue?.location.line == 2)
        #expect(issue?.location.column == 13)
    }

    @Test("a goal on an unknown indicator in a large site lists a dozen of the ids, not all")
    func unknownIndicatorInALargeSiteListsAFewIDs() {
        var text = "site: { id: big, name: Big, region: South West, wave: Pilot, focus: older people }\n"
            + "feeds:\n  bi:\n    base_url: https://bi.example.nhs.uk\nindicators:\n"
        for number in 1...300 {
            text += "  - { id: feed-\(number), name: Feed \(number), kind: process, value_type: count, unit: items, "
                + "period: month, better: higher, plugin: json, config: { feed: bi, path: /\(number).json, select: $.value } }\n"
        }
        text += "goals:\n  - { id: fewer, title: Fewer, indicator: feed-3000, baseline: { period: 2026-01, value: 5 }, "
            + "target: { period: 2027-01, value: 3 } }\n"
        let issue = SiteFixture.issues(text).first(containing: "unknown indicator")
        #expect(issue?.message == "unknown indicator `feed-3000` (did you mean `feed-300`?); the site declares "
            + (1...12).map { "`feed-\($0)`" }.joined(separator: ", ") + " and 288 more", "\(SiteFixture.issues(text).listing)")
    }

    @Test("a goal on a broken indicator is not told the indicator is unknown")
    func goalOnBrokenIndicatorIsNotUnknown() {
        let text = SiteFixture.replacing("    kind: outcome\n    value_type: rate", with: "    kind: outcom\n    value_type: rate")
        let issues = SiteFixture.issues(text)
        #expect(issues.first(containing: "unknown indicator") == nil, "\(issues.listing)")
        #expect(issues.filter { $0.severity == .error }.count == 1, "\(issues.listing)")
    }

    @Test("the catalogue's json plugin checks its own config inside a site")
    func catalogueJSONPluginChecksConfig() throws {
        let text = SiteFixture.valid
            .replacingOccurrences(of: "plugin: feed-count", with: "plugin: json")
            .replacingOccurrences(of: "      path: /reablement", with: "      path: /reablement\n      select: $.total\n      aggregat: sum")
            .replacingOccurrences(of: "      path: /admissions?month={period}", with: "      path: /admissions?month={period}\n      select: $.total")
        let loader = SiteLoader(plugins: .builtIn(adding: []), environment: SiteFixture.environment)
        try #require(loader.plugins.factory(named: "json") != nil, "the json plugin is not among PluginCatalogue.builtInFactories")
        let issues = SiteFixture.issues(text, loader: loader)
        let issue = try #require(issues.first(containing: "unknown key `aggregat` (did you mean `aggregate`?)"), "\(issues.listing)")
        #expect(issue.location.line == 50 && issue.location.column == 7)
        #expect(issue.path == "indicators[1].config.aggregat")
    }
}
