import ShareModels

/// A secret value — a client secret or an API key — that never prints itself.
///
/// `description`, `debugDescription`, string interpolation and `dump` all show
/// `<redacted>`; the value is read only through ``revealed``, at the one place that must send
/// it. Two secrets are compared in constant time, so a comparison leaks nothing about how many
/// leading bytes matched. `Secret` is deliberately not `Codable`, so it cannot be written out by
/// accident.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// Wraps `value`.
    public init(_ value: String) { self.value = value }

    /// The secret itself, for the code that places it on a request. Never log it.
    public var revealed: String { value }

    /// Whether the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    /// Constant-time equality: the time taken depends on the lengths only, never on the content.
    public static func == (lhs: Secret, rhs: Secret) -> Bool { constantTimeEquals(lhs.value, rhs.value) }

    /// Compares two strings' UTF-8 bytes in time that depends only on their lengths.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs
        var right = rhs
        return left.withUTF8 { a in
            right.withUTF8 { b in
                var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
                let count = max(a.count, b.count)
                for index in 0..<count {
                    let x = index < a.count ? a[index] : 0
                    let y = index < b.count ? b[index] : 0
                    difference |= x ^ y
                }
                return difference == 0
            }
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public var description: String { Redaction.marker }
    public var debugDescription: String { Redaction.marker }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
