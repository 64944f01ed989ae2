// The intake database's schema, as versioned migrations. Plain CREATE TABLE with standard
// types, and constraints doing the work (versions without gaps, idempotency by digest), so
// the same schema and the same queries run on PostgreSQL when several servers share one
// database (issue 14): no lock in a process could guarantee them there.
internal import GRDB

enum IntakeSchema {
    /// Every migration, in order, as (identifier, SQL for a database whose binary type is
    /// given): SQLite's BLOB, PostgreSQL's BYTEA. Never edit a released migration; add a new one.
    static let migrations: [(identifier: String, sql: @Sendable (_ binary: String) -> String)] = [
        ("intake-v1", version1),
    ]

    /// The migrations for SQLite, through GRDB's migrator (its `grdb_migrations` table).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql("BLOB"))
            }
        }
        return migrator
    }

    private static func version1(binary: String) -> String {
        """
                CREATE TABLE submission (
                    id          VARCHAR(64) NOT NULL PRIMARY KEY,
                    -- NULL when the bytes could not be read and no site token sent them.
                    site        VARCHAR(200),
                    -- NULL for bytes that are not a readable return, and for a return a
                    -- site token may not send: neither takes a version.
                    period      VARCHAR(64),
                    version     INTEGER,
                    format      VARCHAR(16) NOT NULL,
                    -- sha256:<hex> of the bytes as received.
                    digest      VARCHAR(80) NOT NULL,
                    size        INTEGER NOT NULL,
                    -- ISO 8601 UTC with milliseconds, by the server's clock.
                    received_at VARCHAR(32) NOT NULL,
                    status      VARCHAR(32) NOT NULL,
                    late        BOOLEAN NOT NULL,
                    -- The import summary answered, as JSON.
                    summary     TEXT NOT NULL,
                    body        \(binary) NOT NULL,
                    CHECK ((period IS NULL) = (version IS NULL)),
                    CHECK (version IS NULL OR version >= 1),
                    CHECK (status IN ('accepted', 'accepted-with-warnings', 'rejected')),
                    -- A version number is taken once per site and period...
                    UNIQUE (site, period, version),
                    -- ...and the same bytes for a site and period are one version.
                    UNIQUE (site, period, digest)
                );
                CREATE INDEX submission_by_period ON submission (period, site, status, version);
                CREATE INDEX submission_by_received ON submission (received_at);

                -- The indicator definitions accepted JSON returns carry, by id and definition
                -- version: an ADX submission names only the pair, and is read with these.
                CREATE TABLE indicator_definition (
                    indicator  VARCHAR(200) NOT NULL,
                    version    VARCHAR(64) NOT NULL,
                    -- The definition without measures, as JSON.
                    definition TEXT NOT NULL,
                    PRIMARY KEY (indicator, version)
                );

                CREATE TABLE token (
                    id         VARCHAR(32) NOT NULL PRIMARY KEY,
                    role       VARCHAR(16) NOT NULL,
                    site       VARCHAR(200),
                    -- Lowercase hex SHA-256 of the token; the token itself is never stored.
                    hash       VARCHAR(64) NOT NULL UNIQUE,
                    created_at VARCHAR(32) NOT NULL,
                    revoked_at VARCHAR(32),
                    CHECK (role IN ('site', 'office')),
                    CHECK ((role = 'site') = (site IS NOT NULL))
                );
                """
    }
}
