import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShareTestSupport

/// A webhook endpoint for tests that answers as it is told: each request gets the next scripted
/// answer (a status after a delay), then the default one. It records every request with the
/// time it arrived.
final class ScriptedWebhookReceiver: Sendable {
    struct Answer: Sendable {
        var status: Int
        var delay: Duration = .zero
    }

    struct Delivery: Sendable {
        var body: [UInt8]
        var signature: String?
        var arrivedAt: ContinuousClock.Instant
    }

    private actor State {
        var script: [Answer]
        var fallback: Answer
        var deliveries: [Delivery] = []

        init(script: [Answer], fallback: Answer) {
            self.script = script
            self.fallback = fallback
        }

        func record(_ delivery: Delivery) -> Answer {
            deliveries.append(delivery)
            return script.isEmpty ? fallback : script.removeFirst()
        }
    }

    private let state: State

    init(script: [Answer] = [], fallback: Answer = Answer(status: 200)) {
        state = State(script: script, fallback: fallback)
    }

    /// Runs the receiver for the duration of `body`, passing its URL.
    func run<Value: Sendable>(_ body: @Sendable (_ url: String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.post("hook") { [state] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let answer = await state.record(
                Delivery(
                    body: Array(bytes.readableBytesView), signature: request.headers[HTTPField.Name("Persona-Signature")!],
                    arrivedAt: .now))
            if answer.delay > .zero { try? await Task.sleep(for: answer.delay) }
            return Response(status: HTTPResponse.Status(code: answer.status))
        }
        return try await withLiveServer(router) { port in
            try await body("http://127.0.0.1:\(port)/hook")
        }
    }

    var deliveries: [Delivery] { get async { await state.deliveries } }

    /// Waits until `condition` holds, giving up after `limit` (a safety net, not a measure of speed).
    func waitUntil(limit: Duration = .seconds(30), _ condition: @Sendable (ScriptedWebhookReceiver) async -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while await !condition(self) {
            guard ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
