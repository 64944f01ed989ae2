// Reads a request body whole, within the size limit and the request timeout. Both are the
// client's doing, so both end in a 4xx that says which limit it was: 413 as soon as the
// bytes pass the limit, 408 when the body has not arrived in time (a client trickling a
// body a byte a second holds a connection no longer than the timeout).
import Foundation
import Hummingbird

enum BodyReader {
    static func collect(_ request: Request, limit: Int, timeout: Duration) async throws -> [UInt8] {
        let body = request.body
        let buffer: ByteBuffer? = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: limit)
                } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                    throw BodyLimitMiddleware.tooLarge(limit)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let buffer else {
            throw IntakeHTTPError(status: .requestTimeout,
                                  message: "the body did not arrive within \(seconds(timeout)) (pioneer serve --request-timeout)")
        }
        return Array(buffer.readableBytesView)
    }

    /// `30 s`, `0.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
