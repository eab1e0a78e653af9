import Foundation

/// How the sandbox delivers events to webhooks: how often it looks for due deliveries, how long
/// one attempt may take, and how failed attempts are retried (exponential backoff, bounded).
public struct WebhookDeliveryPolicy: Hashable, Sendable {
    /// The most attempts per event; after the last failure the delivery is `failed`. Default 8.
    public var maximumAttempts: Int
    /// The wait before the second attempt. Default 10 seconds.
    public var initialBackoff: Duration
    /// The factor each further wait grows by. Default 2.
    public var backoffMultiplier: Double
    /// The longest wait between attempts. Default 1 hour.
    public var maximumBackoff: Duration
    /// The longest one attempt may take. Default 10 seconds.
    public var attemptTimeout: Duration
    /// How often the delivery loop looks for due deliveries. Default 1 second.
    public var pollInterval: Duration

    public init(
        maximumAttempts: Int = 8, initialBackoff: Duration = .seconds(10), backoffMultiplier: Double = 2,
        maximumBackoff: Duration = .seconds(3600), attemptTimeout: Duration = .seconds(10), pollInterval: Duration = .seconds(1)
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.backoffMultiplier = max(1, backoffMultiplier)
        self.maximumBackoff = maximumBackoff
        self.attemptTimeout = attemptTimeout
        self.pollInterval = pollInterval
    }

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
