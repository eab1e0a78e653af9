/// The control plane's clock as a store keeps it: how far the sandbox's time runs ahead of the
/// configured clock, and a version that every change (advance, reset, erasure) increases.
///
/// The version orders readings: a sandbox takes a reading only when its version is newer than
/// the one it holds (``SandboxTimeline/apply(_:)``), so that a late answer to an earlier read
/// never moves its time back, while a reset (a newer version with a smaller offset) does.
public struct SandboxClockSetting: Hashable, Sendable {
    /// Seconds ahead of the configured clock, from 0 to ``SandboxTimeline/maximumOffsetSeconds``.
    public var offsetSeconds: Int
    /// Grows by one with every change of the stored clock.
    public var version: Int

    public init(offsetSeconds: Int, version: Int) {
        self.offsetSeconds = offsetSeconds
        self.version = version
    }

    /// A store's clock before any change: on the configured clock, version 0.
    public static let start = SandboxClockSetting(offsetSeconds: 0, version: 0)
}
