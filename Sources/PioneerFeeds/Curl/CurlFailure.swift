// Translating libcurl's error codes into the plain-English causes users read.
import Foundation
import PioneerCore

/// Maps a failed libcurl transfer to a ``FeedError/Cause``.
enum CurlFailure {
    /// What the transfer knew when it failed.
    struct Context {
        /// libcurl's own message from the error buffer; may be empty.
        var detail: String
        var request: TransportRequest
        /// True once a connection to the server (or proxy) was made.
        var connected: Bool
        /// The system error behind a failed connect (`ECONNREFUSED`…), 0 when none.
        var osError: Int32 = 0
        /// Body bytes received, and the length the server announced (nil when unknown).
        var received: Int
        var expected: Int?
        /// True when the write callback stopped the transfer at `max_body`.
        var bodyTooLarge: Bool
    }

    /// The cause for libcurl error `code` (a `CURLcode`).
    static func cause(code: Int, context: Context) -> FeedError.Cause {
        let detail = context.detail
        // A server that wants a client certificate says so with a TLS alert, which libcurl
        // reports as a handshake, send or receive error (TLS 1.3 sends it after the
        // handshake). It will not fix itself, so it is a TLS problem, never retried.
        if [35, 55, 56].contains(code), detail.contains("certificate required") {
            let advice = context.request.tls.clientCertificate == nil
                ? "set tls.client_certificate and tls.client_key"
                : "it did not accept \(context.request.tls.clientCertificate ?? "")"
            return .tls("the server requires a client certificate; \(advice) (\(detail))")
        }
        // libcurl reports a proxy's refusal of a CONNECT as a receive (or handshake) error:
        // "CONNECT tunnel failed, response 407".
        if let range = detail.range(of: "CONNECT tunnel failed, response ") {
            let digits = detail[range.upperBound...].prefix(while: \.isNumber)
            if let status = Int(digits) { return .proxyRefused(status: status) }
        }
        // A client key that is encrypted, read without its pass phrase (or with a wrong one).
        if code == 58, let key = context.request.tls.clientKey ?? context.request.tls.clientCertificate,
           CurlTLSFiles.isEncryptedKey(atPath: key) {
            return .tls(context.request.keyPassword == nil
                ? "the client key \(key) is encrypted; give its pass phrase with `client_key_password: ${VARIABLE}` in the feed's tls"
                : "the client key \(key) is encrypted, and the pass phrase given does not open it")
        }
        // Any other TLS alert the server sends mid-exchange (`tlsv1 alert unknown ca`: it does
        // not trust the client certificate) is a TLS problem too: it will not fix itself.
        if [55, 56].contains(code), detail.contains(" alert ") {
            let certificate = context.request.tls.clientCertificate
            return .tls((certificate.map { "the server refused the client certificate \($0)" } ?? "the server ended the TLS session")
                        + " (\(detail))")
        }
        // More response header than libcurl takes: the same answer comes every time.
        if code == 56, detail.contains("Too large response headers") {
            return .transport(code: code, detail: "the server's response headers are larger than libcurl accepts (\(detail))")
        }
        switch code {
        case 1, 3:  // CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT
            return .invalidURL(detail.isEmpty ? "libcurl cannot use this URL" : detail)
        case 5:  // CURLE_COULDNT_RESOLVE_PROXY
            return .proxy("could not resolve the proxy host" + (context.request.proxy.map { " of \(FeedURL.redact($0))" } ?? ""))
        case 6:  // CURLE_COULDNT_RESOLVE_HOST
            return .couldNotResolveHost(host(of: context.request.url))
        case 7:  // CURLE_COULDNT_CONNECT
            // Through the feed's proxy, the connection that failed is the proxy's, not the server's.
            if let proxy = context.request.proxy, !proxy.isEmpty {
                let why = context.osError != 0 ? String(cString: strerror(context.osError)).lowercased() : "could not connect"
                return .proxy("could not connect to the proxy \(FeedURL.redact(proxy)) (\(why))")
            }
            // A proxy from the environment (`https_proxy`…) is the one that could not be reached.
            if let (variable, proxy) = environmentProxy(for: context.request.url) {
                let why = context.osError != 0 ? String(cString: strerror(context.osError)).lowercased() : "could not connect"
                return .proxy("could not connect to the proxy \(FeedURL.redact(proxy)) named by `\(variable)` in the environment (\(why))")
            }
            // libcurl 7.88's message says only "Couldn't connect to server"; errno says why.
            if context.osError == ECONNREFUSED || detail.lowercased().contains("refused") { return .connectionRefused }
            if context.osError != 0 { return .couldNotConnect(String(cString: strerror(context.osError))) }
            return .couldNotConnect(detail.isEmpty ? "no route to the server" : detail)
        case 16, 92:  // CURLE_HTTP2, CURLE_HTTP2_STREAM
            return .connectionLost("the HTTP/2 connection failed (\(detail))")
        case 18:  // CURLE_PARTIAL_FILE
            return .truncatedBody(received: context.received, expected: context.expected)
        case 23, 63:  // CURLE_WRITE_ERROR (stopped by the write callback), CURLE_FILESIZE_EXCEEDED
            if context.bodyTooLarge || code == 63 { return .bodyTooLarge(limit: context.request.maxBodyBytes) }
            return .transport(code: code, detail: detail.isEmpty ? "could not store the body" : detail)
        case 28:  // CURLE_OPERATION_TIMEDOUT
            if context.connected { return .timedOut(seconds: context.request.timeout) }
            return .connectTimedOut(seconds: min(context.request.connectTimeout, context.request.timeout))
        case 35:  // CURLE_SSL_CONNECT_ERROR
            // OpenSSL's "wrong version number": the answer to the TLS hello was plain HTTP.
            if detail.contains("wrong version number") || detail.contains("packet length too long") {
                return .tls("the server does not speak TLS on this port (is the URL meant to be http://?)")
            }
            return .tls("handshake failed (\(detail))")
        case 42:  // CURLE_ABORTED_BY_CALLBACK
            return .cancelled
        case 52:  // CURLE_GOT_NOTHING
            return .connectionLost("the server closed the connection without replying")
        case 55:  // CURLE_SEND_ERROR
            return .connectionLost("the connection broke while sending the request (\(detail))")
        case 56:  // CURLE_RECV_ERROR
            return .connectionLost("the connection broke while receiving the response (\(detail))")
        case 58:  // CURLE_SSL_CERTPROBLEM
            let certificate = context.request.tls.clientCertificate ?? "the client certificate"
            return .tls("cannot use client certificate \(certificate) (\(detail))")
        case 60:  // CURLE_PEER_FAILED_VERIFICATION
            return .tls("certificate not trusted" + reason(detail))
        case 61:  // CURLE_BAD_CONTENT_ENCODING
            return .badContentEncoding(detail)
        case 77:  // CURLE_SSL_CACERT_BADFILE
            let bundle = context.request.tls.caBundle ?? "the system CA bundle"
            return .tls("cannot read CA bundle \(bundle)")
        case 53, 54, 59, 64, 66, 80, 82, 83, 90, 91, 98:  // other CURLE_SSL_* and CURLE_USE_SSL_FAILED
            return .tls(detail.isEmpty ? "error \(code)" : detail)
        case 27:  // CURLE_OUT_OF_MEMORY: also what libcurl 7 says of a header line over 100 KB
            return .transport(code: code, detail: "libcurl ran out of memory, or the server sent a header line longer than "
                              + "libcurl accepts (100 KB)")
        case 97:  // CURLE_PROXY
            // A SOCKS proxy that refuses the login: never retried, as for a 407.
            if detail.contains("User was rejected") || detail.contains("authentication") && detail.contains("SOCKS") {
                return .proxyLoginRefused
            }
            return .proxy(detail.isEmpty ? "the proxy refused the request" : detail)
        default:
            return .transport(code: code, detail: detail.isEmpty ? "transfer failed" : detail)
        }
    }

    /// The proxy libcurl takes from the environment for `url`, and the variable it came from:
    /// `http_proxy` for http, `https_proxy` or `HTTPS_PROXY` for https, else `all_proxy` or
    /// `ALL_PROXY`; nil when none is set or `no_proxy` names the host (roughly: `*`, or a suffix).
    static func environmentProxy(for url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (variable: String, proxy: String)? {
        let https = url.lowercased().hasPrefix("https:")
        let names = (https ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]) + ["all_proxy", "ALL_PROXY"]
        guard let name = names.first(where: { !(environment[$0] ?? "").isEmpty }), let proxy = environment[name] else { return nil }
        let host = FeedURL.origin(of: url)?.host ?? ""
        let exempt = (environment["no_proxy"] ?? environment["NO_PROXY"] ?? "").split(separator: ",").contains { entry in
            let entry = entry.trimmingCharacters(in: .whitespaces).lowercased()
            let bare = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            return entry == "*" || host == bare || host.hasSuffix("." + bare)
        }
        return exempt ? nil : (name, proxy)
    }

    /// " (self-signed certificate)" from libcurl's "SSL certificate problem: self-signed certificate".
    private static func reason(_ detail: String) -> String {
        let prefix = "SSL certificate problem: "
        if detail.hasPrefix(prefix) { return " (\(detail.dropFirst(prefix.count)))" }
        return detail.isEmpty ? "" : " (\(detail))"
    }

    private static func host(of url: String) -> String {
        let key = FeedURL.hostKey(of: url)
        guard let range = key.range(of: "://") else { return key }
        return String(key[range.upperBound...])
    }
}
