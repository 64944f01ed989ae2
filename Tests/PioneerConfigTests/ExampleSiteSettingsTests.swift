// The example sites' goal-judging settings are read as the demo needs them: each site marks
// the start of its service, and Torbay rebases home care cost at each April's new rate.
import Foundation
import PioneerCore
import PioneerKit
import PioneerTesting
import Testing
@testable import PioneerConfig

@Suite("Example sites' goal settings")
struct ExampleSiteSettingsTests {
    static let sites = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "sites")

    func load(_ id: String) throws -> Site {
        try SiteLoader(plugins: .builtIn(adding: []), environment: ["TORBAY_BI_TOKEN": "token"])
            .load(directory: Self.sites.appending(path: id).path).site
    }

    @Test func torbayMarksItsTeamsRebasesHomeCareCostAndWritesOutItsProgressSettings() throws {
        let site = try load("torbay")
        #expect(site.events == [SiteEvent(period: .month(2024, 10), label: "integrated locality teams start")])
        #expect(site.indicator(id: "home-care-weekly-cost")?.spc.rebaseAt == [.month(2024, 4), .month(2025, 4)])
        #expect(site.indicator(id: "emergency-admissions-65")?.spc == SPCSettings())
        #expect(site.progress == ProgressSettings(tolerance: 0.1, projectionPoints: 12, staleAfterPeriods: 3))
    }

    @Test(arguments: ["cambridge", "northumbria", "tower-hamlets"])
    func everyOtherSiteMarksTheStartOfItsService(_ id: String) throws {
        let site = try load(id)
        #expect(site.events.count == 1)
        for event in site.events {
            #expect(event.indicators.allSatisfy { site.indicator(id: $0) != nil })
        }
    }
}
