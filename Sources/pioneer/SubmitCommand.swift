// `pioneer submit`: send return files to the national intake service (`pioneer serve`) over
// the feeds' libcurl client, retrying what is worth retrying, and say what the office made of each.
import ArgumentParser
import Foundation
import Synchronization
import PioneerCore
import PioneerFeeds
import PioneerIntake
import PioneerKit
import PioneerReturns
import Crypto

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send return files to the programme office's intake service and show what it accepted.",
        discussion: """
        Posts each RETURN_FILE to URL/v1/returns (a URL already ending in /v1/returns is \
        used as it is): a .json file as application/json, a .xml file (ADX) as \
        application/adx+xml. The token is read from the PIONEER_TOKEN environment variable \
        (`pioneer serve token create` makes one), never from an argument, and is never printed.

        For each file it prints the import summary: the status (accepted, accepted with \
        warnings, rejected), the site, period and version stored, whether it was a duplicate \
        or late, the counts of values, and every rejected value and warning with its reason.

        Connection failures, timeouts, 429 and 5xx answers are retried with backoff \
        (honouring Retry-After) within --retries and --max-time. Repeating a submission is \
        safe: the service stores the same bytes once and answers the same version again.

        Examples:
          PIONEER_TOKEN=pio_… pioneer submit returns/torbay-2026-03.json --to https://intake.example.nhs.uk
          pioneer submit torbay-2026-03.xml --to http://127.0.0.1:8080 --format json

        Exit status: 0 every file accepted, 5 accepted with warnings (stored, and it counts), \
        6 rejected or refused by the service (a 4xx: the summary or the reason is shown), \
        7 not delivered (no answer, or still 5xx, after the retries), 1 a file or \
        PIONEER_TOKEN could not be used (nothing sent), 2 usage error. With several files \
        the highest of these applies, in the order 0, 5, 1, 6, 7.
        """
    )

    @Argument(help: ArgumentHelp("Return files: .json (`pioneer return --format json`) or .xml (ADX).", valueName: "return-file"))
    var files: [String]

    @Option(help: ArgumentHelp("The intake service's base URL (http or https).", valueName: "url"))
    var to: String

    @Option(help: ArgumentHelp("`text` (the summary in plain English) or `json` (the summary as the service sent it).", valueName: "format"))
    var format: OutputFormat = .text

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds allowed to connect, each attempt.", valueName: "seconds"))
    var connectTimeout: Double = 10

    @Option(help: ArgumentHelp("Seconds allowed for one attempt, answer included.", valueName: "seconds"))
    var timeout: Double = 60

    @Option(help: ArgumentHelp("Attempts after the first, for connection failures, timeouts, 429 and 5xx.", valueName: "count"))
    var retries: Int = 4

    @Option(help: ArgumentHelp("Seconds before the first retry; doubled each retry, with jitter.", valueName: "seconds"))
    var backoff: Double = 0.5

    @Option(name: .customLong("max-backoff"), help: ArgumentHelp("Longest wait between attempts, a server's Retry-After included.", valueName: "seconds"))
    var maxBackoff: Double = 15

    @Option(name: .customLong("max-time"), help: ArgumentHelp("Seconds for all the attempts at one file, waits included.", valueName: "seconds"))
    var maxTime: Double = 120

    @Option(help: ArgumentHelp("Proxy URL; by default the http_proxy, https_proxy and no_proxy variables decide.", valueName: "url"))
    var proxy: String?

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("PEM file of the certificate authorities to trust for an https URL.", valueName: "file"))
    var caBundle: String?

    @Option(name: .customLong("client-cert"), help: ArgumentHelp("PEM client certificate, for a service that asks for mutual TLS.", valueName: "file"))
    var clientCertificate: String?

    @Option(name: .customLong("client-key"), help: ArgumentHelp("PEM key of --client-cert; when it is encrypted, its pass phrase is read from PIONEER_CLIENT_KEY_PASSWORD.", valueName: "file"))
    var clientKey: String?

    /// The environment variable an encrypted --client-key's pass phrase is read from.
    static let keyPasswordVariable = "PIONEER_CLIENT_KEY_PASSWORD"

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// The environment variable the token is read from.
    static let tokenVariable = "PIONEER_TOKEN"

    func validate() throws {
        for (name, value) in [("--connect-timeout", connectTimeout), ("--timeout", timeout), ("--max-time", maxTime)]
            where !(value.isFinite && value > 0) {
            throw ValidationError("\(name) must be a number of seconds above 0, got \(value)")
        }
        for (name, value) in [("--backoff", backoff), ("--max-backoff", maxBackoff)] where !(value.isFinite && value >= 0) {
            throw ValidationError("\(name) must be a number of seconds, 0 or more, got \(value)")
        }
        guard (0...100).contains(retries) else {
            throw ValidationError("--retries must be between 0 and 100, got \(retries)")
        }
        if clientKey != nil, clientCertificate == nil {
            throw ValidationError("--client-key needs --client-cert")
        }
        _ = try SubmitTarget(to)
    }

    func run() async throws {
        let target = try SubmitTarget(to)
        let environment = ProcessInfo.processInfo.environment
        guard let token = environment[Self.tokenVariable], !token.isEmpty else {
            StandardError.write("error: \(Self.tokenVariable) is not set: put the token `pioneer serve token create` printed "
                                + "in it (export \(Self.tokenVariable)=pio_…); nothing was sent to \(target.shownURL)\n")
            throw ExitCode(SubmitOutcome.unusable.exitCode)
        }
        guard !token.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            StandardError.write("error: \(Self.tokenVariable) holds a line break or another control character; "
                                + "nothing was sent to \(target.shownURL)\n")
            throw ExitCode(SubmitOutcome.unusable.exitCode)
        }
        // Files of our own that cannot be used are said before anything is sent, with exit 1:
        // sending again would not help (libcurl would say so only as a failed delivery, exit 7).
        for (option, path) in [("--ca-bundle", caBundle), ("--client-cert", clientCertificate), ("--client-key", clientKey)] {
            guard let path else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                StandardError.write("error: \(option) \(path): the file cannot be read (missing, a folder, or not permitted); nothing was sent to \(target.shownURL)\n")
                throw ExitCode(SubmitOutcome.unusable.exitCode)
            }
            guard data.range(of: Data("-----BEGIN ".utf8)) != nil else {
                StandardError.write("error: \(option) \(path): the file holds no PEM block (`-----BEGIN …`); give the certificate"
                                    + "\(option == "--client-key" ? " key" : "s") in PEM form; nothing was sent to \(target.shownURL)\n")
                throw ExitCode(SubmitOutcome.unusable.exitCode)
            }
        }
        // An encrypted key without its pass phrase: OpenSSL would ask for it on the terminal.
        if let key = clientKey ?? clientCertificate, CurlTLSFiles.isEncryptedKey(atPath: key),
           (environment[Self.keyPasswordVariable] ?? "").isEmpty {
            StandardError.write("error: \(clientKey == nil ? "--client-cert" : "--client-key") \(key) holds an encrypted key: put its pass phrase in \(Self.keyPasswordVariable); "
                                + "nothing was sent to \(target.shownURL)\n")
            throw ExitCode(SubmitOutcome.unusable.exitCode)
        }
        if let warning = target.plainHTTPWarning {
            StandardError.write("warning: \(warning)\n")
        }

        let client = UploadClient()
        let retry = UploadRetry(policy: RetryPolicy(retries: retries, backoff: backoff, maxBackoff: maxBackoff), maxTime: maxTime)
        var worst = SubmitOutcome.accepted
        var jsonBodies: [String] = []
        for file in files {
            let (outcome, json) = await submit(file, to: target, token: token, client: client, retry: retry)
            worst = max(worst, outcome)
            // A file not sent, or not delivered, has its place in the array too.
            jsonBodies.append(json ?? Self.notSentJSON(file: file, outcome: outcome, problem: Self.lastProblem.withLock { $0 }))
        }
        if format == .json, !jsonBodies.isEmpty {
            // One file: its summary as sent; several: an array of them, in the order of the files.
            StandardOutput.write((files.count == 1 ? jsonBodies[0] : "[\n" + jsonBodies.joined(separator: ",\n") + "\n]") + "\n")
        }
        if worst != .accepted { throw ExitCode(worst.exitCode) }
    }

    /// The last problem said for a file not sent or not delivered, for its JSON entry.
    private static let lastProblem = Mutex<String>("")

    /// Says `message` as an error and returns `outcome` with no summary.
    private func refuse(_ message: String, _ outcome: SubmitOutcome) -> (SubmitOutcome, String?) {
        StandardError.write("error: \(message)\n")
        Self.lastProblem.withLock { $0 = message }
        return (outcome, nil)
    }

    /// The JSON entry of a file with no summary from the service: `{"file", "sent", "error"}`.
    static func notSentJSON(file: String, outcome: SubmitOutcome, problem: String) -> String {
        struct Entry: Encodable {
            var file: String
            var sent: Bool
            var error: String
        }
        let entry = Entry(file: file, sent: outcome != .unusable, error: problem)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(entry)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Sends one file; returns its outcome and, for `--format json`, the summary as the service sent it.
    private func submit(_ file: String, to target: SubmitTarget, token: String, client: UploadClient,
                        retry: UploadRetry) async -> (SubmitOutcome, String?) {
        let contentType: String
        switch URL(fileURLWithPath: file).pathExtension.lowercased() {
        case "json": contentType = "application/json"
        case "xml": contentType = "application/adx+xml"
        default:
            return refuse("\(file): cannot tell the format of the return from its name; "
                          + "a JSON return ends in .json, an ADX return in .xml; nothing was sent", .unusable)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
            return refuse("\(file): is a folder, not a return file; give the files in it (\(file)/*.json); nothing was sent", .unusable)
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            return refuse("\(file): cannot read the file (\(Self.reason(error, file: file))); nothing was sent", .unusable)
        }

        // A FHIR bundle, a DHIS2 dataValueSet or a CSV return is another form `pioneer return`
        // writes, which the service does not take: said here, rather than stored there as rejected.
        if contentType == "application/json" {
            do {
                _ = try ReturnReader.read(data: bytes, file: file)
            } catch where error.kind == .wrongType {
                return refuse("\(error); nothing was sent", .unusable)
            } catch {
                // Anything else wrong with it is the service's to judge, and to record.
            }
        }

        let environment = ProcessInfo.processInfo.environment
        // A login in --proxy goes to the proxy apart from its URL, as a feed's does.
        let proxySetting: (url: String, login: TransportRequest.ProxyLogin?)?
        do {
            proxySetting = try proxy.map { proxy throws(TransportError) in try TransportRequest.proxy(proxy, environment: environment) }
        } catch {
            return refuse("--proxy: \(error.cause); nothing was sent", .unusable)
        }
        var request = TransportRequest(
            url: target.endpoint,
            headers: [.init("Authorization", "Bearer " + token, isSecret: true), .init("Accept", "application/json")],
            tls: FeedTLS(caBundle: caBundle, clientCertificate: clientCertificate, clientKey: clientKey),
            proxy: proxySetting?.url, connectTimeout: connectTimeout, timeout: timeout,
            body: .init(contentType: contentType, bytes: bytes)
        )
        request.proxyLogin = proxySetting?.login
        request.keyPassword = environment[Self.keyPasswordVariable].flatMap { $0.isEmpty ? nil : $0 }
        let attempts = retries + 1
        let result = await client.send(request, retry: retry) { event in
            StandardError.write("\(file): \(event.cause) from \(target.shownURL); "
                                + "retrying in \(SubmitOutput.seconds(event.delay)) (attempt \(event.attempt + 1) of \(attempts))\n")
        }
        switch result {
        case .failure(let error):
            let after = error.attempts > 1 ? " after \(error.attempts) attempts over \(Self.overall(error.elapsed))" : ""
            let ended = maxTimeEnded(error.endedByMaxTime, cuttingTheLastShort: error.lastAttemptCutShort)
            return refuse("\(file): POST \(error.url) failed: \(error.cause)\(after)\(ended); "
                          + "not delivered, and safe to send again", .notDelivered)
        case .success(let answer):
            return report(answer, file: file, target: target, sent: "sha256:" + HexText.lowercase(SHA256.hash(data: bytes)))
        }
    }

    /// Prints what the service answered for `file` and classifies it.
    ///
    /// - Parameter sent: `sha256:<hex>` of the bytes sent; a summary for other bytes is no receipt for them.
    private func report(_ answer: UploadAnswer, file: String, target: SubmitTarget, sent: String) -> (SubmitOutcome, String?) {
        let response = answer.response
        let status = response.status
        let after = answer.attempts > 1 ? " after \(answer.attempts) attempts over \(Self.overall(answer.elapsed))" : ""
        let summary = try? JSONDecoder().decode(ImportSummary.self, from: response.body)
        if let summary, (200...299).contains(status), summary.digest.lowercased() != sent {
            return refuse("\(file): POST \(target.shownURL) answered \(FeedError.Cause.http(status: status))\(after) "
                                + "with an import summary for other bytes (digest \(String(summary.digest.prefix(19)).escapingControlCharacters())…, "
                                + "not this file's \(sent.prefix(19))…): it is no receipt for this return; check the URL, "
                                + "and send it again", .notDelivered)
        }
        if let summary, [200, 201, 400, 403, 422].contains(status) {
            let outcome: SubmitOutcome
            switch summary.status {
            case .accepted: outcome = (200...299).contains(status) ? .accepted : .rejected
            case .acceptedWithWarnings: outcome = (200...299).contains(status) ? .acceptedWithWarnings : .rejected
            case .rejected: outcome = .rejected
            }
            if format == .text {
                StandardOutput.write(SubmitOutput.text(summary, file: file, httpStatus: status))
            }
            return (outcome, String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let said = SubmitOutput.serverMessage(response.body)
        let statusText = FeedError.Cause.http(status: status).description
        switch status {
        case 200...299:
            return refuse("\(file): POST \(target.shownURL) answered \(statusText)\(after), "
                                + "but not with an import summary\(said.map { " (\($0))" } ?? ""); it may have been stored: "
                                + "sending it again is safe", .notDelivered)
        case 401:
            return refuse("\(file): POST \(target.shownURL) refused the token in \(Self.tokenVariable) "
                                + "(\(statusText)): it is unknown or revoked", .rejected)
        case 400...499 where status != 429:
            return refuse("\(file): POST \(target.shownURL) refused it: \(statusText)\(said.map { ": \($0)" } ?? "")", .rejected)
        default:
            // A 5xx, or a 429 still answered after the retries: the service was busy, not refusing.
            let ended = maxTimeEnded(answer.endedByMaxTime, cuttingTheLastShort: answer.lastAttemptCutShort)
            return refuse("\(file): POST \(target.shownURL) answered \(statusText)\(after)"
                                + "\(said.map { ": \($0)" } ?? "")\(ended); not delivered, and safe to send again", .notDelivered)
        }
    }

    /// "; --max-time 25 ended the retries" when the time allowed, not the count, stopped them;
    /// when it ran out during the last attempt, that attempt's timeout is not the cause shown.
    private func maxTimeEnded(_ ended: Bool, cuttingTheLastShort cutShort: Bool) -> String {
        guard ended else { return "" }
        let written = maxTime == maxTime.rounded() ? String(Int(maxTime)) : String(maxTime)
        return "; --max-time \(written) ended the retries"
            + (cutShort ? ", cutting the last attempt short before it was answered" : "")
    }

    /// The time all the attempts took, to a tenth of a second: "25 s", "0.3 s".
    private static func overall(_ seconds: Double) -> String {
        SubmitOutput.seconds((seconds * 10).rounded() / 10)
    }

    private static func reason(_ error: any Error, file: String) -> String {
        let nsError = error as NSError

        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue)).lowercased()
        }
        // Foundation gives some failures no POSIX cause (a loop of symbolic links reads as
        // "NSCocoaErrorDomain error 256"): opening the file again says what it is.
        let descriptor = open(file, O_RDONLY)
        if descriptor < 0 { return String(cString: strerror(errno)).lowercased() }
        close(descriptor)
        return nsError.localizedDescription
    }
}
