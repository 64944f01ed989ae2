// The routes of openapi/intake.yaml, each a thin layer over IntakeService and IntakeStore:
// read the request, check who may do it, call the service, answer in the documented shape.
import Foundation
import Hummingbird
import Logging
import PioneerAggregate
import PioneerCore
import PioneerIntake
import PioneerKit

struct IntakeRoutes: Sendable {
    var service: IntakeService
    var store: IntakeStore
    var programme: Programme
    var metrics: IntakeMetrics
    var configuration: IntakeServerConfiguration
    var clock: @Sendable () -> Date

    /// Adds every route to `router`: the open ones, then the ones behind a token.
    /// Every GET route answers HEAD too, as HTTP requires (`MethodMiddleware` drops the body).
    func register(on router: Router<IntakeRequestContext>) {
        let open = router.group()
        Self.get(open, "/health", health)
        Self.get(open, "/metrics", exposition)

        let api = router.group().add(middleware: AuthenticationMiddleware(store: store, acceptsBasic: false))
        api.post("/v1/returns", use: submit)
        Self.get(api, "/v1/returns", submissions)
        Self.get(api, "/v1/returns/:id", submissionBody)
        Self.get(api, "/v1/status", status)
        Self.get(api, "/v1/aggregate", aggregate)
        Self.get(api, "/v1/history", history)

        // A browser can ask for HTTP Basic, so the dashboard takes the token as Basic's password too.
        let dashboard = router.group().add(middleware: AuthenticationMiddleware(store: store, acceptsBasic: true))
        Self.get(dashboard, "/", self.dashboard)
    }

    private static func get(_ group: RouterGroup<IntakeRequestContext>, _ path: RouterPath,
                            _ handler: @escaping @Sendable (Request, IntakeRequestContext) async throws -> Response) {
        group.get(path, use: handler)
        group.head(path, use: handler)
    }

    // MARK: Open routes

    @Sendable func health(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        if let failure = try await store.health(now: clock()) {
            // Reads work but writes do not: the same 503 a failed submission gets, with when and why.
            context.logger.error("health check: the last write failed", metadata: [
                "error": .string(failure.error.description.escapingControlCharacters())])
            var headers = HTTPFields()
            headers[.retryAfter] = failure.error.kind == .full ? "300" : "60"
            let when = IntakeTime.text(failure.at)
            throw IntakeHTTPError(status: .serviceUnavailable, message:
                "the database answers queries, but storing a submission failed at \(when) (\(failure.error.message)); "
                + "this check passes again once a submission is stored, or \(Int(IntakeStore.writeFailureWindow)) s after the failure",
                headers: headers)
        }
        return try JSONBody.response(["status": "ok"])
    }

    @Sendable func exposition(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    // MARK: Returns

    @Sendable func submit(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        let caller = try Self.caller(context)
        let format = try Self.format(of: request)
        let bytes = try await BodyReader.collect(request, limit: configuration.maximumBodySize, timeout: configuration.requestTimeout)
        let outcome = try await service.submit(bytes, format: format, caller: caller)
        metrics.submission(outcome.kind.rawValue)
        let summary = outcome.summary
        context.logger.info("submission", metadata: [
            "submission.id": .string(summary.submission ?? "-"),
            // The site and period as the return wrote them: escaped, so a newline in them cannot
            // forge a line of the log, nor a NUL or a control sequence reach it raw.
            "submission.site": .string(summary.site?.escapingControlCharacters() ?? "-"),
            "submission.period": .string(summary.period?.escapingControlCharacters() ?? "-"),
            "submission.version": .string(summary.version.map(String.init) ?? "-"),
            "submission.status": .string(summary.status.rawValue),
            "submission.outcome": .string(outcome.kind.rawValue),
            "submission.bytes": .stringConvertible(bytes.count),
        ])
        return JSONBody.response(bytes: outcome.summaryJSON.utf8, status: Self.status(of: outcome.kind))
    }

    @Sendable func submissions(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        let caller = try Self.caller(context)
        let query = request.uri.queryParameters
        let site = try Self.site(asked: query["site"].map(String.init), caller: caller)
        var period: String?
        if let text = query["period"].map(String.init), !text.isEmpty {
            do {
                period = try Period(parsing: text).label
            } catch {
                throw IntakeHTTPError.badRequest("period: \(error.description)")
            }
        }
        let records = try await store.submissions(site: site, period: period)
        return try JSONBody.response(SubmissionList(submissions: records))
    }

    @Sendable func submissionBody(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        let caller = try Self.caller(context)
        let id = context.parameters.get("id") ?? ""
        guard let record = try await store.submission(id: id) else {
            throw IntakeHTTPError(status: .notFound, message: "there is no submission with the id \(Self.quoted(id))")
        }
        if caller.role == .site, record.site != caller.site {
            throw IntakeHTTPError.forbidden("a site token can read only its own site's returns")
        }
        guard let bytes = try await store.body(ofSubmission: id) else {
            throw IntakeHTTPError(status: .notFound, message: "there is no submission with the id \(Self.quoted(id))")
        }
        // Bytes that are no longer those received (a damaged database) are not served as if
        // they were: the digest beside them would vouch for something it does not describe.
        guard SubmissionDigest.of(bytes) == record.digest else {
            context.logger.error("stored bytes no longer match their digest", metadata: ["submission": "\(id)"])
            throw IntakeHTTPError(status: .internalServerError,
                                  message: "the stored bytes of submission \(Self.quoted(id)) no longer match the digest they were received with "
                                      + "(\(record.digest.prefix(19))…): the database is damaged; the office should restore it from a backup")
        }
        var headers = HTTPFields()
        // Bytes that could not be read as a return at all (no period found) are kept as sent.
        headers[.contentType] = record.period == nil ? "application/octet-stream" : Self.storedContentType(bytes, format: record.format)
        headers[.digestSHA256] = record.digest
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The content type of stored bytes: their format's, unless they are not even text in that
    /// format (a malformed submission is kept as sent), which go back as plain bytes.
    static func storedContentType(_ bytes: [UInt8], format: SubmissionFormat) -> String {
        switch format {
        case .adx:
            return String(validating: bytes, as: UTF8.self) == nil ? "application/octet-stream" : "application/xml"
        case .json:
            let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            return parsed == nil ? "application/octet-stream" : "application/json"
        }
    }

    // MARK: The office's view

    @Sendable func status(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        let caller = try Self.caller(context)
        let period = try PeriodQuery.resolve(request.uri.queryParameters["period"].map(String.init), programme: programme,
                                             today: PeriodQuery.day(clock()))
        var status = try await service.status(period: period)
        if caller.role == .site {
            status.sites = status.sites.filter { $0.site == caller.site }
        }
        return try JSONBody.response(status)
    }

    @Sendable func aggregate(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        try Self.requireOffice(context)
        let period = try PeriodQuery.resolve(request.uri.queryParameters["period"].map(String.init), programme: programme,
                                             today: PeriodQuery.day(clock()))
        // Written directly, not by JSONEncoder: the same bytes, in a fraction of the time at national scale.
        let bytes = try await service.aggregate(period: period, options: FunnelOptions()).jsonBytes()
        LargeBlocks.giveBackFreePages()
        return JSONBody.response(bytes: bytes)
    }

    /// How many periods `GET /v1/history` gives unless asked, and the most it gives: ten years of months.
    static let historyPeriods = (default: 24, maximum: 120)

    @Sendable func history(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        try Self.requireOffice(context)
        let query = request.uri.queryParameters
        let period = try PeriodQuery.resolve(query["period"].map(String.init), programme: programme, today: PeriodQuery.day(clock()))
        let count = try Self.periodCount(query["periods"].map(String.init))
        // The encoder of `pioneer aggregate --history --format json`, whose `history` this is.
        let bytes = Array((try ReportJSON.encode(try await service.history(period: period, options: FunnelOptions(), periods: count)) + "\n").utf8)
        LargeBlocks.giveBackFreePages()
        return JSONBody.response(bytes: bytes)
    }

    /// The `?periods=` of the history: a whole number from 1 to the maximum, 24 when absent.
    static func periodCount(_ text: String?) throws(IntakeHTTPError) -> Int {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return historyPeriods.default }
        guard let count = Int(text), (1...historyPeriods.maximum).contains(count) else {
            throw .badRequest("periods: \(quoted(String(text.prefix(40)))) is not a number of periods from 1 to \(historyPeriods.maximum)")
        }
        return count
    }

    @Sendable func dashboard(_ request: Request, context: IntakeRequestContext) async throws -> Response {
        try Self.requireOffice(context)
        let period = try PeriodQuery.resolve(request.uri.queryParameters["period"].map(String.init), programme: programme,
                                             today: PeriodQuery.day(clock()))
        let status = try await service.status(period: period)
        let national = try await service.aggregate(period: period, options: FunnelOptions())
        let history = try await service.history(period: period, options: FunnelOptions())
        let page = DashboardPage(programme: programme, period: period, status: status, national: national, history: history,
                                 periods: DashboardPage.recentPeriods(programme: programme, today: PeriodQuery.day(clock())))
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page.html())))
    }

    // MARK: Helpers

    struct SubmissionList: Encodable {
        var submissions: [SubmissionRecord]
    }

    static func caller(_ context: IntakeRequestContext) throws(IntakeHTTPError) -> Caller {
        // The authentication middleware sets it on every route here; without it, nobody is let in.
        guard let caller = context.caller else { throw .unauthorized(challenge: #"Bearer realm="pioneer""#) }
        return caller
    }

    static func requireOffice(_ context: IntakeRequestContext) throws(IntakeHTTPError) {
        guard try caller(context).role == .office else { throw .officeOnly }
    }

    /// The site a listing is for: a site token's own (asking for another is refused), anyone's for an office token.
    static func site(asked: String?, caller: Caller) throws(IntakeHTTPError) -> String? {
        let asked = asked.flatMap { $0.isEmpty ? nil : $0 }
        guard caller.role == .site else { return asked }
        if let asked, asked != caller.site {
            throw .forbidden("a site token can read only its own site's returns; this token is \(caller.site ?? "no site")'s")
        }
        return caller.site
    }

    /// JSON or ADX from the Content-Type; anything else is a 415 that says what to send.
    static func format(of request: Request) throws(IntakeHTTPError) -> SubmissionFormat {
        // A compressed body would be stored, and refused, as the return's bytes.
        if let coding = request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased(),
           !coding.isEmpty, coding != "identity" {
            throw IntakeHTTPError(status: .unsupportedMediaType,
                                  message: "a return is sent as it is, without a Content-Encoding; this request has Content-Encoding \(quoted(String(coding.prefix(40))))")
        }
        // The same for a transfer coding besides `chunked` (`gzip, chunked`): HTTP undoes only chunking.
        let transfer = request.headers[values: .transferEncoding].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty && $0 != "chunked" && $0 != "identity" }
        if let coding = transfer.first {
            throw IntakeHTTPError(status: .unsupportedMediaType,
                                  message: "a return is sent as it is, chunked or not but not compressed; this request has Transfer-Encoding \(quoted(String(coding.prefix(40))))")
        }
        let declared = request.headers[.contentType] ?? ""
        let mediaType = declared.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        switch mediaType {
        case "application/json": return .json
        case "application/xml", "application/adx+xml": return .adx
        default:
            let named = mediaType.isEmpty ? "no Content-Type" : "Content-Type \(quoted(String(mediaType.prefix(80))))"
            throw IntakeHTTPError(status: .unsupportedMediaType,
                                  message: "a return is sent as application/json, or as application/xml (or application/adx+xml) for ADX; this request has \(named)")
        }
    }

    static func status(of kind: SubmissionOutcome.Kind) -> HTTPResponse.Status {
        switch kind {
        case .created: .created
        case .duplicate: .ok
        case .malformed: .badRequest
        case .forbidden: .forbidden
        case .unprocessable: .unprocessableContent
        }
    }

    /// Text from the request, quoted for a message and cut short.
    static func quoted(_ text: String) -> String {
        "`\(text.prefix(80))`"
    }
}
