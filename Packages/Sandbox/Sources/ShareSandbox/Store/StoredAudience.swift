import Foundation

/// The text form of a token's audience in the persistent stores' `audience` column: a JSON array
/// of strings, such as `["demo-client"]`.
///
/// Read on every introspection, so the common case — every element a plain string, without
/// escapes or control characters — is written and read by hand; anything else (an escape, a
/// space between elements, a row written by `JSONEncoder`, which escapes `/`) goes through
/// Foundation's `JSONEncoder`/`JSONDecoder`. Both paths read the same text the same way, so rows
/// written by either are read back exactly.
public enum StoredAudience {
    /// The column text for `audience`.
    public static func text(for audience: [String]) throws -> String {
        guard audience.allSatisfy(isPlain) else {
            return String(decoding: try JSONEncoder().encode(audience), as: UTF8.self)
        }
        var text = "["
        for (index, element) in audience.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            text += element
            text += "\""
        }
        text += "]"
        return text
    }

    /// The audience stored as `text`; throws `DecodingError` when `text` is not a JSON array of
    /// strings.
    public static func audience(from text: String) throws -> [String] {
        var text = text
        if let audience = text.withUTF8(plainArray) { return audience }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// Whether `element` needs no escape in JSON.
    private static func isPlain(_ element: String) -> Bool {
        element.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// `bytes` read as `[` plain strings separated by `,` `]` with nothing else (no whitespace),
    /// or `nil` when they are anything else.
    private static func plainArray(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "["), bytes[bytes.count - 1] == UInt8(ascii: "]") else { return nil }
        var elements: [String] = []
        var index = 1
        let end = bytes.count - 1
        if index == end { return elements }
        while true {
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            while index < end, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") || bytes[index] < 0x20 { return nil }
                index += 1
            }
            guard index < end,
                let element = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            else { return nil }
            elements.append(element)
            index += 1
            if index == end { return elements }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }
}
