/// How long the sandbox keeps what has finished (``SandboxConfiguration/retention``): expired
/// and revoked tokens, finished share tokens, events whose delivery ended and workflow runs go
/// ``seconds`` after they stopped mattering (``SandboxRetentionStore``), so that a sandbox under
/// constant load stops growing.
///
/// ```swift
/// var configuration = SandboxConfiguration(port: 0)
/// configuration.retention = SandboxRetention(seconds: 3600)  // an hour instead of a day
/// configuration.retention = nil                              // keep everything
/// ```
public struct SandboxRetention: Hashable, Sendable {
    /// The default retention: a day (86,400 seconds).
    public static let defaultSeconds = 86_400

    /// How long, in seconds, a finished row is kept; at least 1.
    public var seconds: Int
    /// Rows looked at per step of a purge (per lock hold or write transaction).
    public var batchSize: Int

    /// A retention of `seconds` (at least 1), purging `batchSize` rows (at least 1) per step.
    public init(seconds: Int = defaultSeconds, batchSize: Int = 500) {
        self.seconds = max(1, seconds)
        self.batchSize = max(1, batchSize)
    }

    /// Time between two purges: a tenth of the retention, at least a second and at most an hour.
    /// The sandbox also purges at once after its clock moves forward (`POST /sandbox/clock/advance`).
    public var interval: Duration { .seconds(min(max(seconds / 10, 1), 3600)) }
}
