import Foundation
import NIOCore
import NIOPosix

/// A deliberately broken upstream on a free loopback port: it accepts connections, then either
/// never answers (`slow`), closes the connection as soon as a request arrives (`reset`), or
/// answers with bytes that are not HTTP (`garbage`).
final class BrokenUpstream: Sendable {
    enum Behaviour: Sendable {
        case slow
        case reset
        case garbage
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let behaviour: Behaviour
        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch behaviour {
            case .slow:
                break
            case .reset:
                // SO_LINGER 0 turns the close into a TCP reset.
                let channel = context.channel
                if let provider = channel as? any SocketOptionProvider {
                    provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.close(promise: nil)
                }
            case .garbage:
                context.writeAndFlush(NIOAny(ByteBuffer(string: "NOT HTTP AT ALL\r\n\r\n")), promise: nil)
                context.close(promise: nil)
            }
        }
    }

    let channel: any Channel
    var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }

    init(_ behaviour: Behaviour) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(behaviour: behaviour)) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    func close() async {
        try? await channel.close()
    }

    /// A loopback URL with nothing listening: port 1, below the ephemeral range, so that no server
    /// of a test running alongside can be handed it (as a port bound and released here could be).
    static func downURL() -> String {
        "http://127.0.0.1:1"
    }
}
