import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import ShareModels

/// Delivers pending events to their organization's `webhook_url`, signed with
/// ``WebhookSignature``, as a service beside the HTTP server: API calls only store events, so a
/// slow or dead receiver never delays an answer.
///
/// Failed attempts are retried with exponential backoff (1 s, 2 s, 4 s … at most 60 s) up to
/// ``RetryPolicy/maximumAttempts``; the state lives in the store, so an undelivered event is
/// retried after a restart too.
public struct WebhookDeliverer: Service, CustomStringConvertible {
    /// How often and how patiently deliveries are retried.
    public struct RetryPolicy: Sendable {
        public var maximumAttempts: Int
        /// Delay after the first failure, in milliseconds; it doubles with each further failure.
        public var initialBackoffMilliseconds: Int
        public var maximumBackoffMilliseconds: Int
        /// How long to wait for a receiver to answer.
        public var requestTimeout: Duration
        /// How often the store is checked for due deliveries.
        public var pollInterval: Duration

        public init(
            maximumAttempts: Int = 8, initialBackoffMilliseconds: Int = 1000, maximumBackoffMilliseconds: Int = 60_000,
            requestTimeout: Duration = .seconds(5), pollInterval: Duration = .milliseconds(100)
        ) {
            self.maximumAttempts = maximumAttempts
            self.initialBackoffMilliseconds = initialBackoffMilliseconds
            self.maximumBackoffMilliseconds = maximumBackoffMilliseconds
            self.requestTimeout = requestTimeout
            self.pollInterval = pollInterval
        }

        /// The delay before attempt `attempts + 1`, after `attempts` failures.
        public func backoff(afterAttempts attempts: Int) -> Int {
            let exponent = min(max(attempts - 1, 0), 20)
            return min(initialBackoffMilliseconds << exponent, maximumBackoffMilliseconds)
        }
    }

    let store: any SandboxStore
    let world: ShareTokenWorld
    let clock: SandboxClock
    let policy: RetryPolicy
    let logger: Logger

    public var description: String { "WebhookDeliverer" }

    public init(store: any SandboxStore, world: ShareTokenWorld, clock: SandboxClock, policy: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.store = store
        self.world = world
        self.clock = clock
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        guard world.organizations.values.contains(where: { $0.webhookURL != nil }) else {
            // Nothing to deliver, ever; stay up until the group shuts down (a service that
            // returns early stops its group).
            try? await gracefulShutdown()
            return
        }
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await deliverDue()
                    try await Task.sleep(for: policy.pollInterval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Attempts every delivery that is due now, one by one.
    public func deliverDue() async {
        let now = Int((clock.now().timeIntervalSince1970 * 1000).rounded(.down))
        let due: [StoredEvent]
        do {
            due = try await store.dueDeliveries(at: now, limit: 50)
        } catch {
            logger.error("cannot read pending webhook deliveries", metadata: ["error.type": "\(type(of: error))"])
            return
        }
        for event in due { await deliver(event, now: now) }
    }

    private func deliver(_ event: StoredEvent, now: Int) async {
        guard let id = try? OrganizationID(event.organization), let organization = world.organizations[id],
            let url = organization.webhookURL, let secret = organization.webhookSecret
        else {
            try? await store.recordDeliveryAttempt(eventID: event.id, delivery: .none, attempts: event.attempts, nextAttemptAt: now)
            return
        }
        let body = Array("{\"data\":\(event.resourceJSON)}".utf8)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "ShareKit-Sandbox-Webhooks")
        request.headers.add(
            name: WebhookSignature.headerName,
            value: WebhookSignature.header(body: body, secret: secret, timestamp: now / 1000))
        request.body = .bytes(ByteBuffer(bytes: body))
        var delivered = false
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .init(policy.requestTimeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            delivered = (200..<300).contains(Int(response.status.code))
        } catch {
            logger.debug("webhook delivery failed", metadata: ["event.id": "\(event.id)", "error.type": "\(type(of: error))"])
        }
        let attempts = event.attempts + 1
        let outcome: StoredEvent.Delivery = delivered ? .delivered : attempts >= policy.maximumAttempts ? .failed : .pending
        let next = delivered ? now : now + policy.backoff(afterAttempts: attempts)
        do {
            try await store.recordDeliveryAttempt(eventID: event.id, delivery: outcome, attempts: attempts, nextAttemptAt: next)
        } catch {
            logger.error("cannot record a webhook delivery", metadata: ["event.id": "\(event.id)"])
        }
        if outcome == .failed { logger.warning("webhook delivery abandoned", metadata: ["event.id": "\(event.id)"]) }
    }
}
