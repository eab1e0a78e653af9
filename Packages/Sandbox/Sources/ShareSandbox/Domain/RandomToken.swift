import Foundation

/// Random, URL-safe strings for tokens, ids and request ids.
///
/// Uses the system's cryptographically secure generator (`getrandom` on Linux) and base64url
/// without padding (RFC 4648 §5), so a 32-byte token is 43 characters that survive URLs, forms
/// and headers unescaped.
enum RandomToken {
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `byteCount` random bytes in base64url without padding.
    static func base64URL(byteCount: Int) -> String {
        var text = Data(randomBytes(byteCount)).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// `length` random letters and digits, e.g. for a `request_id`.
    static func alphanumeric(length: Int) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        while characters.count < length {
            // Rejection sampling keeps every character equally likely: 248 = 4 × 62.
            for byte in randomBytes(length) where byte < 248 && characters.count < length {
                characters.append(alphanumerics[Int(byte % 62)])
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// `count` random bytes, drawn eight at a time: one `getrandom` call per eight bytes rather
    /// than one per byte, which matters on the request path (every answer's `request_id`).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }
}
