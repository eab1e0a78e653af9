import Foundation

/// The life of a connection as a pure value: its status, its instants, and which side may move
/// it where.
///
/// ```
/// pending ──accept (destination)──▶ active
///    │                                 │
///    └──deactivate (either side)──▶ inactive ◀──deactivate (either side)──┘
/// inactive ──reactivate (source)──▶ pending
/// ```
///
/// The source creates a connection and the destination activates it
/// (<https://docs.withpersona.com/managing-connections>); either side may deactivate a `pending`
/// or `active` connection, and an `inactive` one cannot be deactivated again
/// (<https://docs.withpersona.com/api-reference/connect/connections/deactivate-a-connect-connection>);
/// only the source reactivates an `inactive` connection, which returns to `pending` until the
/// destination accepts it again
/// (<https://docs.withpersona.com/api-reference/connect/connections/reactivate-a-connect-connection>).
public struct ConnectConnectionLifecycle: Hashable, Sendable {
    /// Which side of the connection acts.
    public enum Side: Hashable, Sendable {
        case source, destination
    }

    /// A change of a connection.
    public enum Transition: Hashable, Sendable {
        case accept, deactivate, reactivate
    }

    /// Why a transition is not allowed.
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        /// This side may not make this change.
        case wrongSide(Transition, Side)
        /// The change does not apply to a connection in this status.
        case wrongStatus(Transition, ConnectConnectionStatus)

        public var description: String {
            switch self {
            case .wrongSide(.accept, _): "only the destination organization of a connection can accept it"
            case .wrongSide(.reactivate, _): "only the source organization of a connection can reactivate it"
            case .wrongSide(let transition, let side): "the \(side) organization cannot \(transition) this connection"
            case .wrongStatus(.accept, let status): "only a pending connection can be accepted; this one is \(status)"
            case .wrongStatus(.deactivate, _): "the connection is already inactive"
            case .wrongStatus(.reactivate, let status): "only an inactive connection can be reactivated; this one is \(status)"
            }
        }
    }

    public private(set) var status: ConnectConnectionStatus
    public private(set) var createdAt: Date
    public private(set) var updatedAt: Date
    public private(set) var activatedAt: Date?
    public private(set) var deactivatedAt: Date?

    /// A connection as a store kept it (or a new one: `pending`, or `active` when declared in a
    /// configuration file).
    public init(status: ConnectConnectionStatus, createdAt: Date, updatedAt: Date? = nil, activatedAt: Date? = nil, deactivatedAt: Date? = nil) {
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.activatedAt = activatedAt ?? (status == .active ? createdAt : nil)
        self.deactivatedAt = deactivatedAt
    }

    /// The lifecycle after `side` makes `transition` at `now`, or why it cannot.
    public func applying(_ transition: Transition, by side: Side, at now: Date) throws(Refusal) -> ConnectConnectionLifecycle {
        var next = self
        switch transition {
        case .accept:
            guard side == .destination else { throw .wrongSide(transition, side) }
            guard status == .pending else { throw .wrongStatus(transition, status) }
            next.status = .active
            next.activatedAt = now
            next.deactivatedAt = nil
        case .deactivate:
            guard status != .inactive else { throw .wrongStatus(transition, status) }
            next.status = .inactive
            next.deactivatedAt = now
        case .reactivate:
            guard side == .source else { throw .wrongSide(transition, side) }
            guard status == .inactive else { throw .wrongStatus(transition, status) }
            next.status = .pending
        }
        next.updatedAt = now
        return next
    }
}
