import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request as the webhook's routes see it: the whole body, already read.
struct HTTPRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var query: String?
    var body: [UInt8]
}

struct HTTPReply: Sendable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: [UInt8]

    static func text(_ status: HTTPResponseStatus, _ text: String) -> HTTPReply {
        HTTPReply(status: status, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8))
    }

    static func json(_ text: String) -> HTTPReply {
        HTTPReply(status: .ok, contentType: "application/json", body: Array(text.utf8))
    }
}

typealias HTTPRoute = @Sendable (HTTPRequest) async -> HTTPReply

/// An HTTP/1.1 server on SwiftNIO (optionally behind TLS). NIO parses HTTP; this type only collects
/// bodies up to a limit and hands complete requests to `route`.
struct HTTPServer: Sendable {
    /// A larger body is answered 413 without being parsed. The API server's own request limit is
    /// 3 MiB, so a real review never comes near it.
    static let maximumBodyBytes = 4 << 20
    /// A connection with no traffic for this long is closed (the API server keeps connections
    /// alive and reviews well within it; a client that stalls mid-request does not hold a socket).
    static let idleTimeout = TimeAmount.seconds(60)

    let channel: any Channel

    var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds `host:port` (port 0: any free port) and serves until `close()`.
    static func start(
        host: String, port: Int, group: any EventLoopGroup, tls: TLSContextSource?, idleTimeout: TimeAmount = idleTimeout,
        route: @escaping HTTPRoute
    ) async throws -> HTTPServer {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    try pipeline.addHandler(IdleConnectionCloser())
                    if let tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls.currentContext())) }
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(HTTPRequestCollector(route: route))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return HTTPServer(channel: channel)
    }

    func close() async throws {
        try await channel.close()
    }
}

/// Collects one request at a time (NIO's pipelining assistance holds back the next) and writes
/// the route's reply.
private final class HTTPRequestCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let route: HTTPRoute
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(route: @escaping HTTPRoute) {
        self.route = route
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            tooLarge = false
        case .body(let buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > HTTPServer.maximumBodyBytes {
                tooLarge = true
                body = []
            } else {
                body.append(contentsOf: buffer.readableBytesView)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let keepAlive = head.isKeepAlive && !tooLarge
            if tooLarge {
                write(.text(.payloadTooLarge, "request body larger than \(HTTPServer.maximumBodyBytes) bytes"), keepAlive: false, context: context)
                return
            }
            let target = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let request = HTTPRequest(
                method: head.method, path: String(target.first ?? ""), query: target.count > 1 ? String(target[1]) : nil, body: body)
            let route = route
            let promise = context.eventLoop.makePromise(of: HTTPReply.self)
            promise.completeWithTask { await route(request) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { reply in
                let (handler, context) = bound.value
                handler.write(reply, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func write(_ reply: HTTPReply, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: reply.contentType)
        headers.add(name: "Content-Length", value: String(reply.body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: reply.body.count)
        buffer.writeBytes(reply.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            let channel = context.channel
            done.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// Closes the connection when `IdleStateHandler` reports it idle.
private final class IdleConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
