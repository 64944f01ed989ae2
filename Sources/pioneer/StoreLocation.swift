// Where a command that reads stored measures finds its site's store: the site's own
// <site dir>/.pioneer/store.sqlite, a file (--store), or a folder of <site-id>.sqlite files
// (--store-dir, as `pioneer demo --store-dir` and `collect --store-dir` write them).
import ArgumentParser
import Foundation
import PioneerStore

struct StoreLocation: ParsableArguments {
    @Option(help: ArgumentHelp("The store file, instead of <site dir>/.pioneer/store.sqlite.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("A folder of <site-id>.sqlite stores, as `pioneer demo --store-dir` writes.", valueName: "dir"))
    var storeDir: String?

    func validate() throws {
        if let store, store.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--store needs a path") }
        if let storeDir, storeDir.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--store-dir needs a folder") }
        if store != nil, storeDir != nil {
            throw ValidationError("give --store (one file) or --store-dir (a folder of <site-id>.sqlite files), not both")
        }
    }

    /// The store file for a site.
    func path(siteID: String, siteDirectory: String) -> String {
        if let store { return store }
        if let storeDir { return URL(fileURLWithPath: storeDir).appendingPathComponent("\(siteID).sqlite").path }
        return MeasureStore.defaultPath(siteDirectory: siteDirectory)
    }

    /// The store file for a site, or a message naming the missing file and how to fill it.
    func existingPath(siteID: String, siteDirectory: String, argument: String, holds: String) throws(StoreLocationError) -> String {
        let path = path(siteID: siteID, siteDirectory: siteDirectory)
        guard FileManager.default.fileExists(atPath: path) else {
            if let storeDir {
                throw StoreLocationError(description: "measure store \(path): no \(holds) for site `\(siteID)` in --store-dir \(storeDir) (the file does not exist); `pioneer demo --store-dir \(storeDir)` or `pioneer collect \(argument) --store \(path) --period …` writes it")
            }
            throw StoreLocationError(description: "measure store \(path): no \(holds) yet (the file does not exist); run `pioneer collect \(argument) --period …` first")
        }
        return path
    }
}

struct StoreLocationError: Error, CustomStringConvertible {
    var description: String
}
