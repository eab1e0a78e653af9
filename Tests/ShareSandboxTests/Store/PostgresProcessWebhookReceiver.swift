import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareModels
import ShareSandbox
import ShareTestSupport

/// The webhook endpoint of the multi-process tests: a Hummingbird server on a free loopback port
/// with one path per `share-sandbox` process (`/hooks/<name>`), so that each delivery is known by
/// the process that sent it. It records the event id of every delivery and answers 200 at once,
/// except at the held paths, where it answers only when released (a receiver slow enough for
/// the sender to be killed mid-attempt).
final class PostgresProcessWebhookReceiver: Sendable {
    struct Delivery: Sendable {
        /// The name of the path the delivery came to: which process sent it.
        var path: String
        var eventID: String
        var arrivedAt: ContinuousClock.Instant
        /// `Persona-Webhook-First-Attempted-At`, as sent.
        var firstAttemptedAt: String?
    }

    private actor State {
        var deliveries: [Delivery] = []
        var released = false

        func record(_ delivery: Delivery) { deliveries.append(delivery) }
        func release() { released = true }
    }

    private let state = State()
    private let heldPaths: Set<String>
    /// The longest a held answer waits for ``release()``: a safety net, not part of any test.
    private let maximumHold: Duration

    init(holding heldPaths: Set<String> = [], maximumHold: Duration = .seconds(60)) {
        self.heldPaths = heldPaths
        self.maximumHold = maximumHold
    }

    /// Runs the receiver for the duration of `body`, passing the URL of path `name`.
    func run<Value: Sendable>(_ body: @Sendable (_ url: @Sendable (_ name: String) -> String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.post("hooks/:name") { [state, heldPaths, maximumHold] request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let bytes = try await request.body.collect(upTo: 1 << 20)
            await state.record(
                Delivery(
                    path: name, eventID: Self.eventID(in: Array(bytes.readableBytesView)), arrivedAt: .now,
                    firstAttemptedAt: request.headers[HTTPField.Name("Persona-Webhook-First-Attempted-At")!]))
            if heldPaths.contains(name) {
                let deadline = ContinuousClock.now + maximumHold
                while await !state.released, ContinuousClock.now < deadline, !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            return Response(status: .ok)
        }
        return try await withLiveServer(router) { [state] port in
            // Held answers go before the server stops, however `body` ends.
            do {
                let value = try await body { name in "http://127.0.0.1:\(port)/hooks/\(name)" }
                await state.release()
                return value
            } catch {
                await state.release()
                throw error
            }
        }
    }

    /// Lets the held answers go.
    func release() async { await state.release() }

    var deliveries: [Delivery] { get async { await state.deliveries } }

    /// The deliveries that came to path `name`.
    func deliveries(to name: String) async -> [Delivery] { await state.deliveries.filter { $0.path == name } }

    /// Waits until `condition` holds of the receiver, polling; answers whether it did before
    /// `limit` ran out.
    @discardableResult
    func waitUntil(limit: Duration = .seconds(60), _ condition: @Sendable (PostgresProcessWebhookReceiver) async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while await !condition(self) {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// `data.id` of a webhook body, or "" when there is none.
    static func eventID(in body: [UInt8]) -> String {
        let document = try? JSONDecoder().decode([String: AttributeValue].self, from: Data(body))
        guard case .object(let data)? = document?["data"], case .string(let id)? = data["id"] else { return "" }
        return id
    }
}
