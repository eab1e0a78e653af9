/// What one ``SandboxRetentionStore/purge(finishedBefore:batchSize:)`` deleted.
public struct SandboxPurge: Hashable, Sendable {
    /// OAuth tokens, of families that had all ended before the cutoff.
    public var tokens: Int
    /// Share tokens redeemed, failed or expired before the cutoff.
    public var shareTokens: Int
    /// Events created before the cutoff whose delivery had ended or was never requested, and
    /// whose workflows had all run.
    public var events: Int
    /// Workflow runs created before the cutoff.
    public var workflowRuns: Int

    public init(tokens: Int = 0, shareTokens: Int = 0, events: Int = 0, workflowRuns: Int = 0) {
        self.tokens = tokens
        self.shareTokens = shareTokens
        self.events = events
        self.workflowRuns = workflowRuns
    }

    /// How many rows were deleted in all.
    public var total: Int { tokens + shareTokens + events + workflowRuns }
}
