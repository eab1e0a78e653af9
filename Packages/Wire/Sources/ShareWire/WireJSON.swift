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

    /// Why `data` is not JSON, in the parser's words, with where it stops being JSON (`line L,
    /// column C`, both from 1, the column in characters) when the parser says; `nil` when it
    /// parses. For a person editing a file, such as a configuration file: API bodies are answered
    /// by ``WireError``, without a position. `JSONDecoder` reports a syntax error with neither on
    /// Linux; `JSONSerialization` says "Invalid value around character N." (N a byte offset from
    /// 0) or "Unexpected end of file during JSON parse.", which this turns into a line and column.
    public static func syntaxError(in data: Data) -> String? {
        var reason: String
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch let error as NSError {
            reason = (error.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "not valid JSON"
        }
        if reason.hasSuffix(".") { reason.removeLast() }
        reason = reason.prefix(1).lowercased() + reason.dropFirst()
        guard let marker = reason.range(of: " around character "),
            let offset = Int(reason[marker.upperBound...].prefix(while: \.isNumber)), offset >= 0, offset <= data.count
        else { return reason }
        let before = data.prefix(offset)
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        let column = String(decoding: before[lineStart...], as: UTF8.self).count + 1
        return "\(reason[..<marker.lowerBound]) at line \(line), column \(column)"
    }
}
