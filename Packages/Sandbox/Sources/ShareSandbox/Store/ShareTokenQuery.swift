import Foundation
import ShareModels

/// Which share tokens a listing wants, besides being visible to the caller.
public struct ShareTokenQuery: Hashable, Sendable {
    public var connectionID: ConnectionID?
    /// Compared with the status at the time of the listing (a token past its TTL is `expired`).
    public var status: ShareTokenStatus?
    /// `outbound`: tokens the caller created; `inbound`: tokens it may redeem.
    public var direction: ShareTokenDirection?
    /// Only tokens listed after this one (newest first).
    public var after: ShareTokenID?
    /// At most this many.
    public var limit: Int

    public init(
        connectionID: ConnectionID? = nil, status: ShareTokenStatus? = nil, direction: ShareTokenDirection? = nil,
        after: ShareTokenID? = nil, limit: Int
    ) {
        self.connectionID = connectionID
        self.status = status
        self.direction = direction
        self.after = after
        self.limit = limit
    }

    /// Whether `token` passes the filters for `organization` at `now` (the cursor and the limit aside).
    public func matches(_ token: StoredShareToken, for organization: OrganizationID, at now: Date) -> Bool {
        guard let side = token.direction(for: organization) else { return false }
        if let direction, side != direction { return false }
        if let connectionID, token.connectionID != connectionID { return false }
        if let status, token.status(at: now) != status { return false }
        return true
    }
}
