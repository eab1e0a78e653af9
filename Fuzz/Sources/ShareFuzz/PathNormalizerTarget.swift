import ShareCore

/// Request paths. An accepted path's canonical form must be stable (normalising it again changes
/// nothing) and free of everything the normaliser exists to remove: `..` and `.` segments, `//`,
/// escapes of unreserved characters, lowercase hex, encoded slashes and backslashes, NUL.
enum PathNormalizerTarget {
    static func run(_ bytes: [UInt8]) {
        let path = String(decoding: bytes, as: UTF8.self)
        let normalizer = PathNormalizer()
        guard let canonical = try? normalizer.normalize(path) else { return }
        let again = try? normalizer.normalize(canonical)
        FuzzFailure.require(again == canonical, "normalising the canonical form changed it")
        FuzzFailure.require(canonical.hasPrefix("/"), "the canonical form is not absolute")
        FuzzFailure.require(canonical == "/" || !canonical.contains("//"), "the canonical form holds //")
        let segments = canonical.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        FuzzFailure.require(!segments.contains(".."), "the canonical form holds a .. segment")
        FuzzFailure.require(!segments.contains("."), "the canonical form holds a . segment")
        let utf8 = Array(canonical.utf8)
        for (index, byte) in utf8.enumerated() where byte == UInt8(ascii: "%") {
            FuzzFailure.require(index + 2 < utf8.count, "the canonical form ends in a partial escape")
            let escape = String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self)
            FuzzFailure.require(escape == escape.uppercased(), "the canonical form holds lowercase hex")
            let value = UInt8(escape, radix: 16) ?? 0
            let unreserved = (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x61 && value <= 0x7A) || [0x2D, 0x2E, 0x5F, 0x7E].contains(value)
            FuzzFailure.require(!unreserved, "the canonical form escapes an unreserved character")
            FuzzFailure.require(![0x00, 0x2F, 0x5C].contains(value), "the canonical form holds an encoded NUL, / or \\")
        }
        FuzzFailure.require(!utf8.contains(0) && !utf8.contains(UInt8(ascii: "\\")), "the canonical form holds NUL or \\")
    }
}
