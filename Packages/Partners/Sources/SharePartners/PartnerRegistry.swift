import Foundation
import ShareModels

/// The partners an app knows, built explicitly from adapters — no global state:
///
/// ```swift
/// let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
/// ```
///
/// It resolves ids, audience URNs and aliases (ids and aliases case-insensitively), rejects two
/// adapters that claim the same name, and lists what it knows in registration order.
public struct PartnerRegistry: Sendable {
    /// The registered adapters, in registration order.
    public let adapters: [any PartnerAdapter]
    private let byName: [String: Int]
    private let byURN: [Audience.Member: Int]

    /// A registry of `adapters`. Throws when two adapters share an id, URN or alias.
    public init(_ adapters: [any PartnerAdapter]) throws(PartnerRegistryError) {
        var byName: [String: Int] = [:]
        var byURN: [Audience.Member: Int] = [:]
        for (index, adapter) in adapters.enumerated() {
            guard adapter.audienceURN.isPartnerURN else {
                throw .invalidURN(partner: adapter.id, urn: adapter.audienceURN.rawValue)
            }
            if let other = byURN.updateValue(index, forKey: adapter.audienceURN) {
                throw .duplicate(name: adapter.audienceURN.rawValue, first: adapters[other].id, second: adapter.id)
            }
            for name in [adapter.id.rawValue] + adapter.aliases {
                if let other = byName.updateValue(index, forKey: name.lowercased()), other != index {
                    throw .duplicate(name: name, first: adapters[other].id, second: adapter.id)
                }
            }
        }
        self.adapters = adapters
        self.byName = byName
        self.byURN = byURN
    }

    /// An empty registry.
    public static let empty = try! PartnerRegistry([])

    /// The ids of every registered partner, in registration order.
    public var ids: [PartnerID] { adapters.map(\.id) }

    /// The adapter named by an id, alias or audience URN, or `nil`.
    public func adapter(named name: String) -> (any PartnerAdapter)? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let index = byURN[Audience.Member(rawValue: trimmed)] ?? byName[trimmed.lowercased()] {
            return adapters[index]
        }
        return nil
    }

    /// The adapter for `id`, or `nil`.
    public func adapter(for id: PartnerID) -> (any PartnerAdapter)? { adapter(named: id.rawValue) }

    /// The adapter whose audience URN is `member`, or `nil` (also for client ids).
    public func adapter(forAudience member: Audience.Member) -> (any PartnerAdapter)? {
        byURN[member].map { adapters[$0] }
    }

    /// The adapter named by `name`, or an error that lists every known partner.
    public func resolve(_ name: String) throws(PartnerRegistryError) -> any PartnerAdapter {
        guard let adapter = adapter(named: name) else { throw .unknown(name: name, known: ids) }
        return adapter
    }

    /// The audience for `partners`, in the order given; every one must be registered.
    public func audience(for partners: [PartnerID]) throws(PartnerRegistryError) -> Audience {
        var members: [Audience.Member] = []
        for partner in partners { members.append(try resolve(partner.rawValue).audienceURN) }
        guard let audience = Audience(members) else { throw .emptyAudience }
        return audience
    }

    /// Checks every partner URN of `request.audience`: each must be registered, and each adapter's
    /// rules must accept the request. Members that are not partner URNs (client ids) are left to
    /// the caller. Returns the adapters involved, in audience order.
    @discardableResult
    public func validate(_ request: PartnerShareRequest) throws(PartnerRegistryError) -> [any PartnerAdapter] {
        var involved: [any PartnerAdapter] = []
        for member in request.audience where member.isPartnerURN {
            guard let adapter = adapter(forAudience: member) else {
                throw .unknown(name: member.rawValue, known: ids)
            }
            do {
                try adapter.validate(request)
            } catch {
                throw .rejected(error)
            }
            involved.append(adapter)
        }
        return involved
    }
}
