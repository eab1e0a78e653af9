/// Byte comparisons of header names and tokens, which HTTP compares ASCII case-insensitively.
///
/// Only `A`–`Z` are folded: names and the tokens compared here are ASCII, and no other token byte
/// has a case.
public enum ASCIICaseInsensitive {
    /// `byte` with `A`–`Z` lowercased.
    @inlinable @inline(__always)
    public static func folded(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    /// Whether `bytes` equals `lowercase` (already lowercase), ignoring the case of `bytes`.
    @inlinable
    public static func equals(_ bytes: UnsafeRawBufferPointer, _ lowercase: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        for index in 0..<bytes.count where folded(bytes[index]) != lowercase[index] { return false }
        return true
    }

    /// Whether `bytes` equals the lowercase literal `lowercase`, ignoring the case of `bytes`.
    @inlinable
    public static func equals(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        equals(bytes, UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount))
    }

    /// Whether `bytes` starts with `lowercasePrefix`, ignoring the case of `bytes`.
    @inlinable
    public static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ lowercasePrefix: StaticString) -> Bool {
        guard bytes.count >= lowercasePrefix.utf8CodeUnitCount else { return false }
        return equals(UnsafeRawBufferPointer(rebasing: bytes[0..<lowercasePrefix.utf8CodeUnitCount]), lowercasePrefix)
    }

    /// `bytes` without leading and trailing spaces and tabs.
    @inlinable
    public static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end && (bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t")) { start += 1 }
        while end > start && (bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t")) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }
}
