/// What one ``PostgresSandboxStore/purge(finishedBefore:batchSize:)`` removed.
public struct PostgresPurge: Hashable, Sendable {
    /// OAuth tokens revoked or expired before the cutoff.
    public var tokens: Int
    /// Share tokens redeemed, failed or expired before the cutoff.
    public var shareTokens: Int
    /// Events whose delivery ended (delivered, failed, or none requested), created before the cutoff.
    public var events: Int

    public init(tokens: Int = 0, shareTokens: Int = 0, events: Int = 0) {
        self.tokens = tokens
        self.shareTokens = shareTokens
        self.events = events
    }
}
