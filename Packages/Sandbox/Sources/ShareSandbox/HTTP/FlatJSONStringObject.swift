/// The fields of a JSON body that is one flat object of plain strings — `{"token":"…",
/// "client_id":"…"}`, what every client sends to `/oauth/introspect` and `/oauth/revoke` — read
/// without Foundation's `JSONDecoder`.
///
/// Hand-written as a fast path, not a JSON parser: it declines (returns `nil`) anything else —
/// nested values, numbers, `null`, booleans, escapes, repeated keys, invalid UTF-8, trailing
/// bytes — and the caller then decodes the body with `WireJSON`, which accepts or rejects it with
/// the usual field-naming error. So a body means the same whichever path reads it; the fast path
/// only skips `JSONDecoder`'s cost, which was the largest left in a `/oauth/introspect` profile.
struct FlatJSONStringObject {
    /// The object's fields.
    let fields: [String: String]

    /// Reads `bytes`, or `nil` when they are not one flat object of plain strings.
    init?(_ bytes: [UInt8]) {
        var fields: [String: String] = [:]
        let parsed: Bool = bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            func skipWhitespace() {
                while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x09 || buffer[index] == 0x0A || buffer[index] == 0x0D {
                    index += 1
                }
            }
            func expect(_ byte: UInt8) -> Bool {
                skipWhitespace()
                guard index < buffer.count, buffer[index] == byte else { return false }
                index += 1
                return true
            }
            /// A string without escapes or control characters.
            func plainString() -> String? {
                guard expect(UInt8(ascii: "\"")) else { return nil }
                let start = index
                while index < buffer.count {
                    let byte = buffer[index]
                    if byte == UInt8(ascii: "\"") {
                        let text = String(validating: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                        index += 1
                        return text
                    }
                    if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                    index += 1
                }
                return nil
            }
            guard expect(UInt8(ascii: "{")) else { return false }
            if expect(UInt8(ascii: "}")) {
                skipWhitespace()
                return index == buffer.count
            }
            while true {
                guard let key = plainString(), expect(UInt8(ascii: ":")), let value = plainString(),
                    fields.updateValue(value, forKey: key) == nil
                else { return false }
                if expect(UInt8(ascii: ",")) { continue }
                guard expect(UInt8(ascii: "}")) else { return false }
                skipWhitespace()
                return index == buffer.count
            }
        }
        guard parsed else { return nil }
        self.fields = fields
    }
}
