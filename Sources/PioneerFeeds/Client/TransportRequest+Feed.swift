// Turning a feed definition into a wire request: credentials, headers and validators resolved.
import PioneerCore
import Foundation

extension TransportRequest {
    /// The wire request for `request`, reading secrets from `environment`.
    ///
    /// Nothing is sent when this fails: a missing credential names its variable, and a
    /// header value that would break the request (a line break) is refused.
    init(_ request: FeedFetchRequest, environment: [String: String]) throws(TransportError) {
        let feed = request.feed
        var headers: [Header] = []
        var credentials = TransportCredentials.none

        switch feed.auth {
        case .none:
            break
        case .bearer(let token):
            let value = try Self.secrets([token], usage: "bearer token", environment: environment)[0]
            headers.append(Header("Authorization", "Bearer " + value, isSecret: true))
        case .basic(let username, let password):
            let values = try Self.secrets([username, password], usage: "basic auth", environment: environment)
            credentials = .basic(username: values[0], password: values[1])
        case .ntlm(let username, let password):
            let values = try Self.secrets([username, password], usage: "NTLM auth", environment: environment)
            credentials = .ntlm(username: values[0], password: values[1])
        case .negotiate(let username, let password):
            let present = [username, password].compactMap { $0 }
            let values = try Self.secrets(present, usage: "Negotiate auth", environment: environment)
            let user = username == nil ? "" : values[0]
            let pass = password == nil ? "" : values[values.count - 1]
            credentials = .negotiate(username: user, password: pass)
        }

        for (name, template) in feed.headers.sorted(by: { $0.key < $1.key }) {
            guard Self.isToken(name) else {
                throw TransportError(.invalidHeader(name: name, reason: "is not a valid header name"))
            }
            let value = try Self.expandVariables(
                in: template, usage: "header \(name)", environment: environment,
                unclosed: .invalidHeader(name: name, reason: "has an unclosed ${ in its value"))
            // A value filled in from the environment is treated as a secret, whatever its name.
            headers.append(Header(name, value, isSecret: template.contains("${")))
        }
        if let etag = request.validators?.etag { headers.append(Header("If-None-Match", etag)) }
        if let lastModified = request.validators?.lastModified {
            headers.append(Header("If-Modified-Since", lastModified))
        }
        for header in headers where header.value.unicodeScalars.contains(where: { "\r\n\0".unicodeScalars.contains($0) }) {
            throw TransportError(.invalidHeader(name: header.name, reason: "has a line break in its value"))
        }
        // Other control characters (a stray `\u{1}` pasted into a secret) are not valid in a
        // header either (RFC 9110): refused rather than sent as they are. A tab is allowed.
        for header in headers where header.value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            throw TransportError(.invalidHeader(name: header.name, reason: "has a control character in its value"))
        }

        // A proxy URL may carry `user:${PASSWORD}@`; it goes to the proxy on every hop.
        let proxy = try feed.proxy.map { template throws(TransportError) in
            try Self.proxy(template, environment: environment)
        }
        let keyPassword = try feed.tls.clientKeyPassword.map { reference throws(TransportError) in
            try Self.secrets([reference], usage: "client key's pass phrase", environment: environment)[0]
        }

        self.init(
            url: request.url, headers: headers, credentials: credentials, tls: feed.tls, proxy: proxy?.url,
            connectTimeout: feed.connectTimeout, timeout: feed.timeout, maxBodyBytes: feed.maxBodyBytes
        )
        self.proxyLogin = proxy?.login
        self.keyPassword = keyPassword
    }

    /// The proxy URL `template` names, without its login, and the login apart: the user name
    /// and password are filled in from the environment after the URL is split, so a password
    /// holding `@`, `/`, `#` or `%` is sent as it is and never lands in a URL a message shows.
    /// Text written in the template itself is percent-decoded, as it would be in a URL.
    public static func proxy(_ template: String, environment: [String: String]) throws(TransportError) -> (url: String, login: ProxyLogin?) {
        let unclosed = FeedError.Cause.invalidURL("the proxy URL has an unclosed ${")
        guard let schemeEnd = template.range(of: "://") else {
            return (try expandVariables(in: template, usage: "proxy", environment: environment, unclosed: unclosed), nil)
        }
        let authorityStart = schemeEnd.upperBound
        // The login ends at the last `@` (a proxy URL has no path that could hold one): a
        // password typed in literally may hold `/`, `?` or `#`, which would otherwise end it.
        guard let at = template[authorityStart...].lastIndex(of: "@") else {
            return (try expandVariables(in: template, usage: "proxy", environment: environment, unclosed: unclosed), nil)
        }
        let authorityEnd = template[at...].firstIndex(where: { "/?#".contains($0) }) ?? template.endIndex
        let authority = template[authorityStart..<authorityEnd]
        let userInfo = authority[..<at]
        let colon = userInfo.firstIndex(of: ":")
        // The text written in the template is percent-decoded (`DOMAIN%5C${USER}`); the values
        // filled in from the environment are taken as they are.
        func part(_ text: Substring) throws(TransportError) -> String {
            var output = ""
            var rest = text
            while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
                let literal = String(rest[..<open.lowerBound])
                output += literal.removingPercentEncoding ?? literal
                output += try expandVariables(in: String(rest[open.lowerBound...close]), usage: "proxy",
                                              environment: environment, unclosed: unclosed)
                rest = rest[rest.index(after: close)...]
            }
            if rest.contains("${") { throw TransportError(unclosed) }
            return output + (String(rest).removingPercentEncoding ?? String(rest))
        }
        let username = try part(colon.map { userInfo[..<$0] } ?? userInfo)
        let password = try colon.map { colon throws(TransportError) in try part(userInfo[userInfo.index(after: colon)...]) } ?? ""
        let url = String(template[..<authorityStart]) + String(authority[authority.index(after: at)...]) + String(template[authorityEnd...])
        return (try expandVariables(in: url, usage: "proxy", environment: environment, unclosed: unclosed),
                ProxyLogin(username: username, password: password))
    }

    /// The values of `references`, or an error naming every unset one.
    private static func secrets(_ references: [SecretReference], usage: String,
                                environment: [String: String]) throws(TransportError) -> [String] {
        var values: [String] = []
        var missing: [String] = []
        for reference in references {
            if let value = reference.resolve(in: environment) {
                values.append(value)
            } else if !missing.contains(reference.variable) {
                missing.append(reference.variable)
            }
        }
        guard missing.isEmpty else { throw TransportError(.missingCredential(variables: missing, usage: usage)) }
        return values
    }

    /// `template` with each `${NAME}` replaced by the variable's value; a `$` not followed
    /// by `{` is kept as it is. `usage` (`header X-Api-Key`, `proxy`) names the setting when
    /// a variable is unset; `unclosed` is the error for a `${` without its `}`.
    static func expandVariables(in template: String, usage: String, environment: [String: String],
                                unclosed: FeedError.Cause) throws(TransportError) -> String {
        var output = ""
        var missing: [String] = []
        var rest = Substring(template)
        while let dollar = rest.range(of: "${") {
            output += rest[..<dollar.lowerBound]
            guard let close = rest[dollar.upperBound...].firstIndex(of: "}") else {
                throw TransportError(unclosed)
            }
            let name = String(rest[dollar.upperBound..<close])
            if let value = environment[name], !value.isEmpty {
                output += value
            } else if !missing.contains(name) {
                missing.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        guard missing.isEmpty else {
            throw TransportError(.missingCredential(variables: missing, usage: usage))
        }
        return output
    }

    /// RFC 9110 token characters, the only ones allowed in a header name.
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
