// Following redirects one hop at a time, so that secrets stay with the feed's own origin.
import Foundation
import PioneerCore

/// One attempt's walk along a chain of redirects: the request for the current hop, the
/// `Location`s seen so far, and whether the chain has left the feed's origin.
///
/// libcurl could follow redirects itself, but it only keeps `Authorization`, `Cookie` and
/// its own credentials from another host: a configured `X-Api-Key: ${KEY}` would go
/// along. Here each hop is decided afresh: once a redirect leads to another origin
/// (scheme, host or port), every secret header (see ``TransportRequest/Header/isSecret``)
/// and the basic, NTLM or Negotiate credentials are dropped for that hop and every
/// hop after it, even one that comes back to the feed's origin. A feed's `tls.verify: false`
/// stays with its origin too: every hop from there on has its certificate checked.
struct RedirectChain: Sendable {
    /// The request to send for the current hop.
    private(set) var request: TransportRequest
    /// Redirects followed so far.
    private(set) var hops = 0
    /// True once a hop has gone to another origin (and the secrets were dropped).
    private(set) var leftOrigin = false
    /// The first hop's URL: its origin is the feed's, worked out only when a redirect comes
    /// (parsing every request's URL for it was a fiftieth of collecting many small feeds).
    private let startURL: String
    private let limit: Int
    /// The `Location` values seen, as the server wrote them, for the loop message.
    private var locations: [String] = []

    /// What to do with a response.
    enum Next: Sendable {
        /// The response is the answer (not a redirect, or `max_redirects` is 0).
        case final
        /// Send ``request`` next; `dropped` names the headers and credentials left behind.
        case follow(dropped: [String])
        /// The redirect cannot be followed.
        case fail(FeedError.Cause)
    }

    /// The redirect statuses followed; a `GET` stays a `GET` for all of them.
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// Starts a chain at `request`, following at most `limit` redirects.
    init(_ request: TransportRequest, limit: Int) {
        self.request = request
        self.limit = limit
        startURL = request.url
    }

    /// Decides what follows `response` to the current hop, and moves to the next hop when it is a redirect.
    mutating func next(after response: TransportResponse) -> Next {
        guard limit > 0, Self.redirectStatuses.contains(response.status) else { return .final }
        guard let location = response.headers["location"]?.trimmingWhitespace(), !location.isEmpty else {
            // A redirect with nowhere to go: said so, rather than a bare "HTTP 302 Found".
            let reason = HTTPStatusText.reason(for: response.status)
            return .fail(.invalidURL("HTTP \(response.status)\(reason.isEmpty ? "" : " " + reason) redirects without a Location header to follow"))
        }
        locations.append(location)
        guard hops < limit else {
            return .fail(.tooManyRedirects(limit: limit, loop: Self.loop(in: locations)))
        }
        guard let target = Self.resolve(location, against: request.url) else {
            return .fail(.invalidURL("redirected to \(FeedURL.redact(location)), which is not a valid URL"))
        }
        guard FeedURL.hasHTTPScheme(target) else {
            return .fail(.invalidURL("redirected to \(FeedURL.redact(target)), which is not an http or https URL"))
        }
        hops += 1
        let origin = FeedURL.origin(of: startURL)
        let sameOrigin = origin != nil && FeedURL.origin(of: target) == origin
        guard leftOrigin || !sameOrigin else {
            request.url = target
            return .follow(dropped: [])
        }
        var dropped = request.headers.filter(\.isSecret).map(\.name)
        if request.credentials != .none { dropped.append("\(request.credentials)") }
        leftOrigin = true
        request = request.withoutSecrets(url: target)
        // `verify: false` is for the feed's own server (a test feed, a tunnel on this machine):
        // another origin's certificate is checked, as any feed's is.
        request.tls.verify = true
        return .follow(dropped: dropped)
    }

    /// `location` made absolute against `base`, without a fragment; nil when it is not a URL.
    static func resolve(_ location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let url = URL(string: location, relativeTo: baseURL)?.absoluteURL,
              var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              components.scheme != nil else { return nil }
        components.fragment = nil
        return components.string
    }

    /// The repeating part of a redirect chain, or nil when no URL repeats.
    static func loop(in locations: [String]) -> [String]? {
        for (index, location) in locations.enumerated() {
            if let again = locations[(index + 1)...].firstIndex(of: location) {
                return locations[index...again].map(FeedURL.redact)
            }
        }
        return nil
    }
}
