import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShareTestSupport

/// A webhook endpoint for tests: a Hummingbird server on a free loopback port that records every
/// delivery (raw body, `Persona-Signature` and the attempt headers) and answers 503 while it is
/// "down".
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var body: [UInt8]
        var signature: String?
        var contentType: String?
        /// `Persona-Webhook-Attempts-Made`, `-Attempts-Left` and `-First-Attempted-At`, as sent.
        var attemptsMade: String?
        var attemptsLeft: String?
        var firstAttemptedAt: String?
    }

    private actor State {
        var deliveries: [Delivery] = []
        /// Every request, the refused ones included, in arrival order.
        var attempts: [Delivery] = []
        var refused = 0
        var down = false

        func record(_ delivery: Delivery) -> Bool {
            attempts.append(delivery)
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
                contentType: request.headers[.contentType],
                attemptsMade: request.headers[HTTPField.Name("Persona-Webhook-Attempts-Made")!],
                attemptsLeft: request.headers[HTTPField.Name("Persona-Webhook-Attempts-Left")!],
                firstAttemptedAt: request.headers[HTTPField.Name("Persona-Webhook-First-Attempted-At")!])
            return Response(status: await state.record(delivery) ? .ok : .serviceUnavailable)
        }
        return try await withLiveServer(router) { port in
            try await body("http://127.0.0.1:\(port)/hook")
        }
    }

    func setDown(_ down: Bool) async { await state.setDown(down) }

    var deliveries: [Delivery] { get async { await state.deliveries } }
    /// Every request received, refused or not.
    var attempts: [Delivery] { get async { await state.attempts } }
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
