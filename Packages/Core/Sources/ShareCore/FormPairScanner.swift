/// Splits an `application/x-www-form-urlencoded` body or query (`a=b&c=d`) into its pairs, on the
/// bytes, in one pass: ShareWire's form parser, ShareCredentials' body credential editor and the
/// gateway's form credential filter all split with it, so they agree on where every pair lies.
///
/// Follows the WHATWG urlencoded parser (URL Standard §5.1): pairs split at `&`, empty pairs
/// skipped, name and value split at the first `=`. Nothing is decoded; each ``Pair`` says whether
/// its name or value needs it. Hand-written because Foundation's `URLComponents` decodes as it
/// splits (and so cannot keep a pair's bytes for forwarding) and reads `+` as itself.
public struct FormPairScanner: IteratorProtocol {
    /// One `name=value` pair: offsets into the scanned bytes.
    public struct Pair: Sendable {
        /// The whole pair, name through value.
        public let range: Range<Int>
        /// Where the `=` is, or `range.upperBound` when there is none.
        public let equals: Int
        /// Whether the name holds `%`, `+` or a non-ASCII byte.
        public let nameNeedsDecoding: Bool
        /// Whether the value holds `%`, `+` or a non-ASCII byte.
        public let valueNeedsDecoding: Bool
        /// Whether the name holds a raw `[` (it may also hold an encoded one).
        public let nameHasBracket: Bool

        /// The name, undecoded.
        @inlinable public var name: Range<Int> { range.lowerBound..<equals }
        /// The value, undecoded; empty when the pair has no `=`.
        @inlinable public var value: Range<Int> { equals < range.upperBound ? (equals + 1)..<range.upperBound : range.upperBound..<range.upperBound }

        @inlinable
        init(range: Range<Int>, equals: Int, nameNeedsDecoding: Bool, valueNeedsDecoding: Bool, nameHasBracket: Bool) {
            self.range = range
            self.equals = equals
            self.nameNeedsDecoding = nameNeedsDecoding
            self.valueNeedsDecoding = valueNeedsDecoding
            self.nameHasBracket = nameHasBracket
        }
    }

    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var start = 0

    /// Scans `bytes`, which must stay valid while the scanner is used.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next non-empty pair, or `nil` at the end.
    @inlinable
    public mutating func next() -> Pair? {
        let end = bytes.count
        while start < end {
            var index = start
            var equals = -1
            var nameNeedsDecoding = false
            var valueNeedsDecoding = false
            var nameHasBracket = false
            while index < end {
                let byte = bytes[index]
                if byte == 0x26 { break }  // &
                if equals < 0 {
                    if byte == 0x3D {  // =
                        equals = index
                    } else if byte == 0x25 || byte == 0x2B || byte >= 0x80 {  // % + non-ASCII
                        nameNeedsDecoding = true
                    } else if byte == 0x5B {  // [
                        nameHasBracket = true
                    }
                } else if byte == 0x25 || byte == 0x2B || byte >= 0x80 {
                    valueNeedsDecoding = true
                }
                index += 1
            }
            let pairStart = start
            start = index + 1
            if index > pairStart {
                return Pair(
                    range: pairStart..<index, equals: equals < 0 ? index : equals,
                    nameNeedsDecoding: nameNeedsDecoding, valueNeedsDecoding: valueNeedsDecoding, nameHasBracket: nameHasBracket
                )
            }
        }
        return nil
    }
}

extension FormPairScanner {
    /// The field a decoded name stands for in ShareWire's form decoder: the part before any `[`
    /// (`client_id[]` and `client_id[a]` are `client_id`).
    @inlinable
    public static func baseName(of decodedName: String) -> Substring {
        guard let bracket = decodedName.utf8.firstIndex(of: UInt8(ascii: "[")) else { return decodedName[...] }
        return decodedName[..<bracket]
    }
}
