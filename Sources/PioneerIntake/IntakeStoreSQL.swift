// The intake store's queries that SQLite and PostgreSQL share word for word, apart from the
// placeholder each writes (`?` or `$1`): one text, so the two stores cannot drift apart.
enum IntakeSQL {
    /// The statuses whose versions can count.
    static let countingStatuses = "('accepted', 'accepted-with-warnings')"

    /// The columns of a record; `counts` is worked out in the query, so no stored flag can go stale.
    static let recordColumns = """
        SELECT s.id, s.site, s.period, s.version, s.format, s.digest, s.size, s.received_at, s.status, s.late, s.summary,
               CASE WHEN s.status IN \(countingStatuses)
                         AND s.version = (SELECT MAX(c.version) FROM submission c
                                          WHERE c.site = s.site AND c.period = s.period AND c.status IN \(countingStatuses))
                    THEN 1 ELSE 0 END AS counts
        """

    /// Every version, oldest first, under `conditions` (already holding their placeholders).
    static func listing(_ conditions: [String]) -> String {
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return "\(recordColumns) FROM submission s \(filter) ORDER BY s.received_at, s.site, s.period, s.version, s.id"
    }

    /// For each site, the latest accepted version for the period in `placeholder`, with its bytes.
    static func counting(placeholder: String) -> String {
        """
        \(recordColumns), s.body FROM submission s
        WHERE s.period = \(placeholder) AND s.status IN \(countingStatuses)
          AND s.version = (SELECT MAX(c.version) FROM submission c
                           WHERE c.site = s.site AND c.period = s.period AND c.status IN \(countingStatuses))
        ORDER BY s.site
        """
    }

    /// Keeps a definition unless its (indicator, version) is stored: indicator, version,
    /// definition, then indicator and version again.
    static func insertDefinition(placeholders p: [String]) -> String {
        """
        INSERT INTO indicator_definition (indicator, version, definition)
        SELECT \(p[0]), \(p[1]), \(p[2]) WHERE NOT EXISTS
            (SELECT 1 FROM indicator_definition WHERE indicator = \(p[3]) AND version = \(p[4]))
        """
    }

    // MARK: The aggregate's rows

    // Each query below names the period once as placeholder `p` (`?1` or `$1`), used twice
    // where needed. `counting` picks, in SQL, the latest accepted version of each site.

    private static func counting(_ p: String) -> String {
        """
        WITH counting AS (
            SELECT s.id, s.site, s.version, s.format, s.received_at FROM submission s
            WHERE s.period = \(p) AND s.status IN \(countingStatuses)
              AND s.version = (SELECT MAX(c.version) FROM submission c
                               WHERE c.site = s.site AND c.period = s.period AND c.status IN \(countingStatuses))
        )
        """
    }

    /// The submission that counts for each site, with its return's facts (NULL when it has no
    /// rows, which only a database changed outside pioneer can hold), in site order.
    static func countingSites(_ p: String) -> String {
        """
        \(counting(p))
        SELECT c.id, c.site, c.version, c.format, c.received_at, f.schema_version, f.generated_at, f.complete
        FROM counting c LEFT JOIN return_fact f ON f.submission = c.id
        ORDER BY c.site
        """
    }

    /// The goals of the counting returns, each site's in its return's order.
    static func countingGoals(_ p: String) -> String {
        """
        \(counting(p))
        SELECT c.site, g.goal, g.indicator, g.title, g.status, g.rag, g.confidence, g.agreement
        FROM counting c JOIN return_goal g ON g.submission = c.id
        ORDER BY c.site, g.position
        """
    }

    /// Every indicator of the counting returns with its measures (only those for the period
    /// itself unless `allPeriods`; NULL measure columns for an indicator with none), site by
    /// site in each return's order: sorting by indicator and definition here (text keys, in
    /// the database) took a third of the query's time, and the reader groups them itself.
    static func countingMeasures(_ p: String, allPeriods: Bool) -> String {
        """
        \(counting(p))
        SELECT c.site, i.position AS indicator_position, i.indicator, i.definition_version,
               m.period, m.value, m.numerator, m.denominator, m.sample_size, m.interval_lower, m.interval_upper,
               m.not_available, m.not_available_detail
        FROM counting c
        JOIN return_indicator i ON i.submission = c.id
        LEFT JOIN return_measure m ON m.submission = i.submission AND m.indicator_position = i.position\(allPeriods ? "" : " AND m.period = \(p)")
        ORDER BY c.site, i.position, m.position
        """
    }

    /// The accepted submissions whose rows the return-rows migration writes, one at a time.
    static let submissionsToBackfill = """
        SELECT id, format FROM submission
        WHERE period IS NOT NULL AND status IN \(countingStatuses)
          AND id NOT IN (SELECT submission FROM return_fact)
        ORDER BY id
        """
}
