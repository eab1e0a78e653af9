/// What ``ShareTokenStore/replaceShareToken(_:expecting:record:events:)`` did.
public enum ShareTokenReplacement: Hashable, Sendable {
    /// The share token, the record and the events are stored.
    case replaced
    /// The stored share token no longer had the expected status (another redemption or an
    /// expiry came first); nothing changed.
    case statusChanged
    /// A record with the given record's id belongs to another organization; nothing changed.
    case recordOwnedByAnotherOrganization
}
