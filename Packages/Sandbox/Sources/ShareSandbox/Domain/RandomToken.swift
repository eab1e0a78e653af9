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
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// `length` random letters and digits, e.g. for a `request_id`.
    static func alphanumeric(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphanumerics[Int.random(in: 0..<alphanumerics.count, using: &generator)] }
        return String(decoding: characters, as: UTF8.self)
    }
}
