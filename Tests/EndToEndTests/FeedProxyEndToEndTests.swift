// A feed's own `proxy:` carries its requests whatever `no_proxy` in the environment says. This is
// checked on the real binary, given that environment: setting `no_proxy` in the test process
// itself would change it under every other test running at once (libcurl reads the variable on
// each transfer, and Foundation's `Process.run()` copies the environment while `setenv` may be
// moving it, which crashed the test process).
import Foundation
import Hummingbird
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(2)))
struct FeedProxyEndToEndTests {
    /// What the proxy was asked for: the Host and the target of each request.
    private final class Requests: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func record(_ entry: String) { lock.withLock { items.append(entry) } }
        var entries: [String] { lock.withLock { items } }
    }

    @Test func noProxyInTheEnvironmentDoesNotSendAFeedPastTheProxyItNames() async throws {
        let seen = Requests()
        let router = Router()
        router.get("**") { request, _ -> Response in
            seen.record("\(request.head.authority ?? "no host") \(request.uri.path)")
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"value": 7}"#)))
        }
        try await withLoopbackServer(router, label: "pioneer.proxy-e2e") { port in
            try await withTemporaryFolder(prefix: "pioneer-proxy-e2e") { root in
                // The feed's host does not exist: only the proxy can answer for it. With
                // `no_proxy` honoured, libcurl would try to look the name up and fail.
                let yaml = ManyIndicatorsSite.yaml("proxied", baseURL: "http://bi.example.invalid", count: 1)
                    .replacingOccurrences(of: "    base_url: http://bi.example.invalid\n",
                                          with: "    base_url: http://bi.example.invalid\n    proxy: http://127.0.0.1:\(port)\n")
                #expect(yaml.contains("proxy: http://127.0.0.1:\(port)"))
                let folder = root.appendingPathComponent("proxied")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try yaml.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)

                var environment = ProcessInfo.processInfo.environment
                environment["COLUMNS"] = nil
                for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
                    environment[name] = nil
                }
                environment["no_proxy"] = "*"
                environment["NO_PROXY"] = "*"
                let run = try await PioneerBinary.run(
                    ["collect", folder.path, "--period", "2026-05", "--store", root.appendingPathComponent("store.sqlite").path],
                    environment: environment)
                #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
                #expect(seen.entries == ["bi.example.invalid /proxied/1"])
            }
        }
    }
}
