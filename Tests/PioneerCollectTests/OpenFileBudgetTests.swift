import PioneerCollect
import PioneerCore
import Testing

@Suite("Open-file budget")
struct OpenFileBudgetTests {
    @Test func aUsualLimitKeepsEveryStoreAndTheFetchesAskedFor() {
        let budget = OpenFileBudget.plan(stores: 200, maxParallel: 16, open: 12, limit: 65_536)
        #expect(budget == OpenFileBudget(fetchesAtOnce: 16, storesAtOnce: 200))
    }

    @Test func storesBeyondTheLimitWaitForLaterTurns() throws {
        // 100 - 12 open - 40 margin = 48 files: 8 fetches take 24, leaving 4 stores of 6.
        let budget = try #require(OpenFileBudget.plan(stores: 40, maxParallel: 8, open: 12, limit: 100))
        #expect(budget == OpenFileBudget(fetchesAtOnce: 8, storesAtOnce: 4))
    }

    @Test func fetchesGiveWaySoThatAStoreStillFits() throws {
        // 1,024 - 24 - 40 = 960 files: fetches keep at most half (160 of the 1,000 asked).
        let many = try #require(OpenFileBudget.plan(stores: 500, maxParallel: 1_000, open: 24, limit: 1_024))
        #expect(many == OpenFileBudget(fetchesAtOnce: 160, storesAtOnce: 80))
        // Just enough room for one store and one fetch.
        let least = OpenFileBudget.leastLimit(open: 12)
        let tight = try #require(OpenFileBudget.plan(stores: 3, maxParallel: 8, open: 12, limit: least))
        #expect(tight == OpenFileBudget(fetchesAtOnce: 1, storesAtOnce: 1))
    }

    @Test func aLimitWithoutRoomForOneStoreAndOneFetchGivesNoPlan() {
        let least = OpenFileBudget.leastLimit(open: 12)
        #expect(OpenFileBudget.plan(stores: 1, maxParallel: 1, open: 12, limit: least - 1) == nil)
        #expect(OpenFileBudget.plan(stores: 1, maxParallel: 1, open: 12, limit: 30) == nil)
    }

    @Test func thisProcessReadsItsOwnOpenFilesAndLimit() throws {
        let current = try #require(OpenFiles.current())
        #expect(current.open >= 3)
        #expect(current.limit > current.open)
    }
}
