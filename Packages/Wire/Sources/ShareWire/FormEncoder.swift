/// Encodes `Encodable` values as `application/x-www-form-urlencoded` bodies.
///
/// Fields are written in the order the value encodes them — for synthesized `Codable`, the order
/// of the properties — so the same value always gives the same bytes. The rules:
///
/// - Names and values are serialized with the WHATWG urlencoded byte set: ASCII letters, digits
///   and `*-._` as they are, space as `+`, every other byte as `%XX`.
/// - `nil` optionals are left out.
/// - A nested keyed value becomes `parent[child]` (brackets written `%5B`/`%5D`).
/// - An array of scalars repeats its name (`tag=a&tag=b`); an array of keyed values uses
///   positions (`item[0][name]=…`). Arrays of arrays cannot be expressed and are an error.
/// - Numbers are written in their shortest round-tripping decimal form, `Bool` as `true`/`false`.
///
/// The top-level value must encode a keyed container (a struct or a dictionary).
///
/// Hand-written rather than taken from Hummingbird's `URLEncodedFormEncoder` (which ShareWire
/// cannot depend on, having no HTTP in it) so that field order is stable, errors are typed and
/// value-free, and output is produced directly as bytes without an intermediate tree.
public struct FormEncoder: Sendable {
    /// An encoder with the rules above.
    public init() {}

    /// Encodes `value` as a form body.
    public func encode<T: Encodable>(_ value: T) throws(WireError) -> String {
        String(decoding: try encodedBytes(value), as: UTF8.self)
    }

    /// Encodes `value` as the bytes of a form body (ASCII).
    func encodedBytes<T: Encodable>(_ value: T) throws(WireError) -> [UInt8] {
        let state = FormEncodingState()
        do {
            try value.encode(to: state)
        } catch {
            throw WireError(translating: error)
        }
        if let error = state.deferredError { throw error }
        return state.output
    }
}
