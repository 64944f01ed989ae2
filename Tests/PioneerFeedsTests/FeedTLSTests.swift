// TLS against a real TLS server on 127.0.0.1: `openssl s_server` (the openssl package is
// installed by scripts/install-system-packages.sh) with a certificate made for the test.
import Foundation
import PioneerCore
import PioneerTesting
import Testing
@testable import PioneerFeeds

/// A throwaway certificate authority-free TLS server: a self-signed certificate for
/// `host`, served by `openssl s_server -www` (which answers any GET with an HTML page).
private struct TLSServer {
    let certificate: String
    /// A client certificate and key the server accepts, when it requires one.
    let clientCertificate: String
    let clientKey: String
    let port: Int
    let process: StartedProcess

    /// Starts the server with its certificates in `folder`; `host` is the name the certificate is
    /// made out to. With `requireClientCertificate`, the server refuses clients without ``clientCertificate``.
    static func start(host: String, in folder: URL, requireClientCertificate: Bool = false) async throws -> TLSServer {
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let subjectAltName = host.first?.isNumber == true ? "IP:\(host)" : "DNS:\(host)"
        try await run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                 "-subj", "/CN=\(host)", "-addext", "subjectAltName=\(subjectAltName)"])

        let clientCertificate = folder.appendingPathComponent("client-cert.pem").path
        let clientKey = folder.appendingPathComponent("client-key.pem").path
        var clientArguments: [String] = []
        if requireClientCertificate {
            try await run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", clientKey, "-out", clientCertificate,
                           "-days", "1", "-subj", "/CN=pioneer-client"])
            clientArguments = ["-Verify", "1", "-verify_return_error", "-CAfile", clientCertificate]
        }

        // Port 0: s_server takes a free port and prints `ACCEPT 127.0.0.1:PORT` once listening,
        // so no other test can take the port between choosing it and binding it.
        let output = folder.appendingPathComponent("s_server.out")
        let errors = folder.appendingPathComponent("s_server.err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key, "-www"]
            + clientArguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        let server = try StartedProcess.start(process)
        var port: Int?
        let deadline = Date().addingTimeInterval(60)
        while port == nil, Date() < deadline, server.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT 127.0.0.1:") }) {
                port = Int(line.dropFirst("ACCEPT 127.0.0.1:".count))
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        guard let port else {
            _ = await server.exit(within: 0)
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw TLSTestError("openssl s_server did not start listening: \(said)")
        }
        return TLSServer(certificate: certificate, clientCertificate: clientCertificate, clientKey: clientKey,
                         port: port, process: server)
    }

    /// Stops the server and waits for it without blocking a thread (a blocking wait would
    /// hold one of the few cooperative threads the other tests need).
    func stop() async {
        // SIGKILL: a child started from the test runner may inherit SIGTERM blocked.
        _ = await process.exit(within: 0)
    }

    fileprivate static func run(_ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let end = try await StartedProcess.start(process).exit(within: 120)
        guard end.status == 0, !end.timedOut else {
            throw TLSTestError("openssl \(arguments.first ?? "") failed with status \(end.status)")
        }
    }

}

private struct TLSTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("TLS against a real server", .serialized, .timeLimit(.minutes(5)),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
                "needs /usr/bin/openssl (scripts/install-system-packages.sh installs it)"))
struct FeedTLSTests {
    private func fetch(_ feed: FeedDefinition) async -> Result<FeedFetchResult, FeedError> {
        await FeedClient(environment: [:]).fetch(FeedFetchRequest(feed: feed, url: feed.baseURL + "/"))
    }

    /// Runs `body` against a fresh server for `host`, stopping it and removing its certificates
    /// afterwards whatever happens.
    private func withServer(host: String, requireClientCertificate: Bool = false,
                            _ body: (TLSServer) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-tls") { folder in
            let server = try await TLSServer.start(host: host, in: folder, requireClientCertificate: requireClientCertificate)
            do {
                try await body(server)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }

    @Test("a certificate no CA vouches for is refused: TLS: certificate not trusted")
    func untrustedCertificate() async throws {
        try await withServer(host: "127.0.0.1") { server in
            let feed = testFeed("https://127.0.0.1:\(server.port)", retries: 2)
            let error = try #require(await fetch(feed).failure)
            #expect(error.description.hasPrefix("feed \"bi\": GET https://127.0.0.1:\(server.port)/ failed: TLS: certificate not trusted"),
                    "\(error)")
            #expect(error.attempts == 1, "TLS problems are not retried")
        }
    }

    @Test("with the server's certificate as ca_bundle the feed is fetched")
    func trustedThroughCABundle() async throws {
        try await withServer(host: "127.0.0.1") { server in
            var feed = testFeed("https://127.0.0.1:\(server.port)")
            feed.tls = FeedTLS(caBundle: server.certificate)
            let fetched = try #require(await fetch(feed).success)
            #expect(fetched.status == 200)
            #expect(String(decoding: fetched.body, as: UTF8.self).contains("s_server"))
        }
    }

    @Test("a trusted certificate for another host name is refused")
    func wrongHostName() async throws {
        try await withServer(host: "bi.other.example") { server in
            var feed = testFeed("https://127.0.0.1:\(server.port)")
            feed.tls = FeedTLS(caBundle: server.certificate)
            let error = try #require(await fetch(feed).failure)
            #expect(error.description.contains("failed: TLS: certificate not trusted"), "\(error)")
        }
    }

    @Test("verify: false fetches despite an untrusted certificate")
    func verificationOff() async throws {
        try await withServer(host: "127.0.0.1") { server in
            var feed = testFeed("https://127.0.0.1:\(server.port)")
            feed.tls = FeedTLS(verify: false)
            let fetched = try #require(await fetch(feed).success)
            #expect(fetched.status == 200)
        }
    }

    @Test("a server that requires a client certificate refuses the feed without one and accepts it with one")
    func clientCertificate() async throws {
        // TLS 1.3 sends the server's "certificate required" alert after the handshake, and the
        // server then closes with the client's request unread, so the kernel may send a reset
        // that overtakes the alert (seen under heavy load). Then the client can only say the
        // connection was reset; a fresh server is tried again, up to three times.
        var refusal: FeedError?
        for _ in 0..<3 {
            try await withServer(host: "127.0.0.1", requireClientCertificate: true) { server in
                var feed = testFeed("https://127.0.0.1:\(server.port)", retries: 2)
                feed.tls = FeedTLS(caBundle: server.certificate)
                refusal = try #require(await fetch(feed).failure)
            }
            if let refusal, !refusal.description.contains("Connection reset by peer") { break }
        }
        let error = try #require(refusal)
        #expect(error.description.contains("failed: TLS: the server requires a client certificate; set tls.client_certificate and tls.client_key ("),
                "\(error)")
        #expect(error.attempts == 1, "not retried")

        try await withServer(host: "127.0.0.1", requireClientCertificate: true) { server in
            var feed = testFeed("https://127.0.0.1:\(server.port)", retries: 2)
            feed.tls = FeedTLS(caBundle: server.certificate, clientCertificate: server.clientCertificate,
                               clientKey: server.clientKey)
            let result = await fetch(feed)
            #expect(result.success?.status == 200, "\(String(describing: result.failure))")
        }
    }

    @Test("an encrypted client key is used with client_key_password, and without it fails at once saying it is encrypted")
    func encryptedClientKey() async throws {
        try await withServer(host: "127.0.0.1", requireClientCertificate: true) { server in
            let encrypted = URL(fileURLWithPath: server.clientKey).deletingLastPathComponent()
                .appendingPathComponent("client-key-encrypted.pem").path
            try await TLSServer.run(["pkey", "-in", server.clientKey, "-out", encrypted, "-aes256", "-passout", "pass:k3y p@ss"])
            var feed = testFeed("https://127.0.0.1:\(server.port)", retries: 2)
            feed.tls = FeedTLS(caBundle: server.certificate, clientCertificate: server.clientCertificate, clientKey: encrypted)
            // Without a pass phrase OpenSSL asked for one on the terminal, and every transfer waited.
            let started = ContinuousClock.now
            let error = try #require(await fetch(feed).failure)
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(error.description.contains("failed: TLS: the client key \(encrypted) is encrypted; give its pass phrase with `client_key_password: ${VARIABLE}` in the feed's tls"),
                    "\(error)")
            #expect(error.attempts == 1)

            feed.tls.clientKeyPassword = secret("KEY_PASS")
            let wrong = await FeedClient(environment: ["KEY_PASS": "not it"]).fetch(FeedFetchRequest(feed: feed, url: feed.baseURL + "/"))
            #expect(wrong.failure?.description.contains("is encrypted, and the pass phrase given does not open it") == true,
                    "\(String(describing: wrong.failure))")
            let right = await FeedClient(environment: ["KEY_PASS": "k3y p@ss"]).fetch(FeedFetchRequest(feed: feed, url: feed.baseURL + "/"))
            #expect(right.success?.status == 200, "\(String(describing: right.failure))")

            // The encrypted key in the certificate's own file, no client_key: no prompt either.
            let combined = URL(fileURLWithPath: encrypted).deletingLastPathComponent().appendingPathComponent("client-both.pem").path
            let both = try String(contentsOfFile: server.clientCertificate, encoding: .utf8) + (try String(contentsOfFile: encrypted, encoding: .utf8))
            try both.write(toFile: combined, atomically: true, encoding: .utf8)
            var single = testFeed("https://127.0.0.1:\(server.port)", retries: 2)
            single.tls = FeedTLS(caBundle: server.certificate, clientCertificate: combined)
            let alone = try #require(await fetch(single).failure)
            #expect(alone.description.contains("TLS: the client key \(combined) is encrypted"), "\(alone)")
            single.tls.clientKeyPassword = secret("KEY_PASS")
            let opened = await FeedClient(environment: ["KEY_PASS": "k3y p@ss"]).fetch(FeedFetchRequest(feed: single, url: single.baseURL + "/"))
            #expect(opened.success?.status == 200, "\(String(describing: opened.failure))")
        }
    }

    @Test("a client certificate file that cannot be read is reported by name")
    func unreadableClientCertificate() async throws {
        try await withServer(host: "127.0.0.1", requireClientCertificate: true) { server in
            var feed = testFeed("https://127.0.0.1:\(server.port)")
            feed.tls = FeedTLS(caBundle: server.certificate, clientCertificate: "/nonexistent/client.pem",
                               clientKey: server.clientKey)
            let error = try #require(await fetch(feed).failure)
            #expect(error.description.contains("TLS: cannot use client certificate /nonexistent/client.pem"), "\(error)")
        }
    }
}
