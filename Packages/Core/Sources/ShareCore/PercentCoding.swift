/// Percent-encoding and -decoding on bytes: the one decoder every ShareKit module uses, for form
/// bodies and queries (`application/x-www-form-urlencoded`, where `+` is a space) and for URL paths
/// and Basic credentials sent unencoded (where `+` is itself).
///
/// Written by hand rather than taken from Foundation: `removingPercentEncoding` works on `String`,
/// has no `+`-as-space option and allocates for every call, and `addingPercentEncoding`'s
/// character sets do not match the WHATWG form set (it leaves `~`, `!`, `'`… unescaped and has no
/// `+` for space). The gateway decodes keys on its forwarding path, where a copy per field counts.
public enum PercentCoding {
    /// What a `+` in an encoded text stands for when decoding.
    public enum Plus: Sendable {
        /// A space, as `application/x-www-form-urlencoded` defines it.
        case space
        /// A literal `+`, as in URL paths and for senders that did not encode their values.
        case literal
    }

    /// What ``decode(_:plus:into:)`` wrote.
    public struct Decoded: Sendable {
        /// How many bytes were written.
        public var count: Int
        /// Whether every written byte is ASCII (below 0x80), so the bytes are valid UTF-8.
        public var isASCII: Bool

        @inlinable
        public init(count: Int, isASCII: Bool) {
            self.count = count
            self.isASCII = isASCII
        }
    }

    // MARK: Decoding

    /// The value of an ASCII hex digit (either case), or `nil`.
    @inlinable @inline(__always)
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte &- 0x30
        case 0x41...0x46: byte &- 0x37
        case 0x61...0x66: byte &- 0x57
        default: nil
        }
    }

    /// The byte the escape `%XX` starting at `index` stands for; `nil` when `bytes[index]` is not
    /// `%` followed by two hex digits.
    @inlinable @inline(__always)
    public static func escapedByte(in bytes: UnsafeRawBufferPointer, at index: Int) -> UInt8? {
        guard index + 2 < bytes.count, bytes[index] == 0x25,
            let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
        else { return nil }
        return high << 4 | low
    }

    /// Decodes `source` into `target` (which holds at least `source.count` bytes): `%XX` becomes
    /// the byte it names, `+` what `plus` says, every other byte itself. `nil` when a `%` is not
    /// followed by two hex digits. The bytes are not checked for UTF-8.
    @inlinable
    public static func decode(_ source: UnsafeRawBufferPointer, plus: Plus, into target: UnsafeMutableBufferPointer<UInt8>) -> Decoded? {
        let count = source.count
        var index = 0
        var written = 0
        var nonASCII: UInt8 = 0
        while index < count {
            let byte = source[index]
            if byte == 0x25 {  // %
                guard let decoded = escapedByte(in: source, at: index) else { return nil }
                nonASCII |= decoded
                target[written] = decoded
                index &+= 3
            } else {
                nonASCII |= byte
                target[written] = byte == 0x2B && plus == .space ? 0x20 : byte
                index &+= 1
            }
            written &+= 1
        }
        return Decoded(count: written, isASCII: nonASCII < 0x80)
    }

    /// Whether every `%` in `bytes` is followed by two hex digits, so ``decode(_:plus:into:)``
    /// accepts them.
    @inlinable
    public static func hasValidEscapes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25 {
                guard escapedByte(in: bytes, at: index) != nil else { return false }
                index &+= 3
            } else {
                index &+= 1
            }
        }
        return true
    }

    /// `bytes` decoded into a string; invalid UTF-8 in the result is replaced with U+FFFD, as
    /// `String(decoding:as:)` does. `nil` for a malformed escape.
    @inlinable
    public static func decodedString(_ bytes: UnsafeRawBufferPointer, plus: Plus) -> String? {
        var malformed = false
        let text = String(unsafeUninitializedCapacity: bytes.count) { target in
            guard let decoded = decode(bytes, plus: plus, into: target) else {
                malformed = true
                return 0
            }
            return decoded.count
        }
        return malformed ? nil : text
    }

    /// `text` decoded; `nil` for a malformed escape or when the decoded bytes are not UTF-8 (what
    /// Foundation's `removingPercentEncoding` does, with `+` read as `plus` says).
    public static func decode(_ text: some StringProtocol, plus: Plus) -> String? {
        var text = String(text)
        return text.withUTF8 { source -> String? in
            let raw = UnsafeRawBufferPointer(source)
            var malformed = false
            let decoded = String(unsafeUninitializedCapacity: raw.count) { target in
                guard let decoded = decode(raw, plus: plus, into: target),
                    decoded.isASCII || isValidUTF8(UnsafeBufferPointer(rebasing: target[..<decoded.count]))
                else {
                    malformed = true
                    return 0
                }
                return decoded.count
            }
            return malformed ? nil : decoded
        }
    }

    /// Whether `bytes` are valid UTF-8.
    @inlinable
    public static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    // MARK: Encoding

    /// Bit `b` set for each unreserved byte `b` below 64: `*`, `-`, `.`, `0`…`9`.
    @inlinable @inline(__always) static var lowUnreserved: UInt64 { 0x03FF_6400_0000_0000 }
    /// Bit `b - 64` set for each unreserved byte `b` from 64 to 127: `A`…`Z`, `_`, `a`…`z`.
    @inlinable @inline(__always) static var highUnreserved: UInt64 { 0x07FF_FFFE_87FF_FFFE }

    /// Whether the form serializer writes `byte` as is: ASCII letters and digits, `*`, `-`, `.`,
    /// `_` (WHATWG URL Standard §5.2).
    @inlinable @inline(__always)
    public static func isFormUnreserved(_ byte: UInt8) -> Bool {
        if byte < 64 { return (lowUnreserved >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (highUnreserved >> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }

    /// The uppercase hex digit for a value below 16.
    @inlinable @inline(__always)
    public static func uppercaseHexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 &+ nibble : 0x37 &+ nibble
    }

    /// Appends the `application/x-www-form-urlencoded` form of `bytes` to `output`: unreserved
    /// bytes as they are (copied in runs), space as `+`, everything else as `%XX`.
    @inlinable @inline(__always)
    public static func appendFormEncoded(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        let count = bytes.count
        var runStart = 0
        var index = 0
        while index < count {
            let byte = bytes[index]
            if isFormUnreserved(byte) {
                index &+= 1
                continue
            }
            if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            if byte == 0x20 {
                output.append(0x2B)
            } else {
                output.append(0x25)
                output.append(uppercaseHexDigit(byte >> 4))
                output.append(uppercaseHexDigit(byte & 0x0F))
            }
            index &+= 1
            runStart = index
        }
        if runStart < count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count])) }
    }

    /// Appends the `application/x-www-form-urlencoded` form of `text` to `output`.
    @inlinable @inline(__always)
    public static func appendFormEncoded(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendFormEncoded($0, to: &output) }
    }

    /// `text` in its `application/x-www-form-urlencoded` form, as RFC 6749 §2.3.1 requires for the
    /// client id and secret inside HTTP Basic credentials.
    public static func formEncoded(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        appendFormEncoded(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
