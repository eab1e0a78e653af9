import Foundation

/// Where the sandbox reads the current time: the system clock in production, a clock a test
/// moves by hand to check expiry without waiting.
public struct SandboxClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that answers `now()` with whatever `read` returns.
    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// The current time.
    public func now() -> Date { read() }

    /// The system's wall clock.
    public static let system = SandboxClock { Date() }
}
