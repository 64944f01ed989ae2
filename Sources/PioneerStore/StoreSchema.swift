// The store's schema, as named migrations: a store written by any earlier
// version of pioneer is brought up to date when it is opened.
internal import GRDB

enum StoreSchema {
    /// Migrations a reader can do without: they add what a reader treats as absent (a column
    /// read as NULL), so a store that `pioneer collect` has not yet brought up to date after
    /// an upgrade still reads.
    static let notNeededByReaders: Set<String> = ["run-planned", "feed-cache-by-site", "run-process-start",
                                                  "run-site-folder"]

    /// Every migration, in order. Never edit a released migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE collection_run (
                    id            INTEGER PRIMARY KEY AUTOINCREMENT,
                    site          TEXT NOT NULL,
                    started_at    DATETIME NOT NULL,
                    finished_at   DATETIME,
                    -- running | finished | interrupted
                    status        TEXT NOT NULL,
                    command       TEXT NOT NULL,
                    periods       TEXT NOT NULL,
                    pid           INTEGER,
                    collected     INTEGER NOT NULL DEFAULT 0,
                    unchanged     INTEGER NOT NULL DEFAULT 0,
                    failed        INTEGER NOT NULL DEFAULT 0,
                    not_available INTEGER NOT NULL DEFAULT 0,
                    skipped       INTEGER NOT NULL DEFAULT 0
                );

                CREATE TABLE measure (
                    id               INTEGER PRIMARY KEY AUTOINCREMENT,
                    site             TEXT NOT NULL,
                    indicator        TEXT NOT NULL,
                    period_type      TEXT NOT NULL,
                    period_index     INTEGER NOT NULL,
                    period_label     TEXT NOT NULL,
                    period_start     TEXT NOT NULL,
                    period_end       TEXT NOT NULL,
                    value            REAL,
                    numerator        REAL,
                    denominator      REAL,
                    sample_size      INTEGER,
                    interval_lower   REAL,
                    interval_upper   REAL,
                    interval_level   REAL,
                    interval_method  TEXT,
                    na_reason        TEXT,
                    na_detail        TEXT,
                    plugin           TEXT NOT NULL,
                    provenance       TEXT NOT NULL,
                    run_id           INTEGER NOT NULL REFERENCES collection_run(id),
                    confirmed_run_id INTEGER NOT NULL REFERENCES collection_run(id),
                    confirmed_at     DATETIME NOT NULL,
                    is_current       BOOLEAN NOT NULL,
                    superseded_by    INTEGER REFERENCES measure(id),
                    recorded_at      DATETIME NOT NULL,
                    CHECK ((value IS NULL) <> (na_reason IS NULL))
                );
                -- At most one current row per indicator and period.
                CREATE UNIQUE INDEX measure_current
                    ON measure(site, indicator, period_type, period_index) WHERE is_current;
                CREATE INDEX measure_history
                    ON measure(site, indicator, period_type, period_index, id);

                CREATE TABLE run_outcome (
                    run_id       INTEGER NOT NULL REFERENCES collection_run(id),
                    indicator    TEXT NOT NULL,
                    period_label TEXT NOT NULL,
                    -- collected | unchanged | not-available | failed | skipped
                    outcome      TEXT NOT NULL,
                    reason       TEXT,
                    measure_id   INTEGER REFERENCES measure(id),
                    PRIMARY KEY (run_id, indicator, period_label)
                );

                CREATE TABLE feed_cache (
                    feed          TEXT NOT NULL,
                    url           TEXT NOT NULL,
                    etag          TEXT,
                    last_modified TEXT,
                    status        INTEGER NOT NULL,
                    content_hash  TEXT NOT NULL,
                    body          BLOB NOT NULL,
                    fetched_at    DATETIME NOT NULL,
                    PRIMARY KEY (feed, url)
                );
                """)
        }
        // Large cached bodies live in files beside the store (MeasureStore.bodyFolder); the
        // row names the file and keeps an empty `body`.
        migrator.registerMigration("feed-cache-body-files") { db in
            try db.execute(sql: "ALTER TABLE feed_cache ADD COLUMN body_file TEXT")
        }
        // How many indicator-periods a run set out to record, so a killed run shows what it
        // never reached (NULL for runs recorded before this column).
        migrator.registerMigration("run-planned") { db in
            try db.execute(sql: "ALTER TABLE collection_run ADD COLUMN planned INTEGER")
        }
        // The cache is keyed by site and feed (`torbay/bi`), no longer by the feed's name alone,
        // which two sites sharing a store could both use: the old entries are dropped (the next
        // fetch of each URL is unconditional) and their files go with the next tidy.
        migrator.registerMigration("feed-cache-by-site") { db in
            try db.execute(sql: "DELETE FROM feed_cache WHERE instr(feed, '/') = 0")
        }
        // When a run's process started, beside its id: a killed run whose id a later process
        // was given (a container's entrypoint is always process 1) is still found interrupted.
        migrator.registerMigration("run-process-start") { db in
            try db.execute(sql: "ALTER TABLE collection_run ADD COLUMN process_start INTEGER")
        }
        // The folder each run's site was read from (its real path), so a second folder declaring
        // the same site id is refused rather than mixing its measures with the first's (NULL for
        // runs recorded before this column, and for runs not started from a folder).
        migrator.registerMigration("run-site-folder") { db in
            try db.execute(sql: "ALTER TABLE collection_run ADD COLUMN site_folder TEXT")
        }
        return migrator
    }
}
