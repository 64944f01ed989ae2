// A bare TCP connection to the server on 127.0.0.1, for what an HTTP client library will not
// do on purpose: send a body slowly, or stop half-way.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

// @unchecked: the descriptor is a constant; one test uses a connection at a time.
final class RawHTTPConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socketFD: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            _ = Glibc.close(fd)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        socketFD = fd
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socketFD, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            sent += count
        }
    }

    /// Everything the server sends until it closes the connection or a whole response (by
    /// Content-Length) has arrived, waiting at most `timeout`. The wait blocks a thread, so it
    /// runs on a dispatch queue: blocking the few cooperative threads would stall the server
    /// under test, which runs on them too.
    func readResponse(timeout: Duration) async -> String {
        await withCheckedContinuation { continuation in
            // A thread of its own: the read blocks, and on Linux a global queue shares the
            // cooperative pool's few threads (the server's own timeouts then ran late).
            Thread.detachNewThread {
                continuation.resume(returning: self.blockingRead(timeout: timeout))
            }
        }
    }

    /// Everything the server sends until it closes the connection, waiting at most `timeout`;
    /// `closed` is false when the time ran out with the connection still open.
    func readUntilClosed(timeout: Duration) async -> (text: String, closed: Bool) {
        await withCheckedContinuation { continuation in
            // A thread of its own: the read blocks, and on Linux a global queue shares the
            // cooperative pool's few threads (the server's own timeouts then ran late).
            Thread.detachNewThread {
                continuation.resume(returning: self.blockingRead(timeout: timeout, untilClosed: true))
            }
        }
    }

    private func blockingRead(timeout: Duration) -> String {
        blockingRead(timeout: timeout, untilClosed: false).text
    }

    private func blockingRead(timeout: Duration, untilClosed: Bool) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received += buffer[0..<count]
            if !untilClosed, Self.isComplete(received) { break }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    static func isComplete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return false }
        return text[end.upperBound...].utf8.count >= length
    }

    func close() {
        _ = Glibc.close(socketFD)
    }
}
