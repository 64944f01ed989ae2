// Where a PostgreSQL intake store is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB?sslmode=…`,
// read with libpq's names for the options (sslmode, sslrootcert, sslcert, sslkey,
// connect_timeout, host for a Unix socket folder, password) so an office's existing connection strings
// work. A password is never shown: the URL people see has none.
import Foundation
import PostgresNIO

/// A parsed `--db postgres://…` value.
struct PostgresLocation: Sendable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String
    /// A Unix socket folder (libpq's `host=/run/postgresql`), used instead of TCP when given.
    var socketFolder: String?
    var sslMode: SSLMode = .prefer
    var rootCertificate: String?
    var clientCertificate: String?
    var clientKey: String?
    var connectTimeout: Duration = .seconds(10)
    /// The URL as shown in messages and output: the password left out.
    var display: String

    /// libpq's sslmode values.
    enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The libpq options understood, as `?name=value` after the database.
    static let options = ["sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "host", "password"]

    /// Parses `url`; a password `${NAME}` is read from `environment`, and without one in the
    /// URL `PGPASSWORD` is used, as libpq does.
    ///
    /// - Throws: ``IntakeStoreError`` with kind `invalidArgument` naming what is wrong.
    init(url: String, environment: [String: String]) throws(IntakeStoreError) {
        func invalid(_ message: String) -> IntakeStoreError {
            IntakeStoreError(.invalidArgument, path: Self.redacted(url), operation: "read the database URL", message)
        }
        let reserved = "its password holds a character a URL reserves (@ / # ? or %); percent-encode it "
            + "(%40 for @, %2F for /, %23 for #, %3F for ?, %25 for %), or give it in PGPASSWORD"
        let beforeQuery = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if Self.userInfoRange(in: url) != nil, beforeQuery.count(where: { $0 == "@" }) > 1 {
            throw invalid(reserved)
        }
        guard let components = URLComponents(string: Self.escapingReferences(url)), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme) else {
            throw invalid(Self.userInfoRange(in: url) != nil ? "it is not a URL of the form postgres://USER:PASSWORD@HOST:PORT/DATABASE; \(reserved)"
                                                             : "it is not a URL of the form postgres://USER@HOST:PORT/DATABASE")
        }
        // Each part percent-decoded once: URLComponents' `user`, `password` and `path` are
        // decoded already, and decoding them again read `50%25off` as `50%off` and then failed.
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw invalid("it names no user; write postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(components.percentEncodedPath.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw invalid("it names no database; write postgres://USER@HOST:PORT/DATABASE")
        }
        self.user = user
        self.database = database.removingPercentEncoding ?? database
        // An IPv6 address is written in brackets (`[::1]`); the address is what lies inside.
        let named = components.host ?? ""
        self.host = named.hasPrefix("[") && named.hasSuffix("]") ? String(named.dropFirst().dropLast()) : named
        self.port = components.port ?? 5432
        self.display = Self.redacted(url)

        var password: String?
        if let written = components.percentEncodedPassword?.removingPercentEncoding {
            if written.hasPrefix("${"), written.hasSuffix("}") {
                let name = String(written.dropFirst(2).dropLast())
                guard let value = environment[name] else {
                    throw invalid("its password is ${\(name)} but the environment variable \(name) is not set")
                }
                password = value
            } else {
                password = written
            }
        }

        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw invalid("sslmode=\(value) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "sslrootcert": rootCertificate = value
            case "sslcert": clientCertificate = value
            case "sslkey": clientKey = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw invalid("connect_timeout=\(value) is not a whole number of seconds above 0")
                }
                connectTimeout = .seconds(seconds)
            case "host":
                guard value.hasPrefix("/") else { throw invalid("host=\(value) is not a Unix socket folder (it starts with /)") }
                socketFolder = value
            case "password":
                // libpq takes the password as an option too; it shows in `ps` as much as the user's.
                password = value
            default:
                throw invalid("the option \(item.name) is not understood; use \(Self.options.joined(separator: ", "))")
            }
        }
        self.password = password ?? environment["PGPASSWORD"]
        guard !host.isEmpty || socketFolder != nil else {
            throw invalid("it names no host; write postgres://USER@HOST:PORT/DATABASE")
        }
        if (clientCertificate == nil) != (clientKey == nil) {
            throw invalid("sslcert and sslkey go together; give both or neither")
        }
    }

    /// `url` with `${NAME}` percent-encoded: braces are not allowed in a URL as written.
    static func escapingReferences(_ url: String) -> String {
        url.replacingOccurrences(of: "${", with: "%24%7B").replacingOccurrences(of: "}", with: "%7D")
    }

    /// `url` with any password replaced by `***`, whatever its shape: it is read from the text
    /// itself, not from a parse that a password holding `/`, `#`, `?` or `@` would mislead
    /// (the whole URL, or the password's tail, was shown). A password is what lies between
    /// `://USER:` and the last `@` of the URL, and the value of a `password=` option.
    static func redacted(_ url: String) -> String {
        var text = url
        if let range = userInfoRange(in: text) {
            text.replaceSubrange(range, with: "***")
        }
        if let question = text.firstIndex(of: "?") {
            let options = text[text.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { option in
                option.hasPrefix("password=") ? "password=***" : String(option)
            }
            text = text[...question] + options.joined(separator: "&")
        }
        return text
    }

    /// Where the password is in `url`: after the `:` that follows the user, up to the last `@`;
    /// nil when the user has no password after it.
    static func userInfoRange(in url: String) -> Range<String.Index>? {
        guard let scheme = url.range(of: "://"), let lastAt = url[scheme.upperBound...].lastIndex(of: "@"),
              let firstAt = url[scheme.upperBound...].firstIndex(of: "@"),
              let colon = url[scheme.upperBound..<firstAt].firstIndex(of: ":") else { return nil }
        return url.index(after: colon)..<lastAt
    }

    /// The postgres-nio pool's configuration: TLS as libpq's sslmode means it, and each
    /// connection's `statement_timeout` and `lock_timeout` set to `statementTimeout`.
    func configuration(statementTimeout: Duration) throws(IntakeStoreError) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketFolder {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: .disable)
            switch try tls() {
            case nil: configuration.tls = .disable
            case let (tls, required)?: configuration.tls = required ? .require(tls) : .prefer(tls)
            }
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = 40
        let milliseconds = String(statementTimeout.components.seconds * 1000
                                  + statementTimeout.components.attoseconds / 1_000_000_000_000_000)
        configuration.options.additionalStartupParameters = [("statement_timeout", milliseconds), ("lock_timeout", milliseconds)]
        return configuration
    }

    /// The same for the single connection that opens the store and migrates its schema, so
    /// a refused login or a missing database is reported as such rather than as a timeout.
    func connectionConfiguration() throws(IntakeStoreError) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketFolder {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: .disable)
            if let (tls, required) = try tls() {
                do {
                    let context = try NIOSSLContext(configuration: tls)
                    configuration.tls = required ? .require(context) : .prefer(context)
                } catch {
                    throw IntakeStoreError(.invalidArgument, path: display, operation: "set up TLS",
                                           "the TLS settings cannot be used (\(error)); check sslrootcert, sslcert and sslkey")
                }
            }
        }
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        return configuration
    }

    /// The TLS configuration and whether TLS is required; nil for sslmode=disable.
    private func tls() throws(IntakeStoreError) -> (TLSConfiguration, required: Bool)? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable:
            return nil
        case .allow, .prefer, .require:
            // libpq encrypts in these modes without checking the certificate, unless a root
            // certificate is given (then it checks the chain, as verify-ca does).
            tls.certificateVerification = rootCertificate == nil ? .none : .noHostnameVerification
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let rootCertificate {
            tls.trustRoots = .file(rootCertificate)
        }
        if let clientCertificate, let clientKey {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate).map { .certificate($0) }
                tls.privateKey = .file(clientKey)
            } catch {
                throw IntakeStoreError(.invalidArgument, path: display, operation: "read the TLS client certificate",
                                       "\(clientCertificate) cannot be read as a PEM certificate (\(error))")
            }
        }
        return (tls, required: !(sslMode == .allow || sslMode == .prefer))
    }
}
