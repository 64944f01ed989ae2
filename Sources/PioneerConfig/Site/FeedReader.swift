// Reads a site's `feeds:` section: how to reach each local system over HTTP, with
// every limit, secret, certificate and URL checked before a request is ever made.
import Foundation
import PioneerCore
import PioneerKit

/// Reads `feeds:` into ``FeedDefinition``s, reporting every problem.
struct FeedReader {
    /// The site's directory, against which relative certificate paths resolve.
    let directory: String
    let references: EnvironmentReferences
    let issues: IssueCollector

    enum AuthType: String, CaseIterable {
        case none, bearer, basic, ntlm, negotiate
    }

    /// The largest `max_body` accepted.
    static let maximumBodyLimit = 4 * 1024 * 1024 * 1024

    /// Headers whose values are credentials, so a literal value is a leaked secret.
    static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token",
    ]

    func read(_ node: ConfigNode) -> [FeedDefinition] {
        guard let entries = node.entries else {
            if !node.isNull {
                issues.error("expected a mapping of feed names to feed definitions, found \(node.kindDescription)", at: node)
            }
            return []
        }
        var feeds: [FeedDefinition] = []
        for entry in entries {
            if !SiteIdentifier.isFeedName(entry.key) {
                issues.add(ConfigIssue(.error, at: entry.keyLocation, path: entry.value.path,
                                       "feed name `\(entry.key.escapingControlCharacters())` may use only lowercase letters, digits, `_` and `-`"))
            }
            if let feed = readFeed(named: entry.key, entry.value, keyLocation: entry.keyLocation) {
                feeds.append(feed)
            }
        }
        return feeds
    }

    private func readFeed(named name: String, _ node: ConfigNode, keyLocation: SourceLocation) -> FeedDefinition? {
        let reader = ConfigReader(node, issues: issues)
        if node.isNull {
            issues.add(ConfigIssue(.error, at: keyLocation, path: node.path, "feed `\(name)` needs at least `base_url`"))
        }
        let errorsBefore = issues.issues.count(where: { $0.severity == .error })
        let baseURL = reader.node("base_url", required: !node.isNull).flatMap(readBaseURL)
        let auth = reader.section("auth").map(readAuth) ?? FeedAuth.none
        let tls = reader.section("tls").map { readTLS($0, host: baseURL.flatMap { URLComponents(string: $0)?.host }) } ?? FeedTLS()
        let proxy = reader.node("proxy").flatMap(readProxy)
        let connectTimeout = seconds(reader, "connect_timeout", default: 10)
        let timeout = seconds(reader, "timeout", default: 60)
        let retries = wholeNumber(reader, "retries", default: 2, range: 0...10)
        let backoff = backoffSeconds(reader)
        let maxBody = reader.node("max_body").flatMap(readSize) ?? FeedDefinition.defaultMaxBodyBytes
        let maxRedirects = wholeNumber(reader, "max_redirects", default: 5, range: 0...20)
        let headers = reader.node("headers").flatMap(readHeaders) ?? [:]
        reader.finish()

        if connectTimeout > timeout, let node = node["connect_timeout"] {
            issues.warning("connect_timeout (\(formatSeconds(connectTimeout))) is longer than timeout (\(formatSeconds(timeout))), which limits the whole transfer", at: node)
        }
        // Credentials over plain http to another machine can be read by anyone on the way.
        if let baseURL, let url = URLComponents(string: baseURL), url.scheme?.lowercased() == "http",
           let host = url.host, !Self.isLoopback(host), let node = node["base_url"] {
            var sent: [String] = []
            if auth != .none { sent.append("its \(auth.scheme) credentials") }
            let secretHeaders = headers.keys.filter { headers[$0]?.contains("${") == true }.sorted()
            if !secretHeaders.isEmpty { sent.append("header \(secretHeaders.map { "`\($0)`" }.joined(separator: ", "))") }
            if !sent.isEmpty {
                issues.warning("\(sent.joined(separator: " and ")) would go to `\(host)` over plain http, where anyone on the network path can read them; use https", at: node)
            }
        }
        // A proxy's login over plain http to another machine is as readable on the way.
        if let proxy, let schemeEnd = proxy.range(of: "://"), proxy.lowercased().hasPrefix("http://"),
           let at = proxy[schemeEnd.upperBound...].lastIndex(of: "@"), let node = node["proxy"] {
            let host = proxy[proxy.index(after: at)...].prefix { $0 != ":" && $0 != "/" }
            if !Self.isLoopback(String(host)) {
                issues.warning("the proxy's login would go to `\(host)` over plain http, where anyone on the network path can read it; use an https:// proxy URL", at: node)
            }
        }
        let errorsAfter = issues.issues.count(where: { $0.severity == .error })
        guard let baseURL, errorsAfter == errorsBefore else { return nil }
        return FeedDefinition(
            name: name, baseURL: baseURL, auth: auth, tls: tls, proxy: proxy,
            connectTimeout: connectTimeout, timeout: timeout,
            retry: RetryPolicy(retries: retries, backoff: backoff),
            headers: headers, maxBodyBytes: maxBody, maxRedirects: maxRedirects, location: node.location)
    }

    // MARK: URLs

    private func readBaseURL(_ node: ConfigNode) -> String? {
        guard let text = node.scalar?.trimmingWhitespace() else {
            issues.error("expected an http or https URL, found \(node.kindDescription)", at: node)
            return nil
        }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            issues.error("`\(text)` is not an http or https URL; write e.g. `https://bi.example.nhs.uk/api`", at: node)
            return nil
        }
        guard let host = url.host, !host.isEmpty else {
            issues.error("`\(text)` names no host; write e.g. `https://bi.example.nhs.uk/api`", at: node)
            return nil
        }
        if url.user != nil || url.password != nil {
            issues.error("base_url must not carry a user name or password; use `auth:` with `${VARIABLE}` references", at: node)
            return nil
        }
        if url.query != nil {
            issues.error("base_url must not carry a query (`?…`); put query parameters in each indicator's path", at: node)
            return nil
        }
        return text
    }

    private func readProxy(_ node: ConfigNode) -> String? {
        guard let text = node.scalar?.trimmingWhitespace() else {
            issues.error("expected a proxy URL such as `http://proxy.example.nhs.uk:3128`, found \(node.kindDescription)", at: node)
            return nil
        }
        guard let variables = references.variables(in: text, at: node) else { return nil }
        // Check the URL's shape with each `${VAR}` standing in as plain text.
        var shape = text
        for name in variables { shape = shape.replacingOccurrences(of: "${\(name)}", with: "x") }
        let schemes: Set<String> = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"]
        guard let url = URLComponents(string: shape), let scheme = url.scheme?.lowercased(), schemes.contains(scheme),
              let host = url.host, !host.isEmpty else {
            // Shown without any login: a password typed in literally must not be repeated.
            let shown = text.lastIndex(of: "@").flatMap { at in text.range(of: "://").map { String(text[..<$0.upperBound]) + "…" + String(text[at...]) } } ?? text
            issues.error("`\(shown)` is not a proxy URL; write e.g. `http://proxy.example.nhs.uk:3128` (http, https or socks5)", at: node)
            return nil
        }
        if let password = URLComponents(string: text)?.password, !password.contains("${") {
            issues.error("the proxy password must come from an environment variable, written `${VARIABLE}`", at: node)
            return nil
        }
        references.checkSet(variables, at: node)
        return text
    }

    // MARK: Auth and TLS

    private func readAuth(_ reader: ConfigReader) -> FeedAuth {
        let type: AuthType? = reader.choice("type", required: true)
        reader.declare("token", "username", "password")
        reader.finish()
        guard let type else { return .none }
        let uses: [String]
        switch type {
        case .none: uses = []
        case .bearer: uses = ["token"]
        case .basic, .ntlm, .negotiate: uses = ["username", "password"]
        }
        for key in ["token", "username", "password"] where !uses.contains(key) {
            guard let node = reader.node.entries?.first(where: { $0.key == key }) else { continue }
            let takes = uses.isEmpty ? "no credentials" : uses.map { "`\($0)`" }.joined(separator: " and ")
            issues.add(ConfigIssue(.error, at: node.keyLocation, path: node.value.path,
                                   "`\(key)` does not apply to `\(type.rawValue)` auth, which takes \(takes)"))
        }
        func secret(_ key: String, required: Bool) -> SecretReference? {
            reader.node(key, required: required).flatMap { references.secret($0, what: key == "token" ? "token" : key) }
        }
        switch type {
        case .none:
            return .none
        case .bearer:
            return secret("token", required: true).map { .bearer(token: $0) } ?? .none
        case .basic, .ntlm:
            let username = secret("username", required: true), password = secret("password", required: true)
            guard let username, let password else { return .none }
            return type == .basic ? .basic(username: username, password: password) : .ntlm(username: username, password: password)
        case .negotiate:
            return .negotiate(username: secret("username", required: false), password: secret("password", required: false))
        }
    }

    private func readTLS(_ reader: ConfigReader, host: String?) -> FeedTLS {
        let caBundle = reader.node("ca_bundle").flatMap { certificateFile($0) }
        let certificate = reader.node("client_certificate").flatMap { certificateFile($0) }
        let key = reader.node("client_key").flatMap { certificateFile($0) }
        let keyPassword = reader.node("client_key_password").flatMap { references.secret($0, what: "client key's pass phrase") }
        let verify = reader.bool("verify") ?? true
        reader.finish()
        if key != nil, certificate == nil, let node = reader.node["client_key"] {
            issues.error("client_key needs client_certificate beside it", at: node)
        }
        if let key = key ?? certificate, keyPassword == nil, let head = Self.head(of: key),
           head.contains("BEGIN ENCRYPTED PRIVATE KEY") || head.contains("Proc-Type: 4,ENCRYPTED"),
           let node = reader.node["client_key"] ?? reader.node["client_certificate"] {
            issues.warning("the key is encrypted; give its pass phrase with `client_key_password: ${VARIABLE}`, or collect will fail for this feed", at: node)
        }
        if keyPassword != nil, reader.node["client_key"] == nil, reader.node["client_certificate"] == nil,
           let node = reader.node["client_key_password"] {
            issues.error("client_key_password is the pass phrase of client_key (or of a key in client_certificate's file), neither of which is given", at: node)
        }
        if !verify, let host, !Self.isLoopback(host), let node = reader.node["verify"] {
            issues.warning("TLS verification is off for `\(host)`; turn it off only for test feeds on this machine (localhost, 127.0.0.1), and give `ca_bundle` for an internal certificate authority instead", at: node)
        }
        return FeedTLS(caBundle: caBundle, clientCertificate: certificate, clientKey: key,
                       clientKeyPassword: keyPassword, verify: verify)
    }

    /// A certificate or key path, resolved against the site directory; warns when the file is absent.
    private func certificateFile(_ node: ConfigNode) -> String? {
        guard let path = node.scalar?.trimmingWhitespace(), !path.isEmpty else {
            issues.error("expected a file path relative to the site directory, found \(node.kindDescription)", at: node)
            return nil
        }
        let resolved = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) {
            issues.warning("file `\(path)` does not exist (looked for `\(resolved)`)", at: node)
        } else if isDirectory.boolValue {
            issues.error("`\(path)` is a directory; give the PEM file itself", at: node)
            return nil
        } else if let head = Self.head(of: resolved), !head.contains("-----BEGIN ") {
            // Said now, not at the first collect: an empty file, a DER file, the wrong file.
            issues.warning("file `\(path)` holds no PEM block (`-----BEGIN …`); give the certificate or key in PEM form", at: node)
        }
        return resolved
    }

    /// The first 64 KB of the file at `path` as text, or nil when it cannot be read.
    private static func head(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return String(decoding: (try? handle.read(upToCount: 64 * 1024)) ?? Data(), as: UTF8.self)
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" { return true }
        // 127.0.0.0/8, written as an address: a name such as `127.0.0.1.nip.io` is not loopback.
        var address = in_addr()
        return inet_pton(AF_INET, bare, &address) == 1 && bare.hasPrefix("127.")
    }

    // MARK: Numbers, sizes and headers

    private func seconds(_ reader: ConfigReader, _ key: String, default value: Double) -> Double {
        guard let number = reader.double(key), let node = reader.node[key] else { return value }
        guard number > 0 else {
            issues.error("must be more than 0 seconds, found `\(node.scalar ?? "")`", at: node)
            return value
        }
        guard number <= 3600 else {
            issues.error("must be at most 3600 seconds (an hour), found `\(node.scalar ?? "")`", at: node)
            return value
        }
        return number
    }

    private func backoffSeconds(_ reader: ConfigReader) -> Double {
        guard let number = reader.double("backoff") else { return 0.5 }
        guard (0...60).contains(number) else {
            if let node = reader.node["backoff"] {
                issues.error("must be between 0 and 60 seconds, found `\(node.scalar ?? "")`", at: node)
            }
            return 0.5
        }
        return number
    }

    private func wholeNumber(_ reader: ConfigReader, _ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
        guard let number = reader.int(key) else { return value }
        guard range.contains(number) else {
            if let node = reader.node[key] {
                issues.error("must be between \(range.lowerBound) and \(range.upperBound), found `\(number)`", at: node)
            }
            return value
        }
        return number
    }

    private func readSize(_ node: ConfigNode) -> Int? {
        guard let text = node.scalar else {
            issues.error("expected a size such as `20MB`, `512KB` or a byte count, found \(node.kindDescription)", at: node)
            return nil
        }
        do {
            let bytes = try ByteCount.parse(text)
            guard bytes <= Self.maximumBodyLimit else {
                issues.error("`\(text)` is more than the \(ByteCount.describe(Self.maximumBodyLimit)) limit", at: node)
                return nil
            }
            return bytes
        } catch .notPositive {
            issues.error("must be more than 0 bytes, found `\(text)`", at: node)
        } catch {
            issues.error("`\(text)` is not a size; write a byte count or a whole number with KB, MB or GB, e.g. `20MB`", at: node)
        }
        return nil
    }

    private func readHeaders(_ node: ConfigNode) -> [String: String]? {
        guard let entries = node.entries else {
            issues.error("expected a mapping of header names to values, found \(node.kindDescription)", at: node)
            return nil
        }
        var headers: [String: String] = [:]
        for entry in entries {
            let name = entry.key
            if name.isEmpty || !name.unicodeScalars.allSatisfy(Self.isHeaderNameCharacter) {
                issues.add(ConfigIssue(.error, at: entry.keyLocation, path: entry.value.path,
                                       "`\(name)` is not a valid HTTP header name (letters, digits and `-`)"))
                continue
            }
            guard let value = entry.value.scalar else {
                issues.error("expected the header's value as a string, found \(entry.value.kindDescription)", at: entry.value)
                continue
            }
            // By scalars: "\r\n" is one Character in Swift, equal to neither "\r" nor "\n".
            if value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
                issues.error("a header value must be on one line", at: entry.value)
                continue
            }
            if let control = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\t" }) {
                issues.error("a header value cannot hold the control character U+\(String(format: "%04X", control.value))", at: entry.value)
                continue
            }
            guard let variables = references.variables(in: value, at: entry.value) else { continue }
            if Self.credentialHeaders.contains(name.lowercased()), variables.isEmpty {
                issues.error("header `\(name)` carries a credential; write its secret part as `${VARIABLE}` (or use `auth:`)", at: entry.value)
                continue
            }
            references.checkSet(variables, at: entry.value)
            headers[name] = value
        }
        return headers
    }

    private static func isHeaderNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
    }

    private func formatSeconds(_ value: Double) -> String {
        value.rounded() == value ? "\(Int(value)) s" : "\(value) s"
    }
}
