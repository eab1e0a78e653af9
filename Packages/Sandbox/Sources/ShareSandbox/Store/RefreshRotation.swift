/// What happened when a refresh token was presented for rotation.
public enum RefreshRotation: Hashable, Sendable {
    /// The token was active and unspent: it is now spent and the new tokens are stored.
    case rotated
    /// The token had been spent already: it leaked, so its whole family is now revoked.
    case reused(revokedCount: Int)
    /// The token is unknown, revoked or expired; nothing changed.
    case inactive
}
