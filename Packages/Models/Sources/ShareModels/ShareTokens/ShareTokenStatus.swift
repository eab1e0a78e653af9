/// Where a share token is in its life.
public enum ShareTokenStatus: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Created and waiting for the destination organization.
    case created
    /// Redemption has started and will finish.
    case pending
    /// The destination organization redeemed it; it cannot be redeemed again.
    case redeemed
    /// Its TTL passed, or the source expired it, before redemption.
    case expired
    /// Redemption failed; the token cannot be used.
    case failed

    public var description: String { rawValue }

    /// Whether the token can never change again.
    public var isTerminal: Bool { self == .redeemed || self == .expired || self == .failed }
}

/// Which side of a connection is looking at a share token.
public enum ShareTokenDirection: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Seen by the source organization, which created it.
    case outbound
    /// Seen by the destination organization, which may redeem it.
    case inbound

    public var description: String { rawValue }
}
