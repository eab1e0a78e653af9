import Foundation
import NIOCore
import NIOPosix

/// An upstream that speaks raw bytes: for each request it reads (the head up to its blank line,
/// then a `Content-Length` body if there is one), it records the request's bytes and writes the
/// response the test scripted — possibly in several pieces with pauses between them, possibly
/// closing the connection afterwards. For what a well-behaved HTTP server would never send:
/// chunk extensions and trailers, interim responses, close-delimited bodies, hop-by-hop headers,
/// broken framing.
final class ScriptedUpstream: Sendable {
    /// What the upstream answers to one request.
    struct Response: Sendable {
        /// Written in order, each flushed on its own, with ``pause`` between two pieces.
        var pieces: [String]
        var pause: TimeAmount = .milliseconds(15)
        /// Close the connection once the last piece is written.
        var closeAfter: Bool = false

        init(_ pieces: [String], pause: TimeAmount = .milliseconds(15), closeAfter: Bool = false) {
            self.pieces = pieces
            self.pause = pause
            self.closeAfter = closeAfter
        }

        /// A complete `200` response with `Content-Length` and `headers` (each a `Name: value` line).
        static func ok(_ body: String, headers: [String] = []) -> Response {
            var head = "HTTP/1.1 200 OK\r\n"
            for header in headers { head += header + "\r\n" }
            head += "Content-Length: \(body.utf8.count)\r\n\r\n"
            return Response([head + body])
        }
    }

    /// Records what arrived, shared by the connections' handlers.
    private final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var requests: [String] = []
        private var connections = 0

        func record(_ request: String) { lock.withLock { requests.append(request) } }
        func connected() { lock.withLock { connections += 1 } }
        var received: [String] { lock.withLock { requests } }
        var connectionCount: Int { lock.withLock { connections } }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let respond: @Sendable (String) -> Response
        private let recorder: Recorder
        private var inbound = ByteBuffer()
        private var isResponding = false
        private var context: ChannelHandlerContext?

        init(respond: @escaping @Sendable (String) -> Response, recorder: Recorder) {
            self.respond = respond
            self.recorder = recorder
        }

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }
        func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

        func channelActive(context: ChannelHandlerContext) {
            recorder.connected()
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            inbound.writeBuffer(&buffer)
            answerNext()
        }

        /// Answers the next complete request in `inbound`, unless a response is being written.
        private func answerNext() {
            guard !isResponding, let context else { return }
            let bytes = Array(inbound.readableBytesView)
            guard let headEnd = Self.find(Array("\r\n\r\n".utf8), in: bytes) else { return }
            let head = String(decoding: bytes[..<(headEnd + 4)], as: UTF8.self)
            let length = Self.contentLength(in: head) ?? 0
            guard bytes.count >= headEnd + 4 + length else { return }
            let request = String(decoding: bytes[..<(headEnd + 4 + length)], as: UTF8.self)
            inbound.moveReaderIndex(forwardBy: headEnd + 4 + length)
            inbound.discardReadBytes()
            recorder.record(request)
            isResponding = true
            write(respond(head), piece: 0, context: context)
        }

        private func write(_ response: Response, piece index: Int, context: ChannelHandlerContext) {
            guard self.context != nil else { return }
            if index < response.pieces.count {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response.pieces[index])), promise: nil)
            }
            if index + 1 < response.pieces.count {
                context.eventLoop.assumeIsolated().scheduleTask(in: response.pause) { [self] in
                    write(response, piece: index + 1, context: context)
                }
                return
            }
            if response.closeAfter {
                context.close(promise: nil)
                return
            }
            isResponding = false
            answerNext()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }

        static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
            guard bytes.count >= marker.count else { return nil }
            for index in 0...(bytes.count - marker.count) where bytes[index..<(index + marker.count)].elementsEqual(marker) {
                return index
            }
            return nil
        }

        static func contentLength(in head: String) -> Int? {
            for line in head.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].lowercased() == "content-length" {
                    return Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
            }
            return nil
        }
    }

    let channel: any Channel
    private let recorder = Recorder()
    var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }

    /// The requests received so far, head and body, as sent by the gateway.
    var requests: [String] { recorder.received }
    /// How many connections were accepted.
    var connectionCount: Int { recorder.connectionCount }

    /// An upstream that answers each request with `respond(requestHead)`.
    init(_ respond: @escaping @Sendable (String) -> Response) async throws {
        let recorder = self.recorder
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(respond: respond, recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    /// An upstream that answers every request with `response`.
    convenience init(always response: Response) async throws {
        try await self.init { _ in response }
    }

    func close() async {
        try? await channel.close()
    }

    /// Runs `body` with an upstream answering `respond`, then closes it.
    static func run<Value: Sendable>(
        _ respond: @escaping @Sendable (String) -> Response, _ body: (ScriptedUpstream) async throws -> Value
    ) async throws -> Value {
        let upstream = try await ScriptedUpstream(respond)
        do {
            let value = try await body(upstream)
            await upstream.close()
            return value
        } catch {
            await upstream.close()
            throw error
        }
    }
}
