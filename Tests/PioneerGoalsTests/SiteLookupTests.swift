// A site's indicators looked up by id: the lookup is an index kept beside the list, so it
// must follow the list when the list changes, and find the first of two with one id.
import PioneerCore
import PioneerKit
import Testing

@Suite("Site indicator lookup")
struct SiteLookupTests {
    @Test func findsEachIndicatorOfALargeSiteByID() {
        let site = GoalFixture.site((1...2000).map { GoalFixture.indicator("feed-\($0)", .count) })
        #expect(site.indicator(id: "feed-1")?.definition.id == "feed-1")
        #expect(site.indicator(id: "feed-1234")?.definition.id == "feed-1234")
        #expect(site.indicator(id: "feed-2001") == nil)
    }

    @Test func followsTheListWhenItChanges() {
        var site = GoalFixture.site([GoalFixture.indicator("a", .count), GoalFixture.indicator("b", .rate)])
        site.indicators.removeFirst()
        #expect(site.indicator(id: "a") == nil)
        #expect(site.indicator(id: "b")?.definition.valueType == .rate)
        site.indicators.append(GoalFixture.indicator("c", .proportion))
        #expect(site.indicator(id: "c")?.definition.valueType == .proportion)
        site.indicators[0] = GoalFixture.indicator("d", .count)
        #expect(site.indicator(id: "b") == nil)
        #expect(site.indicator(id: "d") != nil)
    }

    @Test func aRepeatedIDFindsTheFirst() {
        let site = GoalFixture.site([GoalFixture.indicator("a", .count), GoalFixture.indicator("a", .rate)])
        #expect(site.indicator(id: "a")?.definition.valueType == .count)
    }
}
