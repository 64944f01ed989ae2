// One way for a test to get a scratch folder (for a store, a site, a file body) that is
// removed whatever the test does, after GRDB's test case base, which owns its databases' folders.
public import Foundation

/// Creates a fresh folder under the temporary directory, calls `body` with it, then removes it,
/// whether `body` returns or throws.
///
/// ```swift
/// try withTemporaryFolder { folder in
///     let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
///     // ...
/// }
/// ```
public func withTemporaryFolder<T>(
    prefix: String = "pioneer-test", _ body: (_ folder: URL) throws -> T
) throws -> T {
    let folder = try makeTemporaryFolder(prefix: prefix)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// The same for a body that awaits.
public func withTemporaryFolder<T>(
    prefix: String = "pioneer-test", _ body: (_ folder: URL) async throws -> T
) async throws -> T {
    let folder = try makeTemporaryFolder(prefix: prefix)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder)
}

private func makeTemporaryFolder(prefix: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
