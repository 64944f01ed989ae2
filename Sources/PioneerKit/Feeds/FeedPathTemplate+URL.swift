// Building a request's URL from its path and query templates: the code the host fetches with and PluginHarness shows.
import Foundation

extension FeedPathTemplate {
    /// Why a request's templates give no URL. Templates are carried unredacted: the
    /// caller words the message and strips any secrets from them.
    public enum Failure: Error, Sendable, Equatable {
        /// An unclosed `{` or an empty `{}` (`problem` says which) in `template`.
        case malformed(problem: String, template: String)
        /// Placeholders the host does not know, without braces, in order of appearance.
        case unknownPlaceholders([String])
        /// The filled-in path climbs out of `base` with `..`; `resolved` is what it would request.
        case climbsOutOfBase(url: String, resolved: String)
    }

    /// The URL of `path` and `query` under `base` with the placeholders filled in from
    /// `values` (see ``values(for:)``).
    ///
    /// Placeholder values are percent-encoded (only `A–Z a–z 0–9 - . _ ~` stay as they
    /// are), so `{period}` of `FY2026-27 Q1` becomes `FY2026-27%20Q1` and `{period.adx}`
    /// becomes `2026-04-01%2FP3M`. Query parameters are appended sorted by name. `.` and
    /// `..` segments are resolved (as libcurl would before sending), so the URL returned
    /// is the one the server receives. `base` is used as given: checking its scheme is
    /// the caller's job.
    public static func url(base: String, path: String, query: [String: String],
                           values: [String: String]) throws(Failure) -> String {
        var unknown: [String] = []
        let expandedPath = try expand(path, values: values, unknown: &unknown, literal: encodeLiteral)
        var pairs: [String] = []
        for (key, value) in query.sorted(by: { $0.key < $1.key }) {
            let expanded = try expand(value, values: values, unknown: &unknown, literal: percentEncode)
            pairs.append(percentEncode(Substring(key)) + "=" + expanded)
        }
        guard unknown.isEmpty else { throw .unknownPlaceholders(unknown) }
        var url = join(base, expandedPath)
        if !pairs.isEmpty {
            url += (url.contains("?") ? "&" : "?") + pairs.joined(separator: "&")
        }
        // Checked after the placeholders are filled in: the template passed validation,
        // but a plugin may build its path from anything.
        guard !climbsOutOfBase(expandedPath) else {
            throw .climbsOutOfBase(url: url, resolved: removingDotSegments(url))
        }
        return removingDotSegments(url)
    }

    /// `base` and `path` with exactly one slash between them.
    package static func join(_ base: String, _ path: String) -> String {
        var base = Substring(base.trimmingWhitespaceFast())
        while base.hasSuffix("/") { base = base.dropLast() }
        var path = Substring(path.trimmingWhitespaceFast())
        while path.hasPrefix("/") { path = path.dropFirst() }
        if path.isEmpty { return String(base) }
        if path.hasPrefix("?") || path.hasPrefix("#") { return String(base + path) }
        return String(base + "/" + path)
    }

    /// `url` with its path's `.` and `..` segments resolved as RFC 3986 (section 5.2.4) says,
    /// which is what libcurl does before sending. Encoded dots (`%2e`) are left alone.
    package static func removingDotSegments(_ url: String) -> String {
        // Every dot segment follows a slash: most URLs have no `/.` anywhere and are done here.
        guard hasSlashDot(url), let schemeEnd = url.range(of: "://") else { return url }
        let afterAuthority = url[schemeEnd.upperBound...].firstIndex(where: { "/?#".contains($0) }) ?? url.endIndex
        let pathEnd = url[afterAuthority...].firstIndex(where: { "?#".contains($0) }) ?? url.endIndex
        let path = url[afterAuthority..<pathEnd]
        guard path.contains("/.") else { return url }
        var output: [Substring] = []
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            switch segment {
            case ".":
                if last { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            default:
                output.append(segment)
            }
        }
        return url[..<afterAuthority] + "/" + output.joined(separator: "/") + url[pathEnd...]
    }

    /// Whether `/.` occurs in `url`.
    private static func hasSlashDot(_ url: String) -> Bool {
        var previous: UInt8 = 0
        for byte in url.utf8 {
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: "/") { return true }
            previous = byte
        }
        return false
    }

    /// What is wrong with the braces of `template`, `unclosed {` or `empty {}`, or nil when nothing is.
    package static func braceProblem(in template: String) -> String? {
        var unknown: [String] = []
        do {
            _ = try expand(template, values: [:], unknown: &unknown) { String($0) }
            return nil
        } catch {
            if case .malformed(let problem, _) = error { return problem }
            return nil
        }
    }

    /// Fills `{name}` placeholders with percent-encoded values and passes the text between
    /// them through `literal`. Unknown names are collected in `unknown`; an unclosed or
    /// empty brace throws.
    private static func expand(_ template: String, values: [String: String], unknown: inout [String],
                               literal: (Substring) -> String) throws(Failure) -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += literal(rest[..<open])
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else {
                throw .malformed(problem: "unclosed {", template: template)
            }
            let name = rest[afterOpen..<close].trimmingWhitespaceFast()
            guard !name.isEmpty else { throw .malformed(problem: "empty {}", template: template) }
            if let value = values[name] {
                output += percentEncode(Substring(value))
            } else if !unknown.contains(name) {
                unknown.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        output += literal(rest)
        return output
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    private static func percentEncode(_ text: Substring) -> String {
        encode(text) { isUnreserved($0) }
    }

    /// Encodes only what may never appear raw in a URL (space, controls, quotes, non-ASCII),
    /// keeping `/ ? & = % :` and the other delimiters the template author wrote in a path.
    private static func encodeLiteral(_ text: Substring) -> String {
        encode(text) { isUnreserved($0) || allowedLiteral.contains($0) }
    }

    /// `text` with every byte that `keep` refuses written as `%XX`.
    private static func encode(_ text: Substring, keep: (UInt8) -> Bool) -> String {
        if text.utf8.allSatisfy(keep) { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if keep(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static let allowedLiteral = Set(":/?#[]@!$&'()*+,;=%".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
