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
    let process: Process

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

        let port = try await LoopbackServer.closedPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet"]
            + clientArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it accepts connections (a plain TCP connect is enough).
        for _ in 0..<100 {
            if canConnect(port: port) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return TLSServer(certificate: certificate, clientCertificate: clientCertificate, clientKey: clientKey,
                         port: port, process: process)
    }

    /// Stops the server and waits for it without blocking a thread (a blocking wait would
    /// hold one of the few cooperative threads the other tests need).
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            if process.isRunning {
                // SIGKILL: a child started from the test runner may inherit SIGTERM blocked.
                kill(process.processIdentifier, SIGKILL)
            } else {
                process.terminationHandler = nil
                continuation.resume()
            }
        }
    }

    private static func run(_ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard process.terminationStatus == 0 else {
            throw TLSTestError("openssl \(arguments.first ?? "") failed with status \(process.terminationStatus)")
        }
    }

    private static func canConnect(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

private struct TLSTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("TLS against a real server", .serialized, .timeLimit(.minutes(1)),
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
        try await withServer(host: "127.0.0.1", requireClientCertificate: true) { server in
            var feed = testFeed("https://127.0.0.1:\(server.port)", retries: 2)
            feed.tls = FeedTLS(caBundle: server.certificate)
            let error = try #require(await fetch(feed).failure)
            #expect(error.description.contains("failed: TLS: the server requires a client certificate; set tls.client_certificate and tls.client_key ("),
                    "\(error)")
            #expect(error.attempts == 1, "not retried")

            feed.tls = FeedTLS(caBundle: server.certificate, clientCertificate: server.clientCertificate,
                               clientKey: server.clientKey)
            let fetched = try #require(await fetch(feed).success)
            #expect(fetched.status == 200)
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
