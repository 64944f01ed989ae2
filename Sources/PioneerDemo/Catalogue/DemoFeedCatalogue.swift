// Every example site's simulated systems, and how a request is answered: routing, the bearer
// token, conditional requests and the body.
import Crypto
import Foundation
import PioneerKit

/// The simulated local systems of the example sites in `sites/`.
///
/// Answers ``SimulatedRequest``s without networking:
/// - `/<site>/<system>/<endpoint>?<period>` → 200 with JSON or CSV built for that period;
/// - unknown paths → 404 naming what exists; bad period parameters → 400 saying what to send;
/// - Torbay's BI server without `Authorization: Bearer <token>` → 401;
/// - every 200 carries `ETag` and `Last-Modified`; `If-None-Match` or `If-Modified-Since`
///   that match → 304 with no body.
///
/// Data is computed for each request from the site, the endpoint and the months asked
/// for, using seeded generators, so the same request always gets the same bytes.
public struct DemoFeedCatalogue: Sendable {
    /// The token Torbay's BI server accepts unless told otherwise.
    public static let defaultTorbayBIToken = "torbay-demo-token"

    /// The token Torbay's BI server accepts.
    public let torbayBIToken: String
    let systems: [SimulatedSystem]

    public init(torbayBIToken: String = DemoFeedCatalogue.defaultTorbayBIToken) {
        self.torbayBIToken = torbayBIToken
        systems = TorbaySystems.systems(token: torbayBIToken)
            + TowerHamletsSystems.systems()
            + CambridgeSystems.systems()
            + NorthumbriaSystems.systems()
    }

    /// Every endpoint, in site and system order.
    public var endpoints: [DemoFeedEndpoint] {
        systems.flatMap { system in
            system.endpoints.map { endpoint in
                DemoFeedEndpoint(path: system.prefix + endpoint.path, parameters: endpoint.parameters,
                                 summary: endpoint.summary, system: system.title,
                                 requiresToken: system.bearerToken != nil)
            }
        }
    }

    /// The answer to a GET of `request`.
    public func respond(to request: SimulatedRequest) -> SimulatedResponse {
        guard let system = systems.first(where: { request.path == $0.prefix || request.path.hasPrefix($0.prefix + "/") }) else {
            let known = systems.map(\.prefix).joined(separator: ", ")
            return .error(404, "no simulated system at \(request.path); the systems are \(known)")
        }
        if let token = system.bearerToken {
            let presented = request.headers["authorization"].flatMap(DemoFeedCatalogue.bearerToken(in:))
            guard presented == token else {
                let reason = presented == nil ? "this API needs `Authorization: Bearer <token>`" : "the bearer token is not valid"
                return .error(401, reason, headers: ["WWW-Authenticate": "Bearer realm=\"\(system.prefix)\""])
            }
        }
        let rest = String(request.path.dropFirst(system.prefix.count))
        guard let endpoint = system.endpoints.first(where: { $0.path == rest }) else {
            let known = system.endpoints.map { system.prefix + $0.path }.joined(separator: ", ")
            return .error(404, "\(system.title) has nothing at \(request.path); it serves \(known)")
        }
        let body: String
        let query: EndpointQuery
        do throws(EndpointError) {
            query = try EndpointQuery(request.query)
            body = try endpoint.render(query)
        } catch {
            return .error(error.status, error.message)
        }
        let data = Data(body.utf8)
        let etag = "\"" + Self.hexPrefix(of: SHA256.hash(data: data), digits: 20) + "\""
        let lastModified = DemoFeedCatalogue.lastModified(for: query)
        var headers = [
            "ETag": etag,
            "Last-Modified": lastModified.text,
            "Cache-Control": "private, no-cache",
        ]
        if DemoFeedCatalogue.isNotModified(request, etag: etag, lastModified: lastModified) {
            return SimulatedResponse(status: 304, headers: headers)
        }
        headers["Content-Type"] = endpoint.format.contentType
        if endpoint.format == .csv, let file = endpoint.path.split(separator: "/").last {
            headers["Content-Disposition"] = "attachment; filename=\"\(file)\""
        }
        return SimulatedResponse(status: 200, headers: headers, body: data)
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), or nil.
    static func bearerToken(in header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// When the data for `query` was last refreshed: 06:00 UTC on the ninth day after the
    /// last day it covers (clamped to the history), as a nightly extract would be.
    static func lastModified(for query: EndpointQuery) -> HTTPDate {
        let covered = min(max(query.to, DemoHistory.start), DemoHistory.end)
        return HTTPDate(date: covered.adding(days: 9), seconds: 6 * 3600)
    }

    /// The first `digits` lower-case hex digits of `digest`: an entity tag that changes
    /// whenever the body does.
    static func hexPrefix(of digest: some Sequence<UInt8>, digits: Int) -> String {
        let hex = Array("0123456789abcdef")
        var text = ""
        for byte in digest where text.count < digits {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(text.prefix(digits))
    }

    /// RFC 9110: `If-None-Match` decides when present; otherwise `If-Modified-Since`.
    static func isNotModified(_ request: SimulatedRequest, etag: String, lastModified: HTTPDate) -> Bool {
        if let match = request.headers["if-none-match"] {
            let tags = match.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return tags.contains("*") || tags.contains { $0 == etag || $0 == "W/" + etag }
        }
        if let since = request.headers["if-modified-since"].flatMap(HTTPDate.init) {
            return lastModified <= since
        }
        return false
    }
}
