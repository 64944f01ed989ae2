// Where `pioneer submit` posts: the service's base URL given with --to, checked, and its returns endpoint.
import ArgumentParser
import Foundation
import PioneerFeeds

/// The endpoint returns are posted to, worked out from `--to`.
struct SubmitTarget {
    /// `<base>/v1/returns`.
    let endpoint: String
    /// The endpoint as messages show it.
    var shownURL: String { FeedURL.redact(endpoint) }
    /// Set when the token would cross a network in clear.
    let plainHTTPWarning: String?

    /// The path every return is posted to, under the base URL.
    static let returnsPath = "/v1/returns"

    init(_ text: String) throws(ValidationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw ValidationError("--to must be an http or https URL, such as https://intake.example.nhs.uk, got `\(text)`")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ValidationError("--to `\(text)` has no host")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw ValidationError("--to `\(text)`: port \(port) is not a port; ports run from 1 to 65535")
        }
        guard components.user == nil, components.password == nil else {
            throw ValidationError("--to must not carry a user or password: the token is read from \(SubmitCommand.tokenVariable)")
        }
        guard components.query == nil, components.fragment == nil else {
            throw ValidationError("--to `\(text)` has a query or fragment; give the service's base URL")
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        if !path.hasSuffix(Self.returnsPath) { path += Self.returnsPath }
        var endpoint = components
        endpoint.path = path
        guard let url = endpoint.string else {
            throw ValidationError("--to `\(text)` is not a URL pioneer can post to")
        }
        self.endpoint = url
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
        plainHTTPWarning = scheme == "http" && !loopback
            ? "\(text) is plain http: the token and the return cross the network unencrypted; use https"
            : nil
    }
}
