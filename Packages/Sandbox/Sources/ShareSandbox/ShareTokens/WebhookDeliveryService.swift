import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import ShareModels

/// Delivers stored events to their organizations' webhooks, in the background of a running
/// sandbox (a `Service` of its service group), so that no API answer waits for a webhook.
///
/// Each pending event is `POST`ed as `{"data": <event>}` with a `Persona-Signature` header (one
/// signature per webhook secret during a rotation) and Persona's attempt headers (`WebhookSender`;
/// the first attempt's time is stored with the delivery). An answer of 200, 201, 202 or 204 within the
/// policy's attempt timeout delivers it; anything else (another status, a refused connection, a
/// slower answer) schedules the next attempt after the policy's backoff, until its attempts run
/// out and the delivery is `failed`. Organizations are delivered to in parallel, each one event
/// at a time (the next as soon as one is answered), so a slow receiver holds up only its own
/// events. Progress is written to the store after every attempt, so pending deliveries survive
/// a restart and resume where they stood.
///
/// Each poll also runs the workflows of events a stopped process left pending, when given the
/// ``ShareTokenAuthority`` that runs them (``ShareTokenAuthority/recoverPendingWorkflows()``).
///
/// `ServiceGroup` logs each service as `"\(service)"`; the description is therefore a fixed name,
/// never a reflection of the directory and its records.
public struct WebhookDeliveryService: Service, CustomStringConvertible, CustomReflectable {
    let store: any ShareTokenStore
    let directory: ShareTokenDirectory
    let clock: SandboxClock
    let policy: WebhookDeliveryPolicy
    let logger: Logger
    /// Runs the workflows left pending on every poll; `nil` to leave them alone.
    let workflows: ShareTokenAuthority?
    let wakeup: BackgroundLoopWakeup

    public init(
        store: any ShareTokenStore, directory: ShareTokenDirectory, clock: SandboxClock, policy: WebhookDeliveryPolicy, logger: Logger,
        recoveringWorkflowsWith workflows: ShareTokenAuthority? = nil
    ) {
        self.init(
            store: store, directory: directory, clock: clock, policy: policy, logger: logger, recoveringWorkflowsWith: workflows,
            wakeup: BackgroundLoopWakeup())
    }

    /// Waits between polls on `wakeup`, which the ``ShareTokenAuthority`` storing events signals
    /// too (``SandboxServices``).
    init(
        store: any ShareTokenStore, directory: ShareTokenDirectory, clock: SandboxClock, policy: WebhookDeliveryPolicy, logger: Logger,
        recoveringWorkflowsWith workflows: ShareTokenAuthority?, wakeup: BackgroundLoopWakeup
    ) {
        self.wakeup = wakeup
        self.workflows = workflows
        self.store = store
        self.directory = directory
        self.clock = clock
        self.policy = policy
        self.logger = logger
    }

    public var description: String { "WebhookDeliveryService" }

    /// Looks for due deliveries now rather than at the next poll: after the sandbox's clock moved
    /// forward, retries that became due are sent at once.
    public func wake() { wakeup.signal() }

    public var customMirror: Mirror { Mirror(self, children: [:]) }

    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let slots = WebhookDeliverySlots(capacity: policy.maximumConcurrentDeliveries)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                var lastRecovery: ContinuousClock.Instant?
                while !Task.isCancelled {
                    // At most once per poll interval: a wake-up after each delivery does not add a look.
                    if let workflows, lastRecovery.map({ $0.duration(to: .now) >= policy.pollInterval }) ?? true {
                        lastRecovery = .now
                        await workflows.recoverPendingWorkflows()
                    }
                    await dispatchDue(with: client, slots: slots, into: &group)
                    await wakeup.wait(upTo: policy.pollInterval)
                }
                // Attempts cut short store nothing: their events stay pending and are retried
                // after a restart.
                group.cancelAll()
            }
        }
        try? await client.shutdown()
    }

    /// Starts an attempt, in `group`, at every delivery due now whose organization has none in
    /// flight, while slots are free. The loop does not wait for the attempts.
    func dispatchDue(with client: HTTPClient, slots: WebhookDeliverySlots, into group: inout DiscardingTaskGroup) async {
        slots.releaseFinished()
        guard slots.busyCount < slots.capacity else { return }
        let due: [StoredEvent]
        do {
            due = try await store.dueDeliveries(at: clock.now(), limit: 256)
        } catch {
            logger.error("pending deliveries could not be read", metadata: ["error.type": "\(type(of: error))"])
            return
        }
        for event in due where slots.claim(event.organization) {
            guard !Task.isCancelled else { return }
            group.addTask {
                // Another sandbox sharing the store may have claimed the event since the listing.
                let now = clock.now()
                let claimed: Bool
                do {
                    claimed = try await store.claimDelivery(of: event.id, at: now, until: now.addingTimeInterval(leaseSeconds))
                } catch {
                    logger.error(
                        "delivery could not be claimed", metadata: ["event.id": "\(event.id)", "error.type": "\(type(of: error))"])
                    claimed = false
                }
                guard claimed else {
                    slots.finish(event.organization)
                    return
                }
                let delivery = await attempt(event, with: client)
                var stored = false
                do {
                    if !Task.isCancelled {
                        try await store.updateDelivery(of: event.id, to: delivery)
                        stored = true
                    }
                } catch {
                    logger.error(
                        "delivery progress could not be stored", metadata: ["event.id": "\(event.id)", "error.type": "\(type(of: error))"])
                }
                slots.finish(event.organization)
                // The organization's next due event goes now, not at the next poll, so a backlog
                // is delivered back to back. Only after stored progress: a lost claim or a failed
                // write waits for the poll, so nothing is listed or sent over and over.
                if stored { wakeup.signal() }
            }
        }
    }

    /// How long a claim on a delivery holds (``WebhookDeliveryPolicy/claimLease``). A claim left
    /// by a sandbox that stopped mid-attempt lapses after it.
    var leaseSeconds: TimeInterval { WebhookDeliveryPolicy.seconds(policy.claimLease) }

    private func attempt(_ event: StoredEvent, with client: HTTPClient) async -> StoredEvent.Delivery {
        guard let organization = directory.organizations[event.organization], let url = organization.webhookURL,
            !organization.webhookSecrets.isEmpty
        else {
            return StoredEvent.Delivery(state: .notRequested, attempts: event.delivery.attempts)
        }
        let attempts = event.delivery.attempts + 1
        // An event stored before first attempts were kept counts its next attempt as the first.
        let firstAttemptAt = event.delivery.firstAttemptAt ?? clock.now()
        let outcome = await WebhookSender(clock: clock, timeout: policy.attemptTimeout).send(
            event.webhookBody, to: url, secrets: organization.webhookSecrets,
            attempt: WebhookSender.Attempt(number: attempts, maximum: policy.maximumAttempts, firstAttemptedAt: firstAttemptAt),
            with: client)
        guard let failure = outcome.failure else {
            logger.debug("event delivered", metadata: ["event.id": "\(event.id)", "attempt": "\(attempts)"])
            return StoredEvent.Delivery(state: .delivered, attempts: attempts, firstAttemptAt: firstAttemptAt)
        }
        guard attempts < policy.maximumAttempts else {
            logger.warning("event delivery given up", metadata: ["event.id": "\(event.id)", "attempts": "\(attempts)", "error": "\(failure)"])
            return StoredEvent.Delivery(state: .failed, attempts: attempts, lastError: failure, firstAttemptAt: firstAttemptAt)
        }
        let next = clock.now().addingTimeInterval(policy.backoff(afterAttempt: attempts))
        logger.info(
            "event delivery failed; will retry",
            metadata: ["event.id": "\(event.id)", "attempt": "\(attempts)", "error": "\(failure)", "next_attempt_at": "\(Timestamp(next))"])
        return StoredEvent.Delivery(state: .pending, attempts: attempts, nextAttemptAt: next, lastError: failure, firstAttemptAt: firstAttemptAt)
    }
}
