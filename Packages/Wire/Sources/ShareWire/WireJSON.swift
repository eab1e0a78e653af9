import Foundation

/// JSON bodies with ShareKit's wire rules, on top of Foundation's `JSONEncoder` and `JSONDecoder`.
///
/// - Field names are exactly the types' `CodingKeys` (no key strategy is applied).
/// - Optional fields that are `nil` are left out, never written as `null` (synthesized `Codable`
///   uses `encodeIfPresent`; hand-written conformances must do the same).
/// - Fields a type does not know are ignored when decoding.
/// - Keys are written in sorted order, so the same value always gives the same bytes.
/// - Times that are plain numbers (`expires_in`, `exp`, `iat`) are modelled as `Int`, so they
///   travel as JSON integers.
///
/// Every failure is a ``WireError`` naming the field; Foundation's `DecodingError` is translated
/// so that no input value reaches the message.
public struct WireJSON: Sendable {
    /// Encodes `value` as compact JSON with sorted keys and unescaped slashes.
    public static func encode<T: Encodable>(_ value: T) throws(WireError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw WireError(translating: error)
        }
    }

    /// Decodes a JSON body, ignoring unknown fields.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(WireError) -> T {
        let data: Data
        if let contiguous = bytes as? Data {
            data = contiguous
        } else if let array = bytes as? [UInt8] {
            data = Data(array)
        } else {
            data = Data(bytes)
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw WireError(translating: error, json: data)
        } catch {
            throw WireError(translating: error)
        }
    }
}
