/// The parties a token is issued for (`audience`): one or more client ids or CRA partner URNs,
/// comma-joined on the wire (`urn:plaid:params:cra-partner:experian,urn:plaid:params:cra-partner:fannie-mae`).
///
/// An audience is never empty: the typed initialisers need a first member, and decoding an empty
/// or all-comma string fails.
public struct Audience: Hashable, Sendable, Codable, CustomStringConvertible, Sequence {
    /// One party of an audience.
    public struct Member: WireString {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The prefix every CRA partner URN starts with.
        public static let craPartnerURNPrefix = "urn:plaid:params:cra-partner:"

        /// A client id.
        public static func client(_ clientID: String) -> Member { Member(rawValue: clientID) }

        /// Whether this names a CRA partner (`urn:plaid:params:cra-partner:…`) rather than a client id.
        public var isPartnerURN: Bool { rawValue.hasPrefix(Self.craPartnerURNPrefix) }
    }

    /// The members, in order, without duplicates; never empty.
    public let members: [Member]

    /// An audience of one or more members. Duplicates are dropped, order is kept.
    public init(_ first: Member, _ rest: Member...) { self.init(validated: [first] + rest) }

    /// An audience of the given members, or `nil` when there are none.
    public init?<S: Sequence>(_ members: S) where S.Element == Member {
        let list = Array(members)
        guard !list.isEmpty else { return nil }
        self.init(validated: list)
    }

    private init(validated list: [Member]) {
        var seen = Set<Member>()
        members = list.filter { seen.insert($0).inserted }
    }

    /// Parses the wire form: members separated by commas, whitespace around each trimmed, empty
    /// members dropped. `nil` when nothing remains.
    ///
    /// Splits on Unicode scalars, not `Character`s: a comma followed by a combining mark is one
    /// `Character`, which would otherwise hide the separator (as fuzzing found for ``ScopeSet``).
    public init?(parsing wire: String) {
        let parts = wire.unicodeScalars.split(separator: ",")
            .map { Substring(String(String.UnicodeScalarView($0))).trimmingWhitespace() }.filter { !$0.isEmpty }
        self.init(parts.map { Member(rawValue: String($0)) })
    }

    /// The wire form: members joined by commas.
    public var wireValue: String { members.map(\.rawValue).joined(separator: ",") }
    public var description: String { wireValue }

    /// Whether several parties share the token (a multi-party token).
    public var isMultiParty: Bool { members.count > 1 }

    public func contains(_ member: Member) -> Bool { members.contains(member) }
    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let audience = Audience(parsing: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "audience must name at least one client id or partner URN"
            )
        }
        self = audience
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireValue)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
