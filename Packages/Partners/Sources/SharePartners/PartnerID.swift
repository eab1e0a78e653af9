import ShareModels

/// The stable, human-facing name of a partner, e.g. `fannie-mae`.
///
/// Each partner target adds its own static member (`PartnerID.fannieMae` lives in
/// `PartnerFannieMae`), so a new partner never edits this package.
public struct PartnerID: WireString, Comparable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static func < (lhs: PartnerID, rhs: PartnerID) -> Bool { lhs.rawValue < rhs.rawValue }
}
