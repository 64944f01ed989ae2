// The default FeedTransport: libcurl, all transfers on one multi handle.
import Foundation

/// Sends feed requests with libcurl.
///
/// All transfers share one multi handle driven by one thread, so connections are
/// reused and the limits hold across every feed: at most `maxParallel` transfers at
/// once and `maxPerHost` to any one host, the rest waiting in a queue. libcurl
/// handles gzip, TLS, proxies and the authentication schemes; a redirect comes back as
/// a response, for the ``FeedClient`` to follow.
public final class CurlTransport: FeedTransport {
    private let loop: CurlMultiLoop

    public init(limits: FeedClientLimits = .init()) {
        loop = CurlMultiLoop(limits: limits)
    }

    public func perform(_ request: TransportRequest) async -> Result<TransportResponse, TransportError> {
        await loop.perform(request)
    }

    public func start(_ request: TransportRequest,
                      completion: @escaping @Sendable (Result<TransportResponse, TransportError>) -> Void) -> TransportAttempt {
        loop.start(request, completion: completion)
    }

    public var bodyBytesReceived: Int? {
        loop.bodyBytesReceived.withLock { $0 }
    }
}
