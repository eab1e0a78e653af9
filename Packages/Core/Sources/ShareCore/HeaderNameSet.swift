/// Header names to look up without building a lowercased copy of each name: the candidates are
/// kept as lowercase bytes, grouped by length, and compared ASCII case-insensitively.
///
/// Hand-written because the gateway checks every header of every request and response against
/// these lists; `String.lowercased()` per header was a measurable share of a profile.
public struct HeaderNameSet: Sendable {
    /// Candidates, indexed by their length.
    private let byLength: [[[UInt8]]]

    public init(_ names: some Sequence<String>) {
        var byLength: [[[UInt8]]] = Array(repeating: [], count: 40)
        for name in names {
            let bytes = Array(name.lowercased().utf8)
            if bytes.count >= byLength.count { byLength += Array(repeating: [], count: bytes.count - byLength.count + 1) }
            byLength[bytes.count].append(bytes)
        }
        self.byLength = byLength
    }

    public func contains(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { contains(UnsafeRawBufferPointer($0)) }
    }

    public func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count < byLength.count else { return false }
        for candidate in byLength[bytes.count] {
            let found = candidate.withUnsafeBytes { ASCIICaseInsensitive.equals(bytes, $0) }
            if found { return true }
        }
        return false
    }

    /// Whether `name` starts with `lowercasePrefix`, ignoring case.
    public static func hasPrefix(_ name: String, _ lowercasePrefix: StaticString) -> Bool {
        var name = name
        return name.withUTF8 { ASCIICaseInsensitive.hasPrefix(UnsafeRawBufferPointer($0), lowercasePrefix) }
    }
}
