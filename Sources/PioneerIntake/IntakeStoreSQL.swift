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
}
