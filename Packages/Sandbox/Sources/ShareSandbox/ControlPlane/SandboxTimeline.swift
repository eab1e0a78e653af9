import Foundation
import NIOConcurrencyHelpers

/// The sandbox's own time: the configured clock (``SandboxConfiguration/clock``) moved forward by
/// an offset that `POST /sandbox/clock/advance` grows and `POST /sandbox/clock/reset` clears.
///
/// Every rule of a running sandbox that reads the time reads ``clock``: access and refresh token
/// expiry, introspection's `exp`, share-token TTLs, webhook retry schedules, workflows,
/// idempotency-key retention and rate-limit windows. The offset only grows: the sandbox's time
/// never goes backwards, except to the configured clock on reset.
public final class SandboxTimeline: Sendable {
    /// The largest offset the sandbox accepts: 100 years, in seconds.
    public static let maximumOffsetSeconds = 100 * 365 * 24 * 3600

    private let base: SandboxClock
    private let offset: NIOLockedValueBox<Int>

    /// A timeline over `base`, already `offsetSeconds` ahead of it.
    public init(base: SandboxClock, offsetSeconds: Int = 0) {
        self.base = base
        self.offset = NIOLockedValueBox(min(max(0, offsetSeconds), Self.maximumOffsetSeconds))
    }

    /// How many seconds the sandbox's time is ahead of the configured clock.
    public var offsetSeconds: Int { offset.withLockedValue { $0 } }

    /// The sandbox's current time: the configured clock plus ``offsetSeconds``.
    public func now() -> Date { reading().now }

    /// The current time and the offset it was read with, from one reading of the offset.
    public func reading() -> (now: Date, offsetSeconds: Int) {
        let offset = offsetSeconds
        return (base.now().addingTimeInterval(TimeInterval(offset)), offset)
    }

    /// A clock reading ``now()``: the one every rule of the sandbox is given.
    public var clock: SandboxClock { SandboxClock { [self] in now() } }

    /// The offset after moving forward by `seconds`, or `nil` when `seconds` is not positive or
    /// the result would pass ``maximumOffsetSeconds``. Changes nothing.
    public func offset(advancedBy seconds: Int) -> Int? {
        let current = offsetSeconds
        guard seconds > 0, seconds <= Self.maximumOffsetSeconds - current else { return nil }
        return current + seconds
    }

    /// Sets the offset; a smaller one than the current is refused (`false`) unless it is zero
    /// (a reset), so that concurrent advances never move time backwards.
    @discardableResult
    func setOffset(_ seconds: Int) -> Bool {
        offset.withLockedValue { current in
            guard seconds == 0 || seconds >= current, seconds <= Self.maximumOffsetSeconds else { return false }
            current = seconds
            return true
        }
    }
}
