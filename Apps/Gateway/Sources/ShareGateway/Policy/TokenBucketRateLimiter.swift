import NIOConcurrencyHelpers

/// A per-client token bucket: each client may make ``Configuration/burst`` requests at once and
/// ``Configuration/ratePerSecond`` per second after that; a refused request learns how many
/// seconds to wait (`Retry-After`).
///
/// Shared by every connection, so its state sits behind one lock (held for a dictionary lookup
/// and a few arithmetic operations). Memory is bounded: past ``Configuration/maximumClients``
/// tracked clients, buckets that have refilled completely — clients that behave as new — are
/// dropped.
public final class TokenBucketRateLimiter: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Sustained requests per second per client; `0` turns limiting off.
        public var ratePerSecond: Double
        /// Requests a client may make at once.
        public var burst: Double
        /// Clients tracked before idle buckets are swept.
        public var maximumClients: Int

        public init(ratePerSecond: Double = 20, burst: Double = 40, maximumClients: Int = 10_000) {
            self.ratePerSecond = ratePerSecond
            self.burst = max(burst, 1)
            self.maximumClients = maximumClients
        }

        /// No limit.
        public static let unlimited = Configuration(ratePerSecond: 0)
    }

    /// The outcome for one request.
    public enum Decision: Sendable, Hashable {
        case allowed
        /// Refused; retry after this many whole seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let configuration: Configuration
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Whether limiting is on.
    public var isEnabled: Bool { configuration.ratePerSecond > 0 }

    /// Takes one token from `client`'s bucket.
    public func acquire(client: String, now: ContinuousClock.Instant = .now) -> Decision {
        guard isEnabled else { return .allowed }
        let rate = configuration.ratePerSecond
        let burst = configuration.burst
        return buckets.withLockedValue { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Self.seconds(now - bucket.updated)
            bucket.tokens = min(burst, bucket.tokens + max(0, elapsed) * rate)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                let wait = (1 - bucket.tokens) / rate
                decision = .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            buckets[client] = bucket
            if buckets.count > configuration.maximumClients {
                buckets = buckets.filter { _, bucket in
                    bucket.tokens + max(0, Self.seconds(now - bucket.updated)) * rate < burst
                }
            }
            return decision
        }
    }

    /// How many clients are tracked.
    public var trackedClients: Int { buckets.withLockedValue { $0.count } }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
