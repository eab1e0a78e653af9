import NIOCore
import NIOHTTP1
import NIOPosix
import ShareSandbox

/// The cheapest server `share-bench introspect` can put in front of the clients: SwiftNIO's HTTP/1
/// codec and one channel handler that answers `/oauth/token` and `/oauth/introspect` with fixed
/// bodies once the demo credentials are in the headers, on the event loop that read the request
/// (no task, no thread hop). The clients share two cores with it, so the less it costs, the more
/// the figures show the clients' own cost.
///
/// Written against NIO directly because Hummingbird, which serves the same answers in the
/// benchmark's next row, runs each handler as a task, and that hand-off is the cost this server
/// leaves out. A benchmark fixture, not shipping code.
struct FixedAnswerResponder: Sendable {
    /// The fixed answers, also served by the benchmark's Hummingbird responder.
    static let tokenAnswer = #"{"access_token":"pda-bench","refresh_token":"pdr-bench","token_type":"Bearer","expires_in":900,"request_id":"bench"}"#
    static let introspectionAnswer =
        #"{"active":true,"scope":"user:read","client_id":"demo-client","exp":1670000000,"iat":1670000000,"token_type":"Bearer","request_id":"bench"}"#

    let channel: any Channel

    var url: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    static func start() async throws -> FixedAnswerResponder {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(Handler())
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FixedAnswerResponder(channel: channel)
    }

    func shutdown() async throws {
        try await channel.close()
    }

    /// Answers each request when its end arrives; the body is read and dropped.
    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private static let token = ByteBuffer(string: FixedAnswerResponder.tokenAnswer)
        private static let introspection = ByteBuffer(string: FixedAnswerResponder.introspectionAnswer)

        private var answer: (status: HTTPResponseStatus, body: ByteBuffer?) = (.notFound, nil)
        private var keepAlive = true

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                keepAlive = head.isKeepAlive
                let authorized = head.headers.first(name: "PLAID-CLIENT-ID") == SandboxDemo.clientID
                    && head.headers.first(name: "PLAID-SECRET") == SandboxDemo.clientSecret
                switch (head.method, head.uri) {
                case (.POST, "/oauth/token"): answer = authorized ? (.ok, Self.token) : (.unauthorized, nil)
                case (.POST, "/oauth/introspect"): answer = authorized ? (.ok, Self.introspection) : (.unauthorized, nil)
                default: answer = (.notFound, nil)
                }
            case .body:
                break
            case .end:
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(answer.body?.readableBytes ?? 0))
                if !keepAlive { headers.add(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers))), promise: nil)
                if let body = answer.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}
