import Foundation

/// How the sandbox delivers events to webhooks: how often it looks for due deliveries, how long
/// one attempt may take, how many run at once, and how failed attempts are retried (exponential
/// backoff, bounded).
///
/// As on Persona (https://docs.withpersona.com/webhooks, "Responding to events"), only an answer
/// of 200, 201, 202 or 204 within 5 seconds delivers an event; any other status, and an answer
/// that takes longer, is a failed attempt that is retried.
public struct WebhookDeliveryPolicy: Hashable, Sendable {
    /// The statuses that count as delivered.
    public static let deliveredStatuses: Set<UInt> = [200, 201, 202, 204]

    /// The most attempts per event; after the last failure the delivery is `failed`. Default 8.
    public var maximumAttempts: Int
    /// The wait before the second attempt. Default 10 seconds.
    public var initialBackoff: Duration
    /// The factor each further wait grows by. Default 2.
    public var backoffMultiplier: Double
    /// The longest wait between attempts. Default 1 hour.
    public var maximumBackoff: Duration
    /// The longest one attempt may take; a slower answer is a failed attempt. Default 5 seconds
    /// (Persona's); `share-sandbox --webhook-timeout` sets it.
    public var attemptTimeout: Duration
    /// How often the delivery loop looks for due deliveries. Default 1 second.
    public var pollInterval: Duration
    /// The most attempts in flight at once, across organizations. An organization has at most
    /// one attempt in flight, so a slow receiver holds up only its own events. Default 16.
    public var maximumConcurrentDeliveries: Int

    public init(
        maximumAttempts: Int = 8, initialBackoff: Duration = .seconds(10), backoffMultiplier: Double = 2,
        maximumBackoff: Duration = .seconds(3600), attemptTimeout: Duration = .seconds(5), pollInterval: Duration = .seconds(1),
        maximumConcurrentDeliveries: Int = 16
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.backoffMultiplier = max(1, backoffMultiplier)
        self.maximumBackoff = maximumBackoff
        self.attemptTimeout = attemptTimeout
        self.pollInterval = pollInterval
        self.maximumConcurrentDeliveries = max(1, maximumConcurrentDeliveries)
    }

    /// How long a sandbox's claim on a delivery keeps the other sandboxes sharing its store away
    /// from it: the attempt timeout, plus a margin as long as the attempt timeout and at least
    /// 5 seconds (10 seconds by default). A claim left by a sandbox that stopped mid-attempt
    /// lapses after it, and another sandbox then makes the attempt.
    ///
    /// The attempt itself cannot outlast its timeout; the margin covers what surrounds it: the
    /// start of the attempt after the claim, and storing its outcome (one short write). It grows
    /// with the timeout because what slows one (a loaded host, a loaded database) tends to slow
    /// the other. Should a sandbox still overrun the lease, the cost is a second delivery of the
    /// event, never a lost one: receivers tell events apart by their id.
    public var claimLease: Duration {
        attemptTimeout + max(attemptTimeout, .seconds(5))
    }

    /// Whether an answer with `status` delivers the event.
    public static func isDelivered(status: UInt) -> Bool { deliveredStatuses.contains(status) }

    /// The wait after failed attempt number `attempt` (1 for the first), in seconds.
    public func backoff(afterAttempt attempt: Int) -> Double {
        let initial = Self.seconds(initialBackoff)
        let grown = initial * pow(backoffMultiplier, Double(max(0, attempt - 1)))
        return min(grown, Self.seconds(maximumBackoff))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
