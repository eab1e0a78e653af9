import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Random, URL-safe strings for tokens, ids and request ids.
///
/// Every byte comes from the system's cryptographically secure generator (`getrandom` on
/// Linux, `arc4random_buf` on Apple platforms) and is used once. Bytes are drawn 4 KiB per system
/// call into a locked pool rather than eight per call through `SystemRandomNumberGenerator`:
/// every answer carries a fresh `request_id`, and one system call per request showed in
/// `/oauth/introspect` profiles. Strings are base64url without padding (RFC 4648 §5), so a 32-byte
/// token is 43 characters that survive URLs, forms and headers unescaped.
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
            for byte in randomBytes(length - characters.count + 2) where byte < 248 && characters.count < length {
                characters.append(alphanumerics[Int(byte % 62)])
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// `count` fresh random bytes.
    static func randomBytes(_ count: Int) -> [UInt8] {
        guard count <= RandomBytePool.capacity / 4 else { return RandomBytePool.systemRandomBytes(count) }
        return pool.withLockedValue { $0.take(count) }
    }

    private static let pool = NIOLockedValueBox(RandomBytePool())
}

/// A buffer of bytes from the system generator, handed out front to back, each byte once.
private struct RandomBytePool {
    static let capacity = 4096
    private var bytes: [UInt8] = []
    private var next = 0

    mutating func take(_ count: Int) -> [UInt8] {
        if next + count > bytes.count {
            bytes = Self.systemRandomBytes(Self.capacity)
            next = 0
        }
        defer {
            // Spent bytes are overwritten, so a later memory dump cannot recover a token.
            for index in next..<(next + count) { bytes[index] = 0 }
            next += count
        }
        return Array(bytes[next..<(next + count)])
    }

    /// `count` bytes straight from the system generator: `/dev/urandom` (the kernel's CSPRNG,
    /// which `getrandom` also reads), or the standard library's generator where that cannot be read.
    static func systemRandomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        #if canImport(Darwin)
        bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress, $0.count) }
        #else
        var filled = 0
        if let device = urandom {
            while filled < count {
                let result = bytes.withUnsafeMutableBytes { read(device, $0.baseAddress! + filled, count - filled) }
                if result > 0 {
                    filled += result
                } else if result == 0 || errno != EINTR {
                    break
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        while filled < count {
            bytes[filled] = UInt8.random(in: .min ... .max, using: &generator)
            filled += 1
        }
        #endif
        return bytes
    }

    #if !canImport(Darwin)
    /// Opened once and kept for the life of the process.
    private static let urandom: Int32? = {
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        return descriptor >= 0 ? descriptor : nil
    }()
    #endif
}
