// A site for the collect suites: `count` monthly json indicators on one feed, each on a path of
// its own, so a test can serve many feeds from one loopback server.
import Foundation

enum ManyIndicatorsSite {
    /// A site `id` with `count` monthly json indicators on `baseURL`, each on its own path.
    static func yaml(_ id: String, baseURL: String, count: Int) -> String {
        var yaml = """
        site:
          id: \(id)
          name: \(id.capitalized)
          region: Test
          wave: Many sites
          focus: [scale]
        feeds:
          bi:
            base_url: \(baseURL)
            retries: 0
            timeout: 120
        indicators:

        """
        for index in 1...count {
            yaml += """
              - id: \(id)-\(index)
                name: \(id.capitalized) \(index)
                kind: process
                value_type: count
                unit: items
                period: month
                better: higher
                plugin: json
                config: { feed: bi, path: "/\(id)/\(index)?month={period}", select: $.value }

            """
        }
        return yaml
    }
}
