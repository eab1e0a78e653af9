import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle

/// A local HTTP server that records the webhook deliveries it receives.
final class WebhookReceiver: @unchecked Sendable {
    struct Delivery: Sendable {
        var body: [UInt8]
        var signature: String?
    }

    private let lock = NSLock()
    private var received: [Delivery] = []
    private var group: ServiceGroup?
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    var deliveries: [Delivery] { lock.withLock { received } }

    /// Starts listening on `port` (0: any free port).
    func start(port requested: Int = 0) async throws {
        let router = Router()
        router.post("/hooks") { [self] request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let delivery = Delivery(body: Array(body.readableBytesView), signature: request.headers[HTTPField.Name("Persona-Signature")!])
            lock.withLock { received.append(delivery) }
            return .ok
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: requested)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? requested)
                continuation.finish()
            },
            logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "receiver")))
        self.group = group
        task = Task { try await group.run() }
        for await bound in ports { port = bound }
    }

    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = await task?.result
    }

    /// Waits until `count` deliveries arrived, checking every 50 ms for at most 10 s.
    func waitFor(count: Int) async throws -> [Delivery] {
        for _ in 0..<200 {
            let current = deliveries
            if current.count >= count { return current }
            try await Task.sleep(for: .milliseconds(50))
        }
        return deliveries
    }

    /// A port nothing listens on (bound and released at once).
    static func unusedPort() async throws -> Int {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let port = receiver.port
        await receiver.stop()
        return port
    }
}
