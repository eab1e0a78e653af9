/// Decodes `application/x-www-form-urlencoded` bodies into `Decodable` values.
public struct FormDecoder: Sendable {
    /// The deepest `a[b][c]` nesting accepted.
    public var maximumDepth: Int

    public init(maximumDepth: Int = 8) { self.maximumDepth = maximumDepth }

    public func decode<T: Decodable>(_ type: T.Type, from string: String) throws(WireError) -> T {
        try decode(type, from: Array(string.utf8))
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(WireError) -> T {
        throw WireError(reason: "form decoding is not available in this build")
    }
}
