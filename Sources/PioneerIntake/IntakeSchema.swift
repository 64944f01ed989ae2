// The intake database's schema, as versioned migrations. Plain CREATE TABLE with standard
// types, and constraints doing the work (versions without gaps, idempotency by digest), so
// the same schema and the same queries run on PostgreSQL when several servers share one
// database (issue 14): no lock in a process could guarantee them there.
internal import GRDB

enum IntakeSchema {
    /// Every migration, in order, as (identifier, SQL for a database whose types are given).
    /// Never edit a released migration; add a new one.
    static let migrations: [(identifier: String, sql: @Sendable (_ types: ColumnTypes) -> String)] = [
        ("intake-v1", { version1(binary: $0.binary) }),
        (returnRows, version2),
        ("intake-v3-speed", version3),
        ("intake-v4-text", version4),
    ]

    /// The migration that adds the rows the aggregate reads; it also fills them in for the
    /// submissions already stored (``ReturnRows/backfill``), in the same transaction.
    static let returnRows = "intake-v2-return-rows"

    /// The column types the two databases spell differently.
    struct ColumnTypes: Sendable {
        var binary: String
        /// A binary64 floating-point number, kept bit for bit. SQLite's REAL affinity stores
        /// a real with no fraction as an integer, so -0.0 would come back as 0.0: a column
        /// with no declared type keeps the 8-byte value exactly as bound.
        var double: String
        /// After a table keyed by its primary key alone. SQLite otherwise keeps such a table
        /// twice, by rowid and in the key's index, and writes both for every row;
        /// PostgreSQL has no such option (its tables are heaps beside their indexes).
        var keyedTable: String

        /// Which database: the few statements without a common spelling (altering a table) differ.
        var isPostgres: Bool

        static let sqlite = ColumnTypes(binary: "BLOB", double: "", keyedTable: " WITHOUT ROWID", isPostgres: false)
        static let postgres = ColumnTypes(binary: "BYTEA", double: "DOUBLE PRECISION", keyedTable: "", isPostgres: true)
    }

    /// The tables the migrations make (besides the table recording them).
    static let tables = ["submission", "indicator_definition", "token"] + ReturnRows.tables.map(\.name)

    /// Why a database whose schema has steps this pioneer does not know is refused, naming them.
    static func newerSchemaMessage(_ unknown: [String]) -> String {
        let steps = unknown.count == 1 ? "a step \(unknown[0])" : "steps \(unknown.joined(separator: ", "))"
        return "it was written by a newer version of pioneer (its schema has \(steps) this version does not know); "
            + "upgrade pioneer to use it"
    }

    /// The migrations for SQLite, through GRDB's migrator (its `grdb_migrations` table).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql(.sqlite))
                if migration.identifier == returnRows {
                    try SQLiteIntakeBackend.backfillReturnRows(db)
                }
            }
        }
        return migrator
    }

    /// The rows of each accepted return that the national aggregate, status and history read
    /// with SQL, so they never decode stored bytes: the return's own facts, each indicator
    /// (its definition is joined from `indicator_definition`), each measure and each goal.
    /// Written in the same transaction as the submission; a rejected one has none.
    ///
    /// Every query reaches these rows from the counting submissions, through the primary
    /// keys' leading `submission`, so there is no other index: an index on (indicator,
    /// definition version) put each of a return's 150 rows on a different page and made
    /// the database's writes per submission several times larger.
    private static func version2(types: ColumnTypes) -> String {
        rowTables(types, foreignKeys: true)
    }

    /// The row tables without their foreign keys to `submission`. The rows are written only in
    /// their submission's own transaction, under its id, and nothing ever deletes a submission,
    /// so the keys guarded nothing the code does not; and on PostgreSQL their check, a query
    /// for every one of a return's 300 rows, was a third of the database's time a submission.
    /// PostgreSQL drops the constraints in place; SQLite cannot, so its tables are rebuilt.
    ///
    /// On PostgreSQL a return's bytes and summary are also compressed with LZ4 where the server
    /// has it (PostgreSQL 14 and later, built with it, as Debian's is): its default, pglz,
    /// took most of the time of inserting a submission. Rows already stored keep theirs.
    ///
    /// And the submissions get an index by period: the aggregate, status and history find a
    /// period's counting submissions through it, not by reading the whole table.
    private static func version3(types: ColumnTypes) -> String {
        let tables = ["return_fact", "return_indicator", "return_measure", "return_goal"]
        let periodIndex = "CREATE INDEX submission_period ON submission (period, status);\n"
        guard types.isPostgres else {
            return periodIndex + rowTables(types, foreignKeys: false, suffix: "_rebuilt") + tables.map { table in
                """

                INSERT INTO \(table)_rebuilt SELECT * FROM \(table);
                DROP TABLE \(table);
                ALTER TABLE \(table)_rebuilt RENAME TO \(table);
                """
            }.joined()
        }
        // One line for the DO block: the migration runner splits statements at a `;` ending a line.
        return periodIndex + tables.map { "ALTER TABLE \($0) DROP CONSTRAINT IF EXISTS \($0)_submission_fkey;\n" }.joined() + """
            DO $$ BEGIN ALTER TABLE submission ALTER COLUMN body SET COMPRESSION lz4, ALTER COLUMN summary SET COMPRESSION lz4; \
            EXCEPTION WHEN feature_not_supported OR syntax_error OR undefined_object THEN NULL; END $$;

            """
    }

    /// On PostgreSQL, every column holding a return's own text (a site, a period, an indicator,
    /// a goal, a definition version, the return's generatedAt) becomes TEXT: VARCHAR(200) and
    /// VARCHAR(64) refused a longer one that SQLite, which does not enforce the lengths, kept,
    /// and a submission refused by a column's length was answered 503 (send it again) for ever.
    /// VARCHAR to TEXT rewrites neither a table nor an index. SQLite has nothing to change.
    private static func version4(types: ColumnTypes) -> String {
        guard types.isPostgres else { return "" }
        let columns = [
            ("submission", ["site", "period"]),
            ("indicator_definition", ["indicator", "version"]),
            ("token", ["site"]),
            ("return_fact", ["generated_at"]),
            ("return_indicator", ["indicator", "definition_version"]),
            ("return_measure", ["period"]),
            ("return_goal", ["goal", "indicator", "status", "rag", "confidence", "agreement"]),
        ]
        return columns.map { table, names in
            "ALTER TABLE \(table) " + names.map { "ALTER COLUMN \($0) TYPE TEXT" }.joined(separator: ", ") + ";\n"
        }.joined()
    }

    /// The CREATE TABLE statements of the row tables, named with `suffix`.
    private static func rowTables(_ types: ColumnTypes, foreignKeys: Bool, suffix: String = "") -> String {
        let double = types.double, keyed = types.keyedTable
        let references = foreignKeys ? " REFERENCES submission (id)" : ""
        return """
                CREATE TABLE return_fact\(suffix) (
                    submission     VARCHAR(64) NOT NULL PRIMARY KEY\(references),
                    schema_version BIGINT NOT NULL,
                    -- The return's own generatedAt, as written.
                    generated_at   VARCHAR(64) NOT NULL,
                    complete       BOOLEAN NOT NULL
                )\(keyed);

                CREATE TABLE return_indicator\(suffix) (
                    submission         VARCHAR(64) NOT NULL\(references),
                    -- The indicator's place in the return, from 0: the aggregate lists
                    -- indicators in the order the returns give them.
                    position           BIGINT NOT NULL,
                    indicator          VARCHAR(200) NOT NULL,
                    definition_version VARCHAR(64) NOT NULL,
                    PRIMARY KEY (submission, position)
                )\(keyed);

                CREATE TABLE return_measure\(suffix) (
                    submission           VARCHAR(64) NOT NULL\(references),
                    indicator_position   BIGINT NOT NULL,
                    -- The measure's place among the indicator's measures, from 0.
                    position             BIGINT NOT NULL,
                    period               VARCHAR(64) NOT NULL,
                    value                \(double),
                    numerator            \(double),
                    denominator          \(double),
                    sample_size          BIGINT,
                    interval_lower       \(double),
                    interval_upper       \(double),
                    not_available        TEXT,
                    not_available_detail TEXT,
                    PRIMARY KEY (submission, indicator_position, position)
                )\(keyed);

                CREATE TABLE return_goal\(suffix) (
                    submission VARCHAR(64) NOT NULL\(references),
                    position   BIGINT NOT NULL,
                    goal       VARCHAR(200) NOT NULL,
                    indicator  VARCHAR(200) NOT NULL,
                    title      TEXT NOT NULL,
                    -- The computed status; NULL for a neutral indicator.
                    status     VARCHAR(32),
                    rag        VARCHAR(32),
                    confidence VARCHAR(32),
                    agreement  VARCHAR(32) NOT NULL,
                    PRIMARY KEY (submission, position)
                )\(keyed);
                """
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
