import AsyncHTTPClient
import Foundation
import NIOCore

/// One webhook request: `POST`s a body to a URL with `Content-Type: application/json`, a
/// `Persona-Signature` made at the sandbox's current time (one signature per secret) and the
/// attempt headers of Persona's webhook reference, and tells how the receiver answered. Used by
/// the delivery loop (``WebhookDeliveryService``) and by the control plane's redeliveries and
/// test events.
///
/// The attempt headers, as every webhook page of Persona's reference lists them (e.g.
/// https://docs.withpersona.com/api-reference/webhooks/webhooks-account-events/webhook-account-created):
/// `Persona-Webhook-Attempts-Made` (this attempt included: 1 on the first), `Persona-Webhook-Attempts-Left`
/// (the attempts that may still follow this one: 0 on the last) and
/// `Persona-Webhook-First-Attempted-At` (unix seconds of the first attempt, the sandbox's time).
struct WebhookSender: Sendable {
    /// Which attempt of a delivery a request is.
    struct Attempt: Hashable, Sendable {
        /// This attempt's number, from 1.
        var number: Int
        /// The most attempts the delivery gets.
        var maximum: Int
        /// When the first attempt was made (this one's time, for the first).
        var firstAttemptedAt: Date

        /// A delivery made once, never retried: the control plane's redeliveries and test events.
        static func single(at now: Date) -> Attempt { Attempt(number: 1, maximum: 1, firstAttemptedAt: now) }

        /// The three header fields, in the order they are sent.
        var headerFields: [(name: String, value: String)] {
            [
                ("Persona-Webhook-Attempts-Made", String(number)),
                ("Persona-Webhook-Attempts-Left", String(max(0, maximum - number))),
                ("Persona-Webhook-First-Attempted-At", String(Int(firstAttemptedAt.timeIntervalSince1970.rounded(.down)))),
            ]
        }
    }

    /// How one attempt went.
    struct Outcome: Hashable, Sendable {
        /// The receiver's status, when it answered in time.
        var status: Int?
        /// Why the attempt failed: `HTTP <status>` or a transport error kind; `nil` when delivered.
        var failure: String?
        /// The signature's timestamp (unix seconds).
        var signedAt: Int

        /// Whether the receiver took the event (200, 201, 202 or 204).
        var delivered: Bool { failure == nil }
    }

    let clock: SandboxClock
    /// The longest the receiver may take to answer.
    let timeout: Duration

    /// Sends `body` as `attempt` (a single delivery at the sandbox's time when `nil`).
    func send(_ body: [UInt8], to url: String, secrets: [String], attempt: Attempt? = nil, with client: HTTPClient) async -> Outcome {
        let now = clock.now()
        let signedAt = Int(now.timeIntervalSince1970.rounded(.down))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "ShareKit-Sandbox-Webhooks/1.0")
        request.headers.add(name: WebhookSignature.headerName, value: WebhookSignature.header(body: body, secrets: secrets, timestamp: signedAt))
        for field in (attempt ?? .single(at: now)).headerFields { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(WebhookDeliveryPolicy.seconds(timeout) * 1e9)))
            // Read (and drop) a little of the answer so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            let delivered = WebhookDeliveryPolicy.isDelivered(status: response.status.code)
            return Outcome(status: status, failure: delivered ? nil : "HTTP \(status)", signedAt: signedAt)
        } catch {
            return Outcome(status: nil, failure: "\(type(of: error))", signedAt: signedAt)
        }
    }
}
