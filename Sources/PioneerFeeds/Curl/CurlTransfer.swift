// One transfer on the libcurl multi handle: its easy handle, options, callbacks and outcome.
import CCurlShim
import Foundation
import PioneerCore
import PioneerKit

/// The state of one request (a GET, or a POST with its body) while libcurl runs it.
///
/// Created by the caller's task, then owned by whoever holds it: the loop's pending
/// queue (under its lock), then the single driver thread, which alone touches the
/// easy handle, the callbacks' buffers and the completion.
final class CurlTransfer: @unchecked Sendable {
    // @unchecked: ownership passes from the submitting task to the driver thread through
    // the loop's locked queue, so no two threads ever use the mutable fields at once.
    // `cancelRequested` is only read or written under the loop's lock.

    typealias Completion = @Sendable (Result<TransportResponse, TransportError>) -> Void

    let id: UInt64
    let request: TransportRequest
    /// `scheme://host:port`, for the per-host limit.
    let hostKey: String
    /// Set by task cancellation; guarded by the loop's lock.
    var cancelRequested = false
    var completion: Completion?

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var body = Data()
    /// Where the body goes once it outgrows ``TransportRequest/bodyInMemoryLimit``.
    private var spill: BodySpill?
    /// Why the body could not be written to its file, when that stopped the transfer.
    private var spillFailure: String?
    private var received = 0
    /// The loop's count of body bytes received by every transfer.
    private let counter: Locked<Int>
    private var headers: [(name: String, value: String)] = []
    private var bodyTooLarge = false

    /// `Pioneer (libcurl 7.88.1)`, worked out once.
    static let userAgent = "Pioneer (libcurl \(String(cString: pc_version())))"

    /// libcurl's CURL_ERROR_SIZE.
    private static let errorBufferSize = 256

    init(id: UInt64, request: TransportRequest, counter: Locked<Int>) {
        self.id = id
        self.request = request
        self.counter = counter
        self.hostKey = FeedURL.hostKey(of: request.url)
        errorBuffer = .allocate(capacity: Self.errorBufferSize)
        errorBuffer.initialize(repeating: 0, count: Self.errorBufferSize)
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Resumes the waiting task; called exactly once by the transfer's current owner.
    func finish(_ result: Result<TransportResponse, TransportError>) {
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }

    // MARK: Setting up the easy handle

    /// Applies every option of the request to `handle`.
    func configure(_ handle: UnsafeMutableRawPointer) throws(TransportError) {
        let request = request
        try set(handle, CURLOPT_URL, request.url, "URL")
        try set(handle, CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
        if let body = request.body {
            let code = body.bytes.withUnsafeBytes { bytes in
                pc_easy_setopt_post(handle, bytes.baseAddress, curl_off_t(bytes.count))
            }
            try check(code, "POST")
        } else {
            try set(handle, CURLOPT_HTTPGET, 1, "HTTPGET")
        }
        try check(pc_easy_allow_http_only(handle), "PROTOCOLS")
        // The feed client follows redirects itself, one transfer per hop, because libcurl
        // would carry custom headers (an `X-Api-Key: ${KEY}`) on to another host.
        try set(handle, CURLOPT_FOLLOWLOCATION, 0, "FOLLOWLOCATION")
        // An empty string asks for every encoding this libcurl can decode (gzip, deflate, br…).
        try set(handle, CURLOPT_ACCEPT_ENCODING, "", "ACCEPT_ENCODING")
        try set(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout), "CONNECTTIMEOUT_MS")
        try set(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout), "TIMEOUT_MS")
        try check(pc_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(0, request.maxBodyBytes))),
                  "MAXFILESIZE_LARGE")
        try set(handle, CURLOPT_USERAGENT, Self.userAgent, "USERAGENT")
        try set(handle, CURLOPT_TCP_KEEPALIVE, 1, "TCP_KEEPALIVE")
        // A 512 KB receive buffer (the most libcurl 7 allows) instead of libcurl's 16 KB: a
        // 700 MB extract then takes a thirty-second of the system calls and write callbacks,
        // and a fifth less of the kernel's time (docs/benchmark.md).
        // Only a speed setting, so a libcurl that refuses it keeps its own size.
        _ = pc_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, Self.receiveBuffer)
        try check(pc_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        try installCallbacks(handle)
        try applyHeaders(handle)
        try applyTLS(handle)
        if let proxy = request.proxy {
            try set(handle, CURLOPT_PROXY, proxy, "PROXY")
            // The feed's proxy carries every request: `no_proxy` in the environment must not
            // send some of them past it.
            try set(handle, CURLOPT_NOPROXY, "", "NOPROXY")
            if let login = request.proxyLogin {
                // libcurl percent-decodes these two (as it would a URL's login): encoded here, a
                // `%41` in a password reaches the proxy as `%41`.
                try set(handle, CURLOPT_PROXYUSERNAME, Self.percentEncoded(login.username), "PROXYUSERNAME")
                try set(handle, CURLOPT_PROXYPASSWORD, Self.percentEncoded(login.password), "PROXYPASSWORD")
            }
        }
        try applyCredentials(handle)
    }

    private func installCallbacks(_ handle: UnsafeMutableRawPointer) throws(TransportError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(pc_easy_setopt_write_callback(handle, { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }, context), "WRITEFUNCTION")
        try check(pc_easy_setopt_header_callback(handle, { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }, context), "HEADERFUNCTION")
    }

    private func applyHeaders(_ handle: UnsafeMutableRawPointer) throws(TransportError) {
        var lines = request.headers.map { header in
            // "Name;" is libcurl's way to send a header with an empty value.
            header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
        }
        if let body = request.body {
            // "Expect:" with no value stops libcurl asking for `100 Continue` before a larger
            // body and then waiting a second for a server that never sends one.
            lines += ["Content-Type: \(body.contentType)", "Expect:"]
        }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                throw TransportError(.transport(code: 27, detail: "out of memory building the request headers"))
            }
            headerList = list
        }
        if let headerList {
            try check(pc_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "HTTPHEADER")
        }
    }

    private func applyTLS(_ handle: UnsafeMutableRawPointer) throws(TransportError) {
        let tls = request.tls
        try set(handle, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1 : 0, "SSL_VERIFYPEER")
        try set(handle, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2 : 0, "SSL_VERIFYHOST")
        if let bundle = tls.caBundle {
            try set(handle, CURLOPT_CAINFO, bundle, "CAINFO")
            // Only the bundle: libcurl would also trust its compiled-in folder of the system's CAs.
            try check(pc_easy_setopt_pointer(handle, CURLOPT_CAPATH, nil), "CAPATH")
        }
        if let certificate = tls.clientCertificate { try set(handle, CURLOPT_SSLCERT, certificate, "SSLCERT") }
        if let key = tls.clientKey { try set(handle, CURLOPT_SSLKEY, key, "SSLKEY") }
        if tls.clientCertificate != nil || tls.clientKey != nil {
            // Always a pass phrase, if only an empty one (the key may be in the certificate's
            // file): without it OpenSSL asks for one on the terminal, from libcurl's thread,
            // and every transfer waits.
            try set(handle, CURLOPT_KEYPASSWD, request.keyPassword ?? "", "KEYPASSWD")
        }
    }

    private func applyCredentials(_ handle: UnsafeMutableRawPointer) throws(TransportError) {
        let scheme: UInt
        let username: String
        let password: String
        switch request.credentials {
        case .none:
            return
        case .basic(let user, let pass):
            (scheme, username, password) = (pc_auth_basic(), user, pass)
        case .ntlm(let user, let pass):
            guard pc_supports_ntlm() != 0 else { throw TransportError(.unsupportedAuth(scheme: "NTLM")) }
            (scheme, username, password) = (pc_auth_ntlm(), user, pass)
        case .negotiate(let user, let pass):
            guard pc_supports_negotiate() != 0 else { throw TransportError(.unsupportedAuth(scheme: "Negotiate")) }
            // libcurl only answers a challenge when a user name is set; an empty one
            // lets GSS-API use the Kerberos ticket cache.
            (scheme, username, password) = (pc_auth_negotiate(), user, pass)
        }
        try set(handle, CURLOPT_HTTPAUTH, Int(bitPattern: scheme), "HTTPAUTH")
        try set(handle, CURLOPT_USERNAME, username, "USERNAME")
        try set(handle, CURLOPT_PASSWORD, password, "PASSWORD")
    }

    private func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int,
                     _ name: String) throws(TransportError) {
        try check(pc_easy_setopt_long(handle, option, value), name)
    }

    private func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String,
                     _ name: String) throws(TransportError) {
        try check(pc_easy_setopt_string(handle, option, value), name)
    }

    private func check(_ code: CURLcode, _ option: String) throws(TransportError) {
        guard code != CURLE_OK else { return }
        let reason = String(cString: curl_easy_strerror(code))
        throw TransportError(.transport(code: Int(code.rawValue), detail: "libcurl rejected option \(option): \(reason)"))
    }

    /// `text` with every byte but RFC 3986's unreserved ones percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }

    /// libcurl's receive buffer for each transfer, in bytes.
    private static let receiveBuffer = 512 * 1024

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return max(1, Int((seconds * 1000).rounded()))
    }

    // MARK: Callbacks (driver thread)

    /// Keeps body bytes, in memory up to the request's `bodyInMemoryLimit` and in a temporary
    /// file beyond it; returns fewer bytes than given to make libcurl stop at `max_body` or
    /// when the file cannot be written.
    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard received + bytes.count <= request.maxBodyBytes else {
            bodyTooLarge = true
            return 0
        }
        received += bytes.count
        counter.withLock { $0 += bytes.count }
        if spill == nil, body.count + bytes.count > request.bodyInMemoryLimit {
            switch BodySpill.create() {
            case .success(let created):
                let written = body.withUnsafeBytes { created.write($0) }
                body = Data()
                spill = created
                guard written else { return stopSpilling() }
            case .failure(let failure):
                spillFailure = failure.message
                return 0
            }
        }
        if let spill {
            return spill.write(bytes) ? bytes.count : stopSpilling()
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    private func stopSpilling() -> Int {
        spillFailure = spill?.failure
        spill = nil
        return 0
    }

    /// Records a header line. A status line starts a new response (after an auth
    /// challenge or a proxy CONNECT), so the earlier headers and body are dropped.
    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        // A status line has a space before any colon; a header or trailer name cannot (a
        // trailer field named `HTTP/x` must not start a new response and wipe the body).
        let space = bytes.firstIndex(of: UInt8(ascii: " "))
        let colon = bytes.firstIndex(of: UInt8(ascii: ":"))
        // And only before the body: after it, libcurl passes a chunked body's trailer here, and
        // libcurl drops the body of an answer it will ask again after (an auth challenge).
        if received == 0, bytes.starts(with: "HTTP/".utf8), let space, colon.map({ space < $0 }) ?? true {
            headers.removeAll()
            body.removeAll(keepingCapacity: true)
            spill = nil
            received = 0
            return
        }
        // Once the body has begun, header lines are a chunked body's trailer, not this
        // response's headers: a trailing `ETag` must not become a validator.
        guard received == 0 else { return }
        // Header names are ASCII tokens: split at the first colon on the bytes.
        guard let colon else { return }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<colon]), as: UTF8.self)
            .trimmingWhitespace().lowercasedFast()
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(colon + 1)...]), as: UTF8.self)
            .trimmingWhitespace()
        headers.append((name, value))
    }

    // MARK: Outcome (driver thread)

    /// The response, or the cause of failure, once libcurl reports the transfer done.
    func outcome(_ handle: UnsafeMutableRawPointer, code: CURLcode) -> Result<TransportResponse, TransportError> {
        if let spillFailure {
            spill = nil
            return .failure(TransportError(.transport(code: Int(CURLE_WRITE_ERROR.rawValue), detail: spillFailure)))
        }
        guard code == CURLE_OK else {
            spill = nil
            var connectTime: curl_off_t = 0
            var received: curl_off_t = 0
            var expected: curl_off_t = -1
            _ = pc_easy_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connectTime)
            _ = pc_easy_getinfo_off_t(handle, CURLINFO_SIZE_DOWNLOAD_T, &received)
            _ = pc_easy_getinfo_off_t(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected)
            var osError = 0
            _ = pc_easy_getinfo_long(handle, CURLINFO_OS_ERRNO, &osError)
            // A reused keep-alive connection has no connect time: the request having gone says
            // it was connected (a slow answer on it was "could not connect: timed out").
            var requestSize = 0
            _ = pc_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestSize)
            var detail = String(cString: errorBuffer).trimmingWhitespace()
            if detail.isEmpty { detail = String(cString: curl_easy_strerror(code)) }
            let context = CurlFailure.Context(
                detail: detail, request: request, connected: connectTime > 0 || requestSize > 0, osError: Int32(truncatingIfNeeded: osError),
                received: Int(received),
                expected: expected >= 0 ? Int(expected) : nil, bodyTooLarge: bodyTooLarge
            )
            return .failure(TransportError(CurlFailure.cause(code: Int(code.rawValue), context: context)))
        }
        var status = 0
        var connections = 0
        var effective: UnsafePointer<CChar>?
        _ = pc_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = pc_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connections)
        _ = pc_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        var joined: [String: String] = [:]
        for (name, value) in headers {
            joined[name] = joined[name].map { $0 + ", " + value } ?? value
        }
        var bodyFile: ReceivedBodyFile?
        if let spill {
            self.spill = nil
            guard let finished = spill.finish() else {
                return .failure(TransportError(.transport(code: Int(CURLE_WRITE_ERROR.rawValue),
                                                          detail: spill.failure ?? "cannot write the body to its temporary file")))
            }
            bodyFile = finished
        }
        return .success(TransportResponse(
            status: status, headers: joined, body: body, bodyFile: bodyFile,
            effectiveURL: effective.map { String(cString: $0) } ?? request.url,
            connectionsOpened: connections
        ))
    }
}
