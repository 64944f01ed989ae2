// Reads a request body whole, within the size limit and the request timeout. Both are the
// client's doing, so both end in a 4xx that says which limit it was: 413 as soon as the
// bytes pass the limit, 408 when the body has not arrived in time (a client trickling a
// body a byte a second holds a connection no longer than the timeout).
import Foundation
import Hummingbird
import NIOHTTP1

enum BodyReader {
    static func collect(_ request: Request, limit: Int, timeout: Duration) async throws -> [UInt8] {
        let body = request.body
        let race = Race()
        // The answer goes out as soon as either side finishes: waiting for a cancelled read to
        // notice would hold the 408 until the client sent more or the connection dropped.
        let outcome: Result<ByteBuffer, any Error> = await withCheckedContinuation { continuation in
            race.start(continuation)
            let reader = Task {
                do {
                    race.finish(.success(try await body.collect(upTo: limit)))
                } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                    race.finish(.failure(BodyLimitMiddleware.tooLarge(limit)))
                } catch is HTTPParserError {
                    // A body cut short of its Content-Length, or chunks that are not chunks: the
                    // client's doing, answered 400 (it was a 500 and a retry from `submit`).
                    race.finish(.failure(IntakeHTTPError(
                        status: .badRequest,
                        message: "the request body was cut short or is not framed as its Content-Length or chunked encoding says; nothing was stored")))
                } catch {
                    race.finish(.failure(error))
                }
            }
            race.setTimer(Task {
                // Cancelled once the body has arrived (see Race.finish).
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                race.finish(.failure(IntakeHTTPError(
                    status: .requestTimeout,
                    message: "the body did not arrive within \(seconds(timeout)) (pioneer serve --request-timeout)")))
                reader.cancel()
            })
        }
        return Array(try outcome.get().readableBytesView)
    }

    /// `30 s`, `0.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }

    /// The first of the read and the timer to finish resumes the waiting request; the other is
    /// ignored, and the timer is cancelled: a timer left to run out would keep a task and a
    /// timer alive for every request of the last `--request-timeout` seconds.
    final class Race: @unchecked Sendable {
        // @unchecked: `continuation`, `timer` and `done` are only read and written with `lock` held.
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Result<ByteBuffer, any Error>, Never>?
        private var timer: Task<Void, Never>?
        private var done = false

        func start(_ continuation: CheckedContinuation<Result<ByteBuffer, any Error>, Never>) {
            lock.withLock { self.continuation = continuation }
        }

        /// The timer to cancel when the race ends; cancelled at once if it already has.
        func setTimer(_ task: Task<Void, Never>) {
            let ended: Bool = lock.withLock {
                if !done { timer = task }
                return done
            }
            if ended { task.cancel() }
        }

        func finish(_ result: Result<ByteBuffer, any Error>) {
            let (waiting, timer): (CheckedContinuation<Result<ByteBuffer, any Error>, Never>?, Task<Void, Never>?) = lock.withLock {
                guard !done else { return (nil, nil) }
                done = true
                defer {
                    continuation = nil
                    self.timer = nil
                }
                return (continuation, self.timer)
            }
            timer?.cancel()
            waiting?.resume(returning: result)
        }
    }
}
