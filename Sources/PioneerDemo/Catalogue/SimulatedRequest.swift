// A request to the simulated systems, independent of the HTTP server that carries it.

/// One GET request: path, decoded query parameters and headers.
///
/// The catalogue answers these without any networking, so tests can check the
/// simulated data directly; ``DemoFeedSimulator`` turns HTTP requests into them.
public struct SimulatedRequest: Sendable, Hashable {
    /// The path without the query: `/torbay/bi/admissions/emergency`.
    public var path: String
    /// Query parameters, percent-decoded (`+` read as a space). The last of repeated names wins.
    public var query: [String: String]
    /// Header names in lower case.
    public var headers: [String: String]

    public init(path: String, query: [String: String] = [:], headers: [String: String] = [:]) {
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// A request for `target`, a path with an optional query: `/torbay/survey/responses?from=2024-05-01&to=2024-05-31`.
    public init(target: String, headers: [String: String] = [:]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(path: String(parts[0]), query: parts.count > 1 ? SimulatedRequest.parseQuery(parts[1]) : [:], headers: headers)
    }

    /// Decodes `a=1&b=two%20words`.
    public static func parseQuery(_ query: some StringProtocol) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(halves[0])
            guard !name.isEmpty else { continue }
            parameters[name] = halves.count > 1 ? percentDecode(halves[1]) : ""
        }
        return parameters
    }

    /// `%XX` sequences become bytes and `+` a space; malformed escapes are kept as written.
    static func percentDecode(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
