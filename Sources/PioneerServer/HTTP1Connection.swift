// Two things about HTTP/1 connections that Hummingbird's own channel leaves out, added by one
// handler just after NIO's request decoder, where the request's HTTP version is still known:
//
// - An HTTP/1.0 request without `Connection: keep-alive` is answered and the connection
//   closed, as HTTP/1.0 says. (Hummingbird drops the version when it turns the request into
//   HTTPTypes' form, and then closes only on `Connection: close`, so an HTTP/1.0 client waited
//   for the idle timeout.)
// - A request that cannot be parsed as HTTP gets the service's own 400: a JSON body saying what
//   was wrong, with a request id that is in the server's log too, not an empty 400.
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with ``HTTP1ConnectionHandler`` after the request decoder.
struct IntakeHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let logger: Logger

    var responder: HTTPChannelHandler.Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let serverLogger = self.logger
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTP1ConnectionHandler(logger: serverLogger), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

/// Marks an HTTP/1.0 request that does not ask to keep the connection `Connection: close`,
/// and answers a request NIO cannot parse with a JSON 400 before the connection closes.
///
/// Only a request that fails before its head is read, with every earlier request answered,
/// is answered here; an error in a body goes on to the route reading it, which says what was
/// wrong with the body.
final class HTTP1ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let logger: Logger
    private var answeredParseError = false
    private var requestsStarted = 0
    private var responsesEnded = 0
    private var inRequest = false
    private var pendingParseError: HTTPParserError?

    init(logger: Logger) {
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            requestsStarted += 1
            inRequest = true
            if head.version == .http1_0, !head.isKeepAlive {
                head.headers.replaceOrAdd(name: "Connection", value: "close")
                context.fireChannelRead(wrapInboundOut(.head(head)))
                return
            }
        case .end:
            inRequest = false
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        responsesEnded += 1
        context.write(data, promise: promise)
        // A request after this one failed to parse while this one was being answered.
        if let pending = pendingParseError, responsesEnded == requestsStarted {
            pendingParseError = nil
            answer(pending, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError, !inRequest else {
            context.fireErrorCaught(error)
            return
        }
        if responsesEnded < requestsStarted {
            // Answered once the requests before it are, so the answers keep their order.
            pendingParseError = parseError
        } else {
            answer(parseError, context: context)
        }
    }

    private func answer(_ parseError: HTTPParserError, context: ChannelHandlerContext) {
        // The decoder stops at its first error; anything after it on the connection is not read.
        guard !answeredParseError else { return }
        answeredParseError = true
        let id = UUID().uuidString.lowercased()
        let message = "the request could not be read as HTTP: \(Self.describe(parseError))"
        var logger = logger
        logger[metadataKey: "request.id"] = .string(id)
        logger.info("request refused", metadata: ["http.status": "400", "reason": .string(Self.describe(parseError))])

        var body = context.channel.allocator.buffer(capacity: 256)
        body.writeString(Self.json(error: message, requestID: id))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "X-Request-Id", value: id)
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Server", value: "pioneer-serve")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// `{"error": …, "requestId": …}`, the shape of every error the service answers.
    static func json(error: String, requestID: String) -> String {
        let body = ErrorResponseMiddleware.ErrorBody(error: error, requestId: requestID)
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":"the request could not be read"}"#.utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// NIO's parse error in plain English.
    static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .invalidMethod: "the request line does not start with a method such as GET or POST"
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment, .invalidHost, .invalidPort:
            "the request line's target is not a valid path"
        case .invalidVersion: "the request line does not end with a version such as HTTP/1.1"
        case .headerOverflow: "the request's header lines are too long"
        case .invalidHeaderToken, .invalidCharactersUsed: "a header line holds characters HTTP does not allow"
        case .invalidContentLength, .unexpectedContentLength: "its Content-Length is not a valid length for the request"
        case .invalidChunkSize: "a chunk of its body has an invalid size"
        default: "it is not well-formed HTTP"
        }
    }
}
