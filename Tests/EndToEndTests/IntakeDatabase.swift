// The intake database an end-to-end test gives `pioneer serve --db`: a SQLite file in the
// test's folder, or a fresh database on the tests' PostgreSQL cluster, so the same test runs
// the real binary against both stores.
import Foundation
import PioneerIntake
import PioneerTesting

/// A new, empty intake database of `kind`: its `--db` value.
func intakeDatabase(_ kind: IntakeStore.Kind, in folder: URL) async throws -> String {
    switch kind {
    case .sqlite: folder.appendingPathComponent("intake.sqlite").path
    case .postgres: try await PostgresCluster.shared().createDatabase()
    }
}
