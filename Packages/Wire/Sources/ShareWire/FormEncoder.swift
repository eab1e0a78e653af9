/// Encodes `Encodable` values as `application/x-www-form-urlencoded` bodies.
public struct FormEncoder: Sendable {
    public init() {}

    /// Encodes `value`, which must encode a keyed container at the top level.
    public func encode<T: Encodable>(_ value: T) throws(WireError) -> String {
        String(decoding: try encodedBytes(value), as: UTF8.self)
    }

    func encodedBytes<T: Encodable>(_ value: T) throws(WireError) -> [UInt8] {
        throw WireError(reason: "form encoding is not available in this build")
    }
}
