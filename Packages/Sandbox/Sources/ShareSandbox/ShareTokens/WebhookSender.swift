import AsyncHTTPClient
import Foundation
import NIOCore

/// One webhook request: `POST`s a body to a URL with `Content-Type: application/json` and a
/// `Persona-Signature` made at the sandbox's current time (one signature per secret), and tells
/// how the receiver answered. Used by the delivery loop (``WebhookDeliveryService``) and by the
/// control plane's redeliveries and test events.
struct WebhookSender: Sendable {
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

    func send(_ body: [UInt8], to url: String, secrets: [String], with client: HTTPClient) async -> Outcome {
        let signedAt = Int(clock.now().timeIntervalSince1970.rounded(.down))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "ShareKit-Sandbox-Webhooks/1.0")
        request.headers.add(name: WebhookSignature.headerName, value: WebhookSignature.header(body: body, secrets: secrets, timestamp: signedAt))
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
