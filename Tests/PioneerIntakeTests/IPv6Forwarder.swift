// A TCP forwarder from a port on [::1] to a port on 127.0.0.1: the test PostgreSQL listens on
// IPv4 loopback only, and a URL naming the IPv6 address reaches it through this.
import Foundation
import PioneerTesting

/// Accepts connections on [::1] and copies each, both ways, to 127.0.0.1:`target`.
final class IPv6Forwarder: @unchecked Sendable {
    // @unchecked: `listener` and `port` are set once in init; each connection's threads own its sockets.
    /// The port on [::1].
    let port: Int
    private let listener: Int32

    init(to target: Int) throws {
        let listener = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw HarnessError("cannot open an IPv6 socket") }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(listener, generic, length) == 0 && getsockname(listener, generic, &length) == 0
            }
        }
        guard bound, listen(listener, 16) == 0 else {
            Foundation.close(listener)
            throw HarnessError("cannot listen on [::1] (is IPv6 loopback configured?)")
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin6_port))
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                let server = Self.connectIPv4Loopback(target)
                guard server >= 0 else {
                    Foundation.close(client)
                    continue
                }
                // Both sockets are closed once both directions have ended.
                let both = DispatchGroup()
                both.enter()
                both.enter()
                Thread.detachNewThread { Self.copy(from: client, to: server); both.leave() }
                Thread.detachNewThread { Self.copy(from: server, to: client); both.leave() }
                both.notify(queue: .global()) {
                    Foundation.close(client)
                    Foundation.close(server)
                }
            }
        }
    }

    /// Stops accepting; connections under way end when either side closes.
    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Foundation.close(listener)
    }

    private static func connectIPv4Loopback(_ port: Int) -> Int32 {
        let connection = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                connect(connection, generic, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            Foundation.close(connection)
            return -1
        }
        return connection
    }

    /// Copies until `source` ends, then ends the other way too.
    private static func copy(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + sent, count - sent) }
                guard written > 0 else { break }
                sent += written
            }
            guard sent == count else { break }
        }
        shutdown(destination, Int32(SHUT_WR))
        shutdown(source, Int32(SHUT_RD))
    }
}
