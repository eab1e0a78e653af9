import Foundation
import NIOConcurrencyHelpers
import ShareModels

/// The request limit of each API key of the share-token API, as Persona counts it
/// (https://docs.withpersona.com/rate-limiting): a window of 60 seconds starts with a key's first
/// request, allows `limit` requests, and the count starts again with the first request after it.
/// Persona's documented default is 300 requests per minute.
public final class APIRateLimiter: Sendable {
    /// The outcome of one request.
    public struct Decision: Hashable, Sendable {
        /// Whether the request may proceed.
        public var allowed: Bool
        /// The limit per window (`RateLimit-Limit`).
        public var limit: Int
        /// Requests left in this window (`RateLimit-Remaining`).
        public var remaining: Int
        /// Whole seconds until the window ends (`RateLimit-Reset`).
        public var secondsToReset: Int
    }

    private struct Window {
        var start: Date
        var count: Int
    }

    /// Persona's default limit: 300 requests per minute.
    public static let defaultLimit = 300
    /// The length of a window.
    public static let window: TimeInterval = 60

    public let limit: Int
    private let clock: SandboxClock
    private let windows = NIOLockedValueBox<[OrganizationID: Window]>([:])

    /// A limiter allowing `limit` requests per minute to each organization's key.
    public init(limit: Int = APIRateLimiter.defaultLimit, clock: SandboxClock) {
        self.limit = max(1, limit)
        self.clock = clock
    }

    /// Counts a request of `organization` and tells whether it is within the limit.
    public func take(for organization: OrganizationID) -> Decision {
        let now = clock.now()
        return windows.withLockedValue { windows in
            var window = windows[organization] ?? Window(start: now, count: 0)
            if now.timeIntervalSince(window.start) >= Self.window { window = Window(start: now, count: 0) }
            let allowed = window.count < limit
            if allowed { window.count += 1 }
            windows[organization] = window
            let reset = Int((window.start.addingTimeInterval(Self.window).timeIntervalSince(now)).rounded(.up))
            return Decision(allowed: allowed, limit: limit, remaining: limit - window.count, secondsToReset: max(0, reset))
        }
    }

    /// Forgets every window (`POST /sandbox/reset`).
    public func reset() { windows.withLockedValue { $0.removeAll() } }
}
