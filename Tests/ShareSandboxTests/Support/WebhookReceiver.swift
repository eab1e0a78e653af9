import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A webhook endpoint for tests: a Hummingbird server on a free loopback port that records every
/// delivery (raw body and `Persona-Signature`) and answers 503 while it is "down".
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var body: [UInt8]
        var signature: String?
        var contentType: String?
    }

    private actor State {
        var deliveries: [Delivery] = []
        var refused = 0
        var down = false

        func record(_ delivery: Delivery) -> Bool {
            if down {
                refused += 1
                return false
            }
            deliveries.append(delivery)
            return true
        }

        func setDown(_ value: Bool) { down = value }
    }

    private let state = State()

    /// Runs the receiver for the duration of `body`, passing its URL.
    func run<Value: Sendable>(_ body: @Sendable (_ url: String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.post("hook") { [state] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let delivery = Delivery(
                body: Array(bytes.readableBytesView), signature: request.headers[HTTPField.Name("Persona-Signature")!],
                contentType: request.headers[.contentType])
            return Response(status: await state.record(delivery) ? .ok : .serviceUnavailable)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)/hook")
        }
    }

    func setDown(_ down: Bool) async { await state.setDown(down) }

    var deliveries: [Delivery] { get async { await state.deliveries } }
    var refusedCount: Int { get async { await state.refused } }

    /// Waits until `condition` holds of the receiver, giving up after `limit` (a safety net for a
    /// broken build, not a measure of speed).
    func waitUntil(limit: Duration = .seconds(20), _ condition: @Sendable (WebhookReceiver) async -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while await !condition(self) {
            guard ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
