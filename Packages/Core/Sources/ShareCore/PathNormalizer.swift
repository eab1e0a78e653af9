/// Turns a request path into the one canonical form that the gateway both matches against its
/// allowlist and forwards upstream, so that what was checked is exactly what is sent.
///
/// Hand-written because no library in the mirror normalises with these security decisions
/// (Foundation's `URL.standardized` resolves `..` instead of refusing it and decodes `%2F`).
/// The rules, in the order they apply to each byte of the path (the part before `?`):
///
/// | Input | Decision | Why |
/// | --- | --- | --- |
/// | path not starting with `/` | **rejected** | origin-form targets always start with `/` |
/// | raw NUL or any control byte, space, `"`, `<`, `>`, `\`, `^`, backtick, `{`, `|`, `}`, bytes ≥ 0x80 | **rejected** | not valid in a path (RFC 3986 `pchar`); some servers treat `\` as `/` |
/// | `%00`, `%2F`/`%2f`, `%5C`/`%5c` | **rejected** | an encoded NUL, slash or backslash makes one path mean two things to two parsers |
/// | malformed escape (`%`, `%4`, `%zz`) | **rejected** | ambiguous |
/// | escape of an unreserved character (`%2e`, `%41`, `%7E`) | **decoded** (RFC 3986 §6.2.2.2) | `%2e%2e` must be seen as `..` |
/// | any other escape (`%20`, `%3F`) | kept, hex **uppercased** | one spelling per path |
/// | `//` and longer runs of `/` | **collapsed** to one `/` | harmless, and common in hand-built URLs |
/// | `.` segment | **removed** | means "this segment" |
/// | `..` segment (raw or decoded) | **rejected** | never legitimate for this API; resolving it would hide a traversal attempt |
/// | longer than ``maximumLength`` bytes | **rejected** | bounds work per request |
///
/// A path that needs no change is returned as the same `String`, without allocating.
public struct PathNormalizer: Sendable {
    /// The longest path accepted, in bytes.
    public var maximumLength: Int

    /// A normaliser refusing paths longer than `maximumLength` bytes.
    public init(maximumLength: Int = 2048) {
        self.maximumLength = maximumLength
    }

    /// The canonical form of `path`, or a ``PathNormalizationError`` saying why it is refused.
    public func normalize(_ path: String) throws(PathNormalizationError) -> String {
        var path = path
        let checked = path.withUTF8 { bytes in
            Result { () throws(PathNormalizationError) in try Self.check(bytes, maximumLength: maximumLength) }
        }
        if try checked.get() { return path }
        return try path.withUTF8 { bytes in
            Result { () throws(PathNormalizationError) in try Self.rebuild(bytes) }
        }.get()
    }

    /// Validates every byte and reports whether the path is already canonical.
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, maximumLength: Int) throws(PathNormalizationError) -> Bool {
        guard bytes.count <= maximumLength else { throw .tooLong }
        guard bytes.first == UInt8(ascii: "/") else { throw .notAbsolute }
        var canonical = true
        var index = 0
        var previous: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard let decoded = PercentCoding.escapedByte(in: UnsafeRawBufferPointer(bytes), at: index) else { throw .malformedEscape }
                switch decoded {
                case 0x00: throw .encodedNUL
                case UInt8(ascii: "/"): throw .encodedSlash
                case UInt8(ascii: "\\"): throw .backslash
                default: break
                }
                // Unreserved characters get decoded; lowercase hex gets uppercased.
                if isUnreserved(decoded) || isLowercaseHex(bytes[index + 1]) || isLowercaseHex(bytes[index + 2]) {
                    canonical = false
                }
                previous = byte
                index += 3
                continue
            }
            if byte == 0 { throw .nul }
            if byte == UInt8(ascii: "\\") { throw .backslash }
            guard isPathCharacter(byte) else { throw .invalidCharacter }
            if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { canonical = false }
            if byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/") {
                // `/.` followed by `/`, `.` or the end is a dot segment.
                let next = index + 1 < bytes.count ? bytes[index + 1] : UInt8(ascii: "/")
                if next == UInt8(ascii: "/") || next == UInt8(ascii: ".") { canonical = false }
            }
            previous = byte
            index += 1
        }
        return canonical
    }

    /// Decodes unreserved escapes, uppercases the others, collapses `//` and handles dot segments.
    /// `bytes` has already passed ``check(_:maximumLength:)``.
    private static func rebuild(_ bytes: UnsafeBufferPointer<UInt8>) throws(PathNormalizationError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var segment: [UInt8] = []
        var index = 1  // skip the leading "/"
        func flush(_ segment: inout [UInt8], terminal: Bool) throws(PathNormalizationError) {
            defer { segment.removeAll(keepingCapacity: true) }
            if segment == [UInt8(ascii: ".")] { return }
            if segment == [UInt8(ascii: "."), UInt8(ascii: ".")] { throw .dotDotSegment }
            if segment.isEmpty && !terminal { return }  // `//`
            output.append(UInt8(ascii: "/"))
            output.append(contentsOf: segment)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") {
                try flush(&segment, terminal: false)
                index += 1
                continue
            }
            if byte == UInt8(ascii: "%") {
                let decoded = PercentCoding.escapedByte(in: UnsafeRawBufferPointer(bytes), at: index)!
                if isUnreserved(decoded) {
                    segment.append(decoded)
                } else {
                    segment.append(UInt8(ascii: "%"))
                    segment.append(PercentCoding.uppercaseHexDigit(decoded >> 4))
                    segment.append(PercentCoding.uppercaseHexDigit(decoded & 0x0F))
                }
                index += 3
                continue
            }
            segment.append(byte)
            index += 1
        }
        // The last segment: an empty one means the path ended with "/", which is kept.
        let endsWithSlash = bytes.count > 1 && bytes[bytes.count - 1] == UInt8(ascii: "/")
        if segment.isEmpty {
            if endsWithSlash || output.isEmpty { output.append(UInt8(ascii: "/")) }
        } else {
            try flush(&segment, terminal: true)
            if output.isEmpty { output.append(UInt8(ascii: "/")) }
        }
        // Trailing "/." or "//" leaves a doubled slash only when the output is just "/".
        if output.count > 1 && output[output.count - 1] == UInt8(ascii: "/") && output[output.count - 2] == UInt8(ascii: "/") {
            output.removeLast()
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")
    }

    /// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// `pchar` and `/` of RFC 3986, without `%` (handled separately).
    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
