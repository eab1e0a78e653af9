/// An ordered set of scopes, written on the wire as one space-separated string (RFC 6749 §3.3).
///
/// Order of first appearance is kept so that a value round-trips byte for byte; duplicates and
/// extra whitespace are dropped.
public struct ScopeSet: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByArrayLiteral,
    Sequence
{
    /// The scopes, in order, without duplicates.
    public private(set) var scopes: [Scope]

    public init<S: Sequence>(_ scopes: S) where S.Element == Scope {
        var seen = Set<Scope>()
        self.scopes = scopes.filter { !$0.rawValue.isEmpty && seen.insert($0).inserted }
    }

    public init(arrayLiteral elements: Scope...) { self.init(elements) }

    /// Parses the wire form: scopes separated by spaces (tabs and repeated spaces tolerated).
    ///
    /// Splits on Unicode scalars, not `Character`s: a space followed by a combining mark is one
    /// `Character`, and splitting on characters would fuse two scopes into one that then does not
    /// survive a round trip (found by fuzzing).
    ///
    /// Space and tab are ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII, so splitting
    /// the UTF-8 bytes at them is splitting the scalars; the pieces are kept in order and the
    /// duplicates dropped by a linear scan, which for the few scopes a token holds is cheaper than
    /// hashing them (every stored token's scope is parsed when it is read).
    public init(parsing wire: String) {
        var scopes: [Scope] = []
        for piece in wire.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
            let scope = Scope(rawValue: String(decoding: piece, as: UTF8.self))
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        self.scopes = scopes
    }

    /// `user:read`, the default for sharing a consumer report.
    public static let read: ScopeSet = [.userRead]
    /// `user:read user:write`.
    public static let readWrite: ScopeSet = [.userRead, .userWrite]

    /// The wire form: scopes joined by one space.
    public var wireValue: String { scopes.count == 1 ? scopes[0].rawValue : scopes.map(\.rawValue).joined(separator: " ") }
    public var description: String { wireValue }
    public var isEmpty: Bool { scopes.isEmpty }

    /// Scopes the API does not document (kept, but a server may reject them as `invalid_scope`).
    public var undocumented: [Scope] { scopes.filter { !$0.isDocumented } }

    public func contains(_ scope: Scope) -> Bool { scopes.contains(scope) }

    /// Whether every scope of `self` is also in `other`.
    public func isSubset(of other: ScopeSet) -> Bool { scopes.allSatisfy(other.contains) }

    public func makeIterator() -> IndexingIterator<[Scope]> { scopes.makeIterator() }

    public init(from decoder: any Decoder) throws {
        self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireValue)
    }
}
