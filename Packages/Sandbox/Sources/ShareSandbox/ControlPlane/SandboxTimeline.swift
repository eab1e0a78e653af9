import Foundation
import NIOConcurrencyHelpers

/// The sandbox's own time: the configured clock (``SandboxConfiguration/clock``) moved forward by
/// an offset that `POST /sandbox/clock/advance` grows and `POST /sandbox/clock/reset` clears.
///
/// Every rule of a running sandbox that reads the time reads ``clock``: access and refresh token
/// expiry, introspection's `exp`, share-token TTLs, webhook retry schedules, workflows,
/// idempotency-key retention and rate-limit windows. The offset only grows: the sandbox's time
/// never goes backwards, except to the configured clock on reset.
///
/// The timeline holds the latest ``SandboxClockSetting`` this process has seen of the one the
/// store keeps (``SandboxControlStore``); with a store shared by several sandboxes, each follows
/// the changes the others make (see ``SandboxControlPlane``).
public final class SandboxTimeline: Sendable {
    /// The largest offset the sandbox accepts: 100 years, in seconds.
    public static let maximumOffsetSeconds = 100 * 365 * 24 * 3600

    private let base: SandboxClock
    private let current: NIOLockedValueBox<SandboxClockSetting>

    /// A timeline over `base`, already `offsetSeconds` ahead of it (version 0).
    public convenience init(base: SandboxClock, offsetSeconds: Int = 0) {
        self.init(base: base, setting: SandboxClockSetting(offsetSeconds: offsetSeconds, version: 0))
    }

    /// A timeline over `base`, as `setting` tells.
    public init(base: SandboxClock, setting: SandboxClockSetting) {
        self.base = base
        self.current = NIOLockedValueBox(Self.clamped(setting))
    }

    /// How many seconds the sandbox's time is ahead of the configured clock.
    public var offsetSeconds: Int { current.withLockedValue { $0.offsetSeconds } }

    /// The setting the timeline follows: the newest it was given.
    public var setting: SandboxClockSetting { current.withLockedValue { $0 } }

    /// The sandbox's current time: the configured clock plus ``offsetSeconds``.
    public func now() -> Date { reading().now }

    /// The current time and the offset it was read with, from one reading of the offset.
    public func reading() -> (now: Date, offsetSeconds: Int) { reading(offsetSeconds: offsetSeconds) }

    /// The current time had the sandbox's time been `offsetSeconds` ahead of the configured clock.
    func reading(offsetSeconds offset: Int) -> (now: Date, offsetSeconds: Int) {
        (base.now().addingTimeInterval(TimeInterval(offset)), offset)
    }

    /// A clock reading ``now()``: the one every rule of the sandbox is given.
    public var clock: SandboxClock { SandboxClock { [self] in now() } }

    /// Follows `setting` when its version is newer than the one held (`true`); an older or equal
    /// version changes nothing (`false`), so readings answered out of order never move time back.
    @discardableResult
    public func apply(_ setting: SandboxClockSetting) -> Bool {
        current.withLockedValue { current in
            guard setting.version > current.version else { return false }
            current = Self.clamped(setting)
            return true
        }
    }

    private static func clamped(_ setting: SandboxClockSetting) -> SandboxClockSetting {
        SandboxClockSetting(offsetSeconds: min(max(0, setting.offsetSeconds), maximumOffsetSeconds), version: setting.version)
    }
}
