import AsyncHTTPClient
import NIOCore
import NIOPosix

/// One `HTTPClient` per event loop of the server's group, each pooling connections on its own
/// loop. A request uses the client of the loop it is running on, so the upstream connection's I/O
/// happens on the same thread instead of a random one (with a single shared client, AHC picks any
/// loop and every request crosses threads twice).
struct UpstreamClients: Sendable {
    let all: [HTTPClient]
    private let byLoop: [ObjectIdentifier: Int]

    init(group: MultiThreadedEventLoopGroup, configuration: HTTPClient.Configuration) {
        var clients: [HTTPClient] = []
        var byLoop: [ObjectIdentifier: Int] = [:]
        for loop in group.makeIterator() {
            byLoop[ObjectIdentifier(loop)] = clients.count
            clients.append(HTTPClient(eventLoopGroup: loop, configuration: configuration))
        }
        self.all = clients
        self.byLoop = byLoop
    }

    /// The client of the current event loop, or the first one off the loops.
    var current: HTTPClient {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop, let index = byLoop[ObjectIdentifier(loop)] {
            return all[index]
        }
        return all[0]
    }

    var any: HTTPClient { all[0] }
}
