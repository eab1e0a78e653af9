/// A string-backed value that travels on the wire as its raw string and keeps values it does not
/// know, so that a newer server never breaks an older client.
///
/// `GrantType`, `SubjectTokenType`, `Scope` and `OAuthErrorCode` share this shape: each is a
/// `struct` with static members for the documented values rather than a closed `enum`.
public protocol WireString: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String
{
    init(rawValue: String)
}

extension WireString {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
