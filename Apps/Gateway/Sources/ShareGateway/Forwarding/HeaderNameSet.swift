/// Header names to look up without building a lowercased copy of each name: the candidates are
/// kept as lowercase bytes, grouped by length, and compared ASCII case-insensitively.
///
/// Hand-written because the gateway checks every header of every request and response against
/// these lists; `String.lowercased()` per header was a measurable share of a profile.
struct HeaderNameSet: Sendable {
    private let byLength: [Int: [[UInt8]]]

    init(_ names: some Sequence<String>) {
        var byLength: [Int: [[UInt8]]] = [:]
        for name in names {
            let bytes = Array(name.lowercased().utf8)
            byLength[bytes.count, default: []].append(bytes)
        }
        self.byLength = byLength
    }

    func contains(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            guard let candidates = byLength[bytes.count] else { return false }
            return candidates.contains { Self.equalsIgnoringCase(bytes, $0) }
        }
    }

    /// Whether `name` starts with `lowercasePrefix`, ignoring case.
    static func hasPrefix(_ name: String, _ lowercasePrefix: StaticString) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            let prefix = UnsafeBufferPointer(start: lowercasePrefix.utf8Start, count: lowercasePrefix.utf8CodeUnitCount)
            guard bytes.count >= prefix.count else { return false }
            return equalsIgnoringCase(UnsafeBufferPointer(rebasing: bytes[0..<prefix.count]), prefix)
        }
    }

    /// Only `A`–`Z` are folded: a header name is a token, and no other token byte has a case.
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: some Collection<UInt8>) -> Bool {
        bytes.count == lowercase.count && zip(bytes, lowercase).allSatisfy { pair in
            let byte = pair.0
            let folded = (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
            return folded == pair.1
        }
    }
}
