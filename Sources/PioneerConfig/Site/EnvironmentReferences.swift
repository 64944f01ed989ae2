// `${VAR}` references in configuration values: finding them, checking their form,
// and checking that the variables are set, without ever printing a secret's value.
import Foundation
import PioneerCore
import PioneerKit

/// Reads and checks `${VAR}` environment references.
struct EnvironmentReferences {
    let environment: [String: String]
    /// Whether an unset variable is an error rather than a warning (see ``SiteLoader/requireSecrets``).
    let requireSecrets: Bool
    let issues: IssueCollector

    /// The variable names referenced in `text`, reporting malformed references at `node`.
    ///
    /// Returns nil when any reference is malformed.
    func variables(in text: String, at node: ConfigNode) -> [String]? {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                issues.error("malformed environment reference: `${` is not closed with `}`; write `${VARIABLE_NAME}`", at: node)
                return nil
            }
            let name = String(afterOpen[..<close])
            guard Self.isVariableName(name) else {
                let shown = name.isEmpty ? "`${}` names no variable" : "`${\(name)}` is not a valid variable name"
                issues.error("malformed environment reference: \(shown); use letters, digits and underscores, not starting with a digit", at: node)
                return nil
            }
            names.append(name)
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return names
    }

    /// A secret that must be written exactly `${VAR}`: never a literal.
    ///
    /// The literal is never repeated in the message, so a pasted password does not end
    /// up in a terminal scrollback or a CI log.
    func secret(_ node: ConfigNode, what: String) -> SecretReference? {
        guard let text = node.scalar else {
            issues.error("expected `${VARIABLE}` naming the environment variable that holds the \(what), found \(node.kindDescription)", at: node)
            return nil
        }
        let trimmed = text.trimmingWhitespace()
        if trimmed.contains("${"), variables(in: trimmed, at: node) == nil { return nil }
        guard trimmed.hasPrefix("${"), trimmed.hasSuffix("}") else {
            var message = "the \(what) must come from an environment variable, written `${VARIABLE}`; a literal secret in site.yaml would end up in version control"
            if trimmed.hasPrefix("$"), Self.isVariableName(String(trimmed.dropFirst())) {
                message += " (write `${\(trimmed.dropFirst())}` with braces)"
            }
            issues.error(message, at: node)
            return nil
        }
        guard let names = variables(in: trimmed, at: node) else { return nil }
        guard names.count == 1 else {
            issues.error("the \(what) must be exactly one `${VARIABLE}` reference, with nothing around it", at: node)
            return nil
        }
        let reference = SecretReference(variable: names[0], location: node.location)
        checkSet(names, at: node)
        return reference
    }

    /// Reports variables that are unset or empty: a warning, or an error when secrets are required.
    /// `user` names what needs the variable in the warning: "this feed", "this plugin".
    func checkSet(_ names: [String], at node: ConfigNode, user: String = "this feed") {
        for name in names where (environment[name] ?? "").isEmpty {
            let state = environment[name] == nil ? "is not set" : "is empty"
            if requireSecrets {
                issues.error("environment variable `\(name)` \(state); set it before collecting", at: node)
            } else {
                issues.warning("environment variable `\(name)` \(state); collect will fail for \(user) until it is set", at: node)
            }
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
