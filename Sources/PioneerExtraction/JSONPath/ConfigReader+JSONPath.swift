// Reading a JSONPath setting, parsed and checked when the site is loaded.
public import PioneerKit

extension ConfigReader {
    /// The JSONPath at `key`, parsed; a parse error is reported at the value with its character position.
    public func jsonPath(_ key: String, required: Bool = false) -> JSONPath? {
        guard let text = string(key, required: required), let node = node[key] else { return nil }
        do {
            let path = try JSONPath(parsing: text)
            for problem in path.patternProblems { issues.warning(problem, at: node) }
            return path
        } catch {
            issues.error(error.description, at: node)
            return nil
        }
    }
}
